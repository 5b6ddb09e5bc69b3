"""check(): lint a raw header dict (or a model) for what Helicone's server will really do with it."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, NamedTuple

from pydantic import ValidationError

from helicone_headers._codes import Severity, registered
from helicone_headers._exceptions import PolicySyntaxError
from helicone_headers._headers import HeliconeHeaders
from helicone_headers._names import (
    PROPERTY_PREFIX,
    UNMODELED_LOWER,
    header_names,
    is_helicone,
    is_secret,
    routes,
    unmodeled_problem,
)
from helicone_headers._numbers import JS_INT_AUTO
from helicone_headers._policy import RateLimitPolicy
from helicone_headers._reading import header_pairs, read_headers, too_large
from helicone_headers._text import char_problem, escaped, quoted, token_problem

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic_core import ErrorDetails

    from helicone_headers._base import HeaderModel

__all__ = ["RULES", "Diagnostic", "check"]


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    """One finding of ``check``.

    ``error`` means Helicone breaks, ignores or misreads the header; ``warning`` means it works, but
    probably not as intended.
    """

    code: str
    """A stable identifier of the rule, listed in the diagnostics reference."""
    severity: Severity
    """``error`` or ``warning``."""
    header: str | None
    """The header at fault, as it was written; None when the finding concerns several."""
    message: str
    """What Helicone will do, and how to write it instead."""
    path: str | None = None
    """Where in a LiteLLM proxy config the headers are (``check_litellm_config``); else None."""

    def as_dict(self) -> dict[str, str | None]:
        """The diagnostic as a JSON-ready dict."""
        return dataclasses.asdict(self)


def _warning(code: str, header: str, message: str) -> list[Diagnostic]:
    return [Diagnostic(registered(code), "warning", header, f"{header}: {message}")]


# A flat view of the headers: lowercase name -> (name as written, value).
_Headers = dict[str, tuple[str, str]]


def _header(path: str, index: int = 0) -> str:
    """The header name of the field at *path* (``cache.enabled``); legacy names after index 0."""
    return header_names(HeliconeHeaders)[path][index]


def _sent(headers: _Headers, path: str, index: int = 0) -> tuple[str, str]:
    """(name as written, value) of the header of the field at *path*, or two empty strings."""
    return headers.get(_header(path, index).lower(), ("", ""))


def _policy_segment(headers: _Headers) -> list[Diagnostic]:
    name, text = _sent(headers, "rate_limit")
    try:
        segment = RateLimitPolicy.parse(text).segment if text else None
    except (PolicySyntaxError, ValidationError):
        return []  # reported as an error already
    user = _header("user_id")
    if segment == "user" and not _sent(headers, "user_id")[1]:
        return _warning(
            "rate_limit_user_missing",
            name,
            f"s=user limits each {user}, but none is sent; Helicone then "
            "uses the body's 'user' field and, without one, applies no limit at all (it fails "
            f"open); send {user} (user_id)",
        )
    session = _header("session.id")
    if segment == session.lower():
        # Helicone adds the session id to the request's properties under this name
        # (worker/src/lib/models/HeliconeHeaders.ts:505-508).
        if not _sent(headers, "session.id")[1]:
            return _warning(
                "rate_limit_property_missing",
                name,
                f"s={segment} limits each {session}, but none is sent; Helicone then applies no "
                f"limit at all (it fails open); send {session} (session.id)",
            )
        return []
    if segment is not None and segment != "user":
        property_header = (PROPERTY_PREFIX + segment).lower()
        if not headers.get(property_header, ("", ""))[1]:
            return _warning(
                "rate_limit_property_missing",
                name,
                f"s={segment} limits each value of the property {segment!r}, but no "
                f"{PROPERTY_PREFIX}{segment} header is sent; Helicone then applies no limit "
                f"at all (it fails open); send properties={{{segment!r}: ...}}",
            )
    return []


def _auth_conflict(headers: _Headers) -> list[Diagnostic]:
    name, text = headers.get("authorization", ("", ""))
    # RequestWrapper splits such an Authorization header into a provider key and a Helicone key,
    # and throws when Helicone-Auth is sent too (worker/src/lib/RequestWrapper.ts:96-149).
    if _sent(headers, "api_key")[0] and all(
        part in text for part in (",", "sk-helicone-", "pk-helicone-")
    ):
        return [
            Diagnostic(
                registered("auth_conflict"),
                "error",
                name,
                f"{name}: it holds Helicone keys joined by a comma, which Helicone splits off as "
                f"its own key, and with {_header('api_key')} sent too it throws 'Cannot have both "
                "helicone-auth and Helicone Authorization headers': HTTP 500 on every request; "
                "send the Helicone key in Helicone-Auth only",
            )
        ]
    return []


def _cache_seed(headers: _Headers) -> list[Diagnostic]:
    name, text = _sent(headers, "cache.seed")
    if text and re.match(JS_INT_AUTO, text) is None:
        return _warning(
            "cache_seed_not_logged",
            name,
            f"Helicone partitions the cache by any seed, but records the seed in its "
            f"logs only when it reads as an integer (parseInt), so {quoted(text)} will not show "
            "there; use a number if you want to see it",
        )
    return []


def _session_path(headers: _Headers) -> list[Diagnostic]:
    name, text = _sent(headers, "session.path")
    if text and not text.startswith("/"):
        return _warning(
            "session_path_form",
            name,
            f"Helicone stores {quoted(text)} as given, but its session view and docs use "
            f"paths like '/parent/child', and paths without the leading '/' do not nest with "
            f"those that have it; write '/{text}'",
        )
    return []


def _legacy_names(headers: _Headers) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    name = _sent(headers, "security.llm_security", 1)[0]
    if name:
        found += _warning(
            "legacy_header",
            name,
            f"Helicone still reads this legacy name, but only when {_header('security.llm_security')}"
            f" is absent; write {_header('security.llm_security')} (security.llm_security)",
        )
    for path in ("prompt.id", "prompt.version", "prompt.mode"):
        name = _sent(headers, path)[0]
        if name:
            found += _warning(
                "deprecated_header",
                name,
                "header-based prompts are deprecated in Helicone's docs; Helicone still reads it, "
                "but new prompts live in the AI gateway's request body",
            )
    return found


def _unknown_names(headers: _Headers) -> list[Diagnostic]:
    # Names from_headers keeps in extra_headers: not misspellings (those are errors), not known.
    found: list[Diagnostic] = []
    for lower, (name, _) in headers.items():
        if (
            lower.startswith("helicone-")
            and lower not in routes(HeliconeHeaders)
            and lower not in UNMODELED_LOWER
            and not lower.startswith(PROPERTY_PREFIX.lower())
            and unmodeled_problem(HeliconeHeaders, name) is None
        ):
            found += _warning(
                "header_unknown",
                name,
                "Helicone does not read this header as far as this library knows, and drops "
                "every Helicone-* header before the provider; check the name, or keep it if your "
                "Helicone version reads it",
            )
    return found


RULES: tuple[Callable[[_Headers], list[Diagnostic]], ...] = (
    _auth_conflict,
    _policy_segment,
    _cache_seed,
    _session_path,
    _legacy_names,
    _unknown_names,
)


def _header_of(error: ErrorDetails, names: _Names) -> str | None:
    """The header an error is about, as written: the first part of its location that names one."""
    found = next(
        (part for part in error["loc"] if isinstance(part, str) and is_helicone(part)), None
    )
    if found is None or found in names.exact:
        return found
    return names.folded.get(found.lower(), found)


class _Names(NamedTuple):
    """The header names of a dict as written, to name them so in findings."""

    exact: frozenset[str]
    folded: dict[str, str]
    """Each name lowercase and escaped (as errors name it), to its first spelling."""

    @classmethod
    def of(cls, pairs: list[tuple[object, object]]) -> _Names:
        exact = frozenset(name for name, _ in pairs if isinstance(name, str))
        folded: dict[str, str] = {}
        for name, _ in pairs:
            if isinstance(name, str):
                folded.setdefault(escaped(name).lower(), name)
        return cls(exact, folded)


def _foreign(name: str, value: str) -> Diagnostic | None:
    """What keeps a header that is not Helicone's from being sent, if anything.

    from_headers skips such headers, but the client still has to send them with the rest.
    """
    problem = token_problem(name)
    if problem is not None:
        return Diagnostic(registered("header_name"), "error", name, f"{escaped(name)}: {problem}")
    problem = char_problem(value, secret=is_secret(HeliconeHeaders, name))
    if problem is not None:
        return Diagnostic(
            registered("header_value_unsafe"), "error", name, f"{name}: the value {problem}"
        )
    return None


def check(headers: object) -> list[Diagnostic]:
    """Report every problem of a header dict (or a HeliconeHeaders), without raising.

    Errors are what Helicone's server breaks on, ignores or misreads; warnings are what works but
    likely not as intended. Each ``Diagnostic`` has a stable ``code``. A dict of more than 2000
    headers or 128 KiB is not read: one ``input_too_large`` error says so.

    Examples:
        >>> [d.code for d in check({"Helicone-Rate-Limit-Policy": "10;w=60", "Helicone-Cache-Enabled": "True"})]
        ['header_name_unknown', 'flag_case']
    """
    try:
        pairs = header_pairs(
            headers.to_headers() if isinstance(headers, HeliconeHeaders) else headers
        )
    except TypeError:
        return [
            Diagnostic(
                registered("input_type"),
                "error",
                None,
                f"expected a dict of header names to values, got {type(headers).__name__}",
            )
        ]
    reading = read_headers(HeliconeHeaders, pairs)
    # Errors name the header as Helicone documents it (and escaped, where a name holds a lone
    # surrogate): a finding names it as it was written.
    names = _Names.of(pairs)
    errors = ValidationError.from_exception_data("HeliconeHeaders", reading.errors).errors()
    found = [
        Diagnostic(error["type"], "error", _header_of(error, names), error["msg"])
        for error in errors
    ]
    if too_large(pairs) is not None:
        return found
    found += [
        Diagnostic(registered(note.code), "warning", note.header, note.message)
        for note in reading.notes
    ]
    flat: _Headers = {}
    for name, value in pairs:
        if isinstance(name, str) and isinstance(value, str):
            flat.setdefault(name.lower(), (name, value))
            foreign = None if is_helicone(name) else _foreign(name, value)
            found += [foreign] if foreign is not None else []
        elif isinstance(name, str) and not is_helicone(name):
            # from_headers skips other headers, but the client still has to send this one.
            found.append(
                Diagnostic(
                    "header_value_type",
                    "error",
                    name,
                    f"{escaped(name)}: header values must be str, got {type(value).__name__}; "
                    "httpx, the OpenAI SDK and LiteLLM refuse anything else",
                )
            )
    for rule in RULES:
        found.extend(rule(flat))
    if reading.model is not None:
        found += _written_otherwise(reading.model, flat, {d.header for d in found})
    return found


def _written_otherwise(
    model: HeaderModel, headers: _Headers, reported: set[str | None]
) -> list[Diagnostic]:
    """A warning for each header the model writes otherwise, that no other finding names."""
    table = routes(HeliconeHeaders)
    written = {name.lower(): value for name, value in model.to_headers().items()}
    found: list[Diagnostic] = []
    for lower, (name, value) in headers.items():
        route = table.get(lower)
        if name in reported or route is None or route.switch:
            continue
        canonical = route.header if route.group is None else _header(route.field)
        after = written.get(canonical.lower())
        if after is None or after == value:
            continue
        shown = "its value (secret, not shown)" if route.secret else quoted(after)
        found += _warning(
            "header_form",
            name,
            f"Helicone applies it as meant; write {canonical} as {shown}, as this library does",
        )
    return found
