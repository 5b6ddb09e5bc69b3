"""Header names: where each known name goes, and what is wrong with an unknown one.

The table of known names is derived from the models' aliases, so no header name is spelled twice.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING, NamedTuple, cast

from pydantic import AliasChoices

from helicone_headers._base import HeaderModel, group_type
from helicone_headers._codec import Codec, codec_of
from helicone_headers._text import token_problem

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from pydantic.fields import FieldInfo

__all__ = [
    "NOT_READ",
    "PROPERTY_PREFIX",
    "UNMODELED",
    "UNMODELED_LOWER",
    "Route",
    "header_names",
    "intended_name",
    "is_helicone",
    "is_helicone_lower",
    "is_secret",
    "nearest",
    "routes",
    "unmodeled_problem",
]

PROPERTY_PREFIX = "Helicone-Property-"

# Headers Helicone's server reads that this library does not model as fields
# (worker/src/lib/models/HeliconeHeaders.ts:305-310, 348-429; the self-hosted proxy's
# shared/proxy/heliconeHeaders.ts:293-295): they may be sent through extra_headers and are read
# back into it.
# Each with why it is not modelled; they are sent through extra_headers as given.
UNMODELED = {
    "Helicone-Cache-Control": "parsed and logged, with no effect on caching",
    "Helicone-Experiment-Column-Id": "Helicone's experiments feature, removed from its docs",
    "Helicone-Experiment-Id": "Helicone's experiments feature, removed from its docs",
    "Helicone-Experiment-Row-Index": "Helicone's experiments feature, removed from its docs",
    "Helicone-Gateway-Deployment-Target": "read by the self-hosted Jawn proxy only, and logged",
    "Helicone-Gateway-Router-Id": "read by the self-hosted Jawn proxy only, and logged",
    "Helicone-JWT": "internal authentication of Helicone's own web app",
    "Helicone-Lytix-Host": "Lytix forwarding in the self-hosted Jawn proxy",
    "Helicone-Lytix-Key": "Lytix forwarding in the self-hosted Jawn proxy",
    "Helicone-Manual-Access-Key": "internal, for Helicone's experiment runner",
    "Helicone-Node-Id": "legacy nodes and jobs",
    "Helicone-Org-Id": "internal, with Helicone-JWT",
    "Helicone-Prompt-Format": "parsed, with no effect in the worker",
    "Helicone-Prompt-Name": "parsed, with no effect in the worker",
    "Helicone-Webhook-Enabled": "only forwarded in the log's metadata",
}
_UNMODELED = tuple(UNMODELED)

# Names that people send but Helicone never reads (no code in worker/ reads them; Cost-Cents is
# only named in a message, worker/src/lib/rate-limit/bucketClient.ts:519), with what to do instead.
NOT_READ = {
    "Helicone-Target-Provider": (
        "Helicone never reads Helicone-Target-Provider, though its docs show it; it infers the "
        "provider from Helicone-Target-URL (target_url), so leave it out"
    ),
    "Helicone-RateLimit-Cost-Cents": (
        "no such header exists; to limit cost, use a policy with u=cents, such as "
        "RateLimitPolicy(quota=500, window_seconds=3600, unit='cents')"
    ),
    "Helicone-Prompt-Inputs": (
        "no such header exists; prompt inputs go in the request body, not in headers"
    ),
}
UNMODELED_LOWER = frozenset(name.lower() for name in _UNMODELED)
_NOT_READ_LOWER = {name.lower(): why for name, why in NOT_READ.items()}


class Route(NamedTuple):
    """Where the value of one known header goes when a header dict is read."""

    header: str
    """The header name as Helicone documents it (also the key the model validates by)."""
    group: str | None
    """The HeliconeHeaders field of the option group, or None for a top-level field."""
    field: str
    """The Python path of the field, for messages."""
    secret: bool = False
    """Whether the value must never be quoted."""
    switch: bool = False
    """Whether the header only switches its group on (Helicone-Retry-Enabled)."""
    codec: Codec | None = None
    """The field's codec, which may find fault with header text it takes as a Python value."""
    default: str | None = None
    """What Helicone applies without the header, where the field's docs state it."""


def _headers_of(name: str, info: FieldInfo) -> list[str]:
    """The header names one field is read from: its alias, then any legacy aliases."""
    names = [info.alias] if info.alias is not None else []
    if isinstance(info.validation_alias, AliasChoices):
        names += [each for each in info.validation_alias.choices if isinstance(each, str)]
    return [each for each in dict.fromkeys(names) if each != name]


def _route(header: str, group: str | None, field: str, info: FieldInfo) -> Route:
    codec = codec_of(info)
    extra = info.json_schema_extra
    default = (
        cast("dict[str, object]", extra).get("x-helicone-default")
        if isinstance(extra, dict)
        else None
    )
    return Route(
        header,
        group,
        field,
        secret=codec is not None and codec.secret,
        codec=codec,
        default=default if isinstance(default, str) else None,
    )


@cache
def routes(model: type[HeaderModel]) -> dict[str, Route]:
    """Map every lowercase header name that *model* reads to its route."""
    table: dict[str, Route] = {}
    for name, info in model.model_fields.items():
        group = group_type(info.annotation)
        if group is None:
            for header in _headers_of(name, info):
                table[header.lower()] = _route(header, None, name, info)
            continue
        if group.switch is not None:
            table[group.switch.lower()] = Route(group.switch, name, name, switch=True)
        for inner, inner_info in group.model_fields.items():
            for header in _headers_of(inner, inner_info):
                table[header.lower()] = _route(header, name, f"{name}.{inner}", inner_info)
    return table


