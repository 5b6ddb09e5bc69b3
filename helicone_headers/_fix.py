"""fix(): rewrite a raw header dict so that Helicone does what it was meant to do.

Each repair is tied to one diagnostic code and is made only when what was meant is plain from
the value itself. What cannot be repaired so is reported, never guessed.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, cast

from helicone_headers._check import Diagnostic, check
from helicone_headers._codec import OFF_WORDS, ON_WORDS
from helicone_headers._headers import HeliconeHeaders
from helicone_headers._names import header_names, intended_name, is_helicone, routes
from helicone_headers._numbers import format_number
from helicone_headers._policy import RateLimitPolicy, split_policy
from helicone_headers._reading import header_pairs, read_headers
from helicone_headers._text import REDACTED

if TYPE_CHECKING:
    from collections.abc import Callable

    _Repair = Callable[[list[list[object]], list[object]], str | None]

__all__ = ["Change", "Fixed", "fix"]

_PAIR = 2
_POLICY_KEYS = ("w", "u", "s")
_SHORTEST_WINDOW = 60


@dataclasses.dataclass(frozen=True)
class Change:
    """One repair ``fix`` made."""

    code: str
    """The diagnostic code it repairs, as ``check()`` reports it."""
    header: str
    """The header as it was written."""
    message: str
    """What was written before and after (a secret's value is not shown)."""


@dataclasses.dataclass(frozen=True)
class Fixed:
    """What ``fix`` makes of a header dict."""

    headers: dict[str, str]
    """The repaired headers, ready to send: ``check(headers)`` reports no error."""
    model: HeliconeHeaders
    """The Helicone headers read as a model (``HeliconeHeaders.from_headers(headers)``)."""
    changes: list[Change]
    """Every repair made, in order."""
    unfixed: list[Diagnostic]
    """Every finding left: errors whose header was left out (a repair would be a guess), and
    warnings kept as they are."""


# The dict being repaired: [name, value] entries, in their order.
_Entries = list[list[object]]


def _shown(header: str, value: object) -> str:
    secret = header.lower() in _SECRET_LOWER
    return REDACTED if secret and isinstance(value, str) else repr(value)


def _replace(entry: list[object], value: str) -> str:
    name = str(entry[0])
    before, entry[1] = _shown(name, entry[1]), value
    return f"{name}: {before} -> {_shown(name, value)}"


def _remove(entries: _Entries, entry: list[object]) -> str:
    entries.remove(entry)
    return f"{entry[0]}: {_shown(str(entry[0]), entry[1])} left out"


# Each repair takes the header's [name, value] entry and says what it changed, or returns None
# when the value does not say what was meant.


def _value_type(entries: _Entries, entry: list[object]) -> str | None:
    value = entry[1]
    if value is True:
        return _replace(entry, "true")
    if value is False or value is None:
        return _remove(entries, entry)
    if isinstance(value, (int, float)):
        return _replace(entry, format_number(value))
    return None


def _flag(entries: _Entries, entry: list[object]) -> str | None:
    word = str(entry[1]).strip().lower()
    if word in ON_WORDS:
        return _replace(entry, "true")
    return _remove(entries, entry) if word in OFF_WORDS else None


def _switch(entries: _Entries, entry: list[object]) -> str | None:
    """``Helicone-Retry-Enabled: false`` meant no retries: leave out every retry header."""
    if str(entry[1]).strip().lower() not in OFF_WORDS:
        return None
    removed = [other for other in entries if str(other[0]).lower() in _RETRY_LOWER]
    for other in removed:
        entries.remove(other)
    names = ", ".join(str(other[0]) for other in removed)
    return f"{entry[0]}: {entry[1]!r} turned retries on; left out {names}"


def _bearer(_: _Entries, entry: list[object]) -> str | None:
    key = str(entry[1]).strip()
    if key[:7].lower() in {"bearer", "bearer "}:
        key = key[7:].strip()
    if not key:
        return None
    entry[1] = f"Bearer {key}"
    return f"{entry[0]}: the key now follows 'Bearer ' (capital B, one space)"


def _name(entries: _Entries, entry: list[object]) -> str | None:
    written = str(entry[0])
    meant = intended_name(HeliconeHeaders, written)
    # With both names sent, which value was meant is a guess.
    if meant is None or any(str(other[0]).lower() == meant.lower() for other in entries):
        return None
    entry[0] = meant
    return f"{written} -> {meant}"


def _ignore_keys(_: _Entries, entry: list[object]) -> str | None:
    """The bare form ``a,b`` that Helicone's docs show, quoted as Helicone parses it."""
    text = str(entry[1])
    keys = [key.strip() for key in text.split(",")]
    if any(mark in text for mark in "\"'[]{}\\") or not all(keys):
        return None
    return _replace(entry, ",".join(json.dumps(key) for key in keys))


def _policy_order(_: _Entries, entry: list[object]) -> str | None:
    """``10;s=user;w=60``: the same parts in the order Helicone's grammar reads."""
    quota, *parts = str(entry[1]).strip().split(";")
    pairs = [part.split("=", 1) for part in parts]
    keys = [pair[0].strip().lower() for pair in pairs]
    if any(len(pair) != _PAIR for pair in pairs) or not set(keys) <= set(_POLICY_KEYS):
        return None
    ordered = sorted(pairs, key=lambda pair: _POLICY_KEYS.index(pair[0].strip().lower()))
    if len(set(keys)) < len(keys) or ordered == pairs:
        return None
    return _replace(entry, ";".join([quota, *(f"{key}={part}" for key, part in ordered)]))


def _policy_window(_: _Entries, entry: list[object]) -> str | None:
    """A window under 60 seconds: the same rate over 60 seconds."""
    if str(entry[0]).lower() != _POLICY_HEADER.lower():
        return None  # another number that is too small, such as max-age=30
    parts = split_policy(str(entry[1]))
    window = int(parts["window_seconds"])
    if not 0 < window < _SHORTEST_WINDOW:
        return None  # the quota is what is too small
    rate = float(parts["quota"]) * _SHORTEST_WINDOW / window
    policy = RateLimitPolicy.model_validate(
        parts | {"quota": rate, "window_seconds": _SHORTEST_WINDOW}
    )
    return _replace(entry, str(policy))


def _path(_: _Entries, entry: list[object]) -> str | None:
    """A session path without its leading ``/``: the same path as Helicone's docs write it."""
    return _replace(entry, f"/{entry[1]}")


_POLICY_HEADER = header_names(HeliconeHeaders)["rate_limit"][0]
_RETRY_LOWER = frozenset(
    name.lower()
    for path, names in header_names(HeliconeHeaders).items()
    if path.split(".", 1)[0] == "retry"
    for name in names
)
_SECRET_LOWER = frozenset(lower for lower, route in routes(HeliconeHeaders).items() if route.secret)

# The repair of each finding's code. What it repairs is a str (a value of another type is
# reported as header_value_type alone).
_REPAIRS: dict[str, _Repair] = {
    "header_value_type": _value_type,
    "flag_value": _flag,
    "switch_value": _switch,
    "auth_bearer": _bearer,
    "header_name_unknown": _name,
    "cache_ignore_keys_syntax": _ignore_keys,
    "rate_limit_policy_syntax": _policy_order,
    "number_too_small": _policy_window,
    # A warning whose fix is what check() says to write.
    "session_path_form": _path,
}
_SWITCH_MISSING = "switch_missing"


def _repair(entries: _Entries, found: list[Diagnostic]) -> list[Change]:
    changes: list[Change] = []
    for diagnostic in found:
        header = diagnostic.header
        entry = None if header is None else next((e for e in entries if e[0] == header), None)
        changed = None
        if header is not None and diagnostic.code == _SWITCH_MISSING:
            # Options of a group without its switch (retries): they were sent to be used.
            entries.append([header, "true"])
            changed = f"{header}: added as 'true', which the other headers of its group need"
        elif entry is not None and diagnostic.code in _REPAIRS:
            changed = _REPAIRS[diagnostic.code](entries, entry)
        if changed is not None:
            changes.append(Change(diagnostic.code, str(header), changed))
    return changes


def _leave_out(entries: _Entries) -> list[Diagnostic]:
    """Leave out the headers of the errors left, and return those errors.

    Leaving out a header can break another (cache options without ``Helicone-Cache-Enabled``),
    so this goes on until no error is left.
    """
    table, names = routes(HeliconeHeaders), header_names(HeliconeHeaders)
    left: list[Diagnostic] = []
    while found := [d for d in check(entries) if d.severity == "error"]:
        left += found
        # A name that is not a str cannot be sent at all.
        entries[:] = [entry for entry in entries if isinstance(entry[0], str)]
        sent = {str(entry[0]).lower() for entry in entries}
        at_fault = {d.header.lower() for d in found if d.header is not None}
        # An error about a whole option group (retry timeouts), or about a header that is not
        # sent (a missing switch): every header of that group.
        reading = read_headers(HeliconeHeaders, [tuple(entry) for entry in entries])
        locations = [error.get("loc", ()) for error in reading.errors]
        groups = {str(loc[0]) for loc in locations if len(loc) == 1}
        groups.update(
            (route.group or route.field)
            for name in at_fault - sent
            if (route := table.get(name)) is not None
        )
        for path, group_names in names.items():
            if path.split(".", 1)[0] in groups:
                at_fault.update(name.lower() for name in group_names)
        if not at_fault & sent:  # pragma: no cover - every error names a header or a group
            break
        entries[:] = [entry for entry in entries if str(entry[0]).lower() not in at_fault]
    return left


def _canonical(entries: _Entries) -> tuple[HeliconeHeaders, list[Change]]:
    """Write the Helicone headers as the model writes them: what Helicone applies, spelled so."""
    pairs = [(str(name), str(value)) for name, value in entries]
    reading = read_headers(HeliconeHeaders, pairs)
    # The errors were left out: this is the model, or raises loudly if one was missed.
    model = cast("HeliconeHeaders", reading.built("HeliconeHeaders"))
    written = model.to_headers()
    written_lower = {name.lower(): name for name in written}
    table = routes(HeliconeHeaders)
    names = header_names(HeliconeHeaders)
    changes: list[Change] = []
    for note in reading.notes:
        route = table.get(note.header.lower())
        name = note.header if route is None else names[route.field][0]
        after = written_lower.get(name.lower())
        before = _shown(note.header, next(e[1] for e in entries if e[0] == note.header))
        if before == REDACTED:
            message = f"{note.header}: rewritten as {after} (its value is secret, not shown)"
        else:
            now = "left out" if after is None else f"{after}: {_shown(after, written[after])}"
            message = f"{note.header}: {before} -> {now}"
        changes.append(Change(note.code, note.header, message))
    others = [entry for entry in entries if not is_helicone(str(entry[0]))]
    rewritten: _Entries = [[name, value] for name, value in written.items()]
    entries[:] = others + rewritten
    return model, changes


def fix(headers: object) -> Fixed:
    """Repair a header dict: every finding of ``check()`` whose fix is plain from the value.

    ``True`` on a flag becomes ``true``; a key without ``Bearer `` gets it; a misspelled name
    (``Helicone-Rate-Limit-Policy``) takes the name Helicone reads; the bare ignore-keys form
    ``a,b`` is quoted; a window under 60 seconds becomes the same rate per minute; policy parts
    out of order are put in order; ``Helicone-Retry-Enabled: false`` leaves out every retry
    header; values Helicone applies as meant are written as the model writes them.

    An error no repair can settle (a bucket size of 21: is it 20, or 2?) leaves its header out,
    so that the result passes ``check()`` with no error, and is listed in ``unfixed`` with
    ``check()``'s message; so is every warning it keeps.

    Examples:
        >>> fixed = fix({"Helicone-Rate-Limit-Policy": "10;w=30", "Helicone-Cache-Enabled": "True"})
        >>> fixed.headers
        {'Helicone-RateLimit-Policy': '20;w=60', 'Helicone-Cache-Enabled': 'true'}

    Raises:
        TypeError: *headers* is neither a mapping nor an iterable of (name, value) pairs.
    """
    entries: _Entries = [list(pair) for pair in header_pairs(headers)]
    changes: list[Change] = []
    # Each repair writes a form its own finding does not report again, so this ends; the bound
    # keeps a mistake in that from looping forever.
    bound = 4 * (len(entries) + 1)
    while len(changes) < bound and (
        made := _repair(entries, [d for d in check(entries) if d.severity == "error"])
    ):
        changes += made
    left = _leave_out(entries)
    changes += _repair(entries, [d for d in check(entries) if d.code == "session_path_form"])
    model, canonical = _canonical(entries)
    changes += canonical
    fixed = {str(name): str(value) for name, value in entries}
    return Fixed(fixed, model, changes, [*left, *check(fixed)])