def is_helicone(name: str) -> bool:
    """Whether *name* is one of Helicone's headers to read: ``Helicone-*`` or ``Cache-Control``."""
    # Not cached: a service reading its clients' headers would keep every name it ever saw.
    return is_helicone_lower(name.lower())


def is_helicone_lower(lower: str) -> bool:
    """``is_helicone`` of a name already in lowercase."""
    return lower.startswith("helicone") or lower == "cache-control"


# Headers whose values hold keys though their fields are not secret as a whole (fallbacks carry
# provider keys in their entries' headers), Helicone's unmodelled key headers, and the headers
# that carry a key to a provider or to Helicone's AI gateway.
SECRET_HEADERS = (
    "Helicone-Fallbacks",
    "Helicone-JWT",
    "Helicone-Lytix-Key",
    "Helicone-Manual-Access-Key",
    "Authorization",
    "Proxy-Authorization",
    "X-Api-Key",
    "Api-Key",
)
# A name this close to a secret one (Helicone-Auht, helicone_auth) is taken for it.
_SECRET_EDITS = 2


@cache
def _secret_names(model: type[HeaderModel]) -> tuple[str, ...]:
    modelled = (route.header for route in routes(model).values() if route.secret)
    return tuple(name.lower() for name in (*modelled, *SECRET_HEADERS))


def _within(edits: int, one: str, other: str) -> bool:
    """Whether *one* becomes *other* by at most *edits* insertions, deletions or substitutions."""
    if abs(len(one) - len(other)) > edits:
        return False
    previous = list(range(len(other) + 1))
    for row, char in enumerate(one, 1):
        current = [row]
        for column, each in enumerate(other, 1):
            current.append(
                min(previous[column] + 1, current[-1] + 1, previous[column - 1] + (char != each))
            )
        if min(current) > edits:
            return False
        previous = current
    return previous[-1] <= edits


def is_secret(model: type[HeaderModel], name: str) -> bool:
    """Whether the value of header *name* must never be shown.

    True for the secret fields of *model* (the Helicone key, PostHog's key, fallbacks with their
    provider keys), Helicone's unmodelled key headers, the headers that carry provider keys, and
    every name within two edits of one of those once ``_`` is read as ``-`` and case is folded.
    """
    return _near_secret(model, name.lower().replace("_", "-"))


# Bounded: the names a service sees are not all kept, but the few a dict repeats are weighed once.
@lru_cache(maxsize=256)
def _near_secret(model: type[HeaderModel], folded: str) -> bool:
    return any(_within(_SECRET_EDITS, folded, secret) for secret in _secret_names(model))


@cache
def header_names(model: type[HeaderModel]) -> Mapping[str, tuple[str, ...]]:
    """Map the Python path of every header field (``cache.enabled``) to its header names.

    The name Helicone documents comes first, then legacy names it still reads.
    """
    names: dict[str, tuple[str, ...]] = {}
    for route in routes(model).values():
        names[route.field] = (*names.get(route.field, ()), route.header)
    return names


def _squash(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "")


def nearest(name: str, known: Iterable[str]) -> str | None:
    """The known header name that *name* most likely misspells, if any."""
    import difflib  # only when a name is unknown: keep it off import time

    squashed = _squash(name)
    candidates = {_squash(each): each for each in known}
    if squashed in candidates:
        return candidates[squashed]
    match = difflib.get_close_matches(squashed, list(candidates), n=1, cutoff=0.85)
    return candidates[match[0]] if match else None


@cache
def _known_names(model: type[HeaderModel]) -> tuple[str, ...]:
    return (*(route.header for route in routes(model).values()), *_UNMODELED)


def intended_name(model: type[HeaderModel], name: str) -> str | None:
    """The header an unknown *name* misspells (``Helicone-Rate-Limit-Policy``), if plain.

    A name Helicone is known not to read, or one with spaces or other characters no header name
    has, is not taken for a misspelling.
    """
    if name.lower() in _NOT_READ_LOWER or token_problem(name.replace("_", "-")) is not None:
        return None
    return nearest(name, _known_names(model))


def unmodeled_problem(model: type[HeaderModel], name: str) -> str | None:
    """Say why *name* cannot travel as an unmodeled ``Helicone-*`` header, or None if it can."""
    lower = name.lower()
    problem = token_problem(name)
    if problem is not None:
        return problem
    if lower in _NOT_READ_LOWER:
        return _NOT_READ_LOWER[lower]
    if lower in UNMODELED_LOWER:
        return None
    guess = nearest(name, _known_names(model))
    if "_" in name:
        fix = f"write {guess!r}" if guess else "use hyphens"
        litellm = (
            " (LiteLLM's proxy copies helicone_* request headers into its callback's log under "
            "this very name, which Helicone does not read either)"
            if lower.startswith("helicone_")
            else ""
        )
        return (
            f"{name!r} has '_', which many proxies drop and Helicone never reads as one of its "
            f"headers{litellm}; {fix}"
        )
    if guess is not None:
        return (
            f"Helicone does not read {name!r} and silently drops it before the provider; did you "
            f"mean {guess!r}?"
        )
    if not lower.startswith("helicone-"):
        return f"{name!r} is not a Helicone-* header; only those can be sent through extra_headers"
    return None
