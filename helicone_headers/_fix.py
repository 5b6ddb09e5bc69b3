"""fix(): rewrite a raw header dict so that Helicone does what it was meant to do.

Each repair is tied to one diagnostic code and is made only when what was meant is plain from
the value itself, and only when what it writes is valid. What cannot be repaired so is left out
and reported, never guessed. A repair never widens what Helicone does: where leaving a header
out would apply a default wider than what Helicone applies now (a 7-day cache for
``max-age=30``, five attempts for ``Helicone-Retry-Num: 0``), its whole feature is left out.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, cast

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from helicone_headers._check import Diagnostic, check
from helicone_headers._codec import OFF_WORDS, ON_WORDS
from helicone_headers._exceptions import PolicySyntaxError
from helicone_headers._headers import HeliconeHeaders
from helicone_headers._names import (
    Route,
    header_names,
    intended_name,
    is_helicone,
    is_secret,
    routes,
)
from helicone_headers._numbers import JS_INT_10, JS_MAX_SAFE, format_number
from helicone_headers._policy import RateLimitPolicy, split_policy
from helicone_headers._reading import header_pairs, read_headers, too_large
from helicone_headers._text import REDACTED, escaped, quoted

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic_core import InitErrorDetails

    _Repair = Callable[[list[list[object]], list[object]], str | None]

__all__ = ["Change", "Fixed", "fix"]

_PAIR = 2
_POLICY_KEYS = ("w", "u", "s")
_SHORTEST_WINDOW = 60


@dataclasses.dataclass(frozen=True)
class Change:
    """One repair ``fix`` made, or one header it left out."""

    code: str
    """The diagnostic code it repairs, as ``check()`` reports it."""
    header: str
    """The header as it was written."""
    message: str
    """What was written before and after, or what Helicone applies now that the header is left
    out (a secret's value is not shown)."""


@dataclasses.dataclass(frozen=True)
class Fixed:
    """What ``fix`` makes of a header dict."""

    headers: dict[str, str]
    """The repaired headers, ready to send: ``check(headers)`` reports no error."""
    model: HeliconeHeaders
    """The Helicone headers read as a model (``HeliconeHeaders.from_headers(headers)``)."""
    changes: list[Change]
    """Every repair made and every header left out, in order."""
    unfixed: list[Diagnostic]
    """Every finding left: errors whose header was left out (a repair would be a guess), and
    warnings kept as they are."""


# The dict being repaired: [name, value] entries, in their order.
_Entries = list[list[object]]


def _shown(header: str, value: object) -> str:
    if isinstance(value, str):
        # quoted() hides a URL's password too.
        return REDACTED if is_secret(HeliconeHeaders, header) else quoted(value)
    if isinstance(value, int) and value.bit_length() > 100:  # noqa: PLR2004 - repr() may refuse it
        return "a very large int"
    return repr(value)


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
    # A number past what JavaScript reads exactly is no plain value: left out, not written.
    if isinstance(value, int) and abs(value) <= JS_MAX_SAFE:
        return _replace(entry, format_number(value))
    if isinstance(value, float) and abs(value) <= JS_MAX_SAFE:
        return _replace(entry, format_number(value))
    return None


def _flag(entries: _Entries, entry: list[object]) -> str | None:
    word = str(entry[1]).strip().lower()
    if word in ON_WORDS:
        return _replace(entry, "true")
    return _remove(entries, entry) if word in OFF_WORDS else None


def _group_names(group: str) -> frozenset[str]:
    """The lowercase names of every header of an option group (``retry``), switch included."""
    return frozenset(
        name.lower()
        for path, names in header_names(HeliconeHeaders).items()
        if path.split(".", 1)[0] == group
        for name in names
    )


def _leave_group(entries: _Entries, group: str) -> list[str]:
    """Leave out every header of *group*; return their names as written."""
    names = _group_names(group)
    removed = [str(entry[0]) for entry in entries if str(entry[0]).lower() in names]
    entries[:] = [entry for entry in entries if str(entry[0]).lower() not in names]
    return removed


def _switch(entries: _Entries, entry: list[object]) -> str | None:
    """``Helicone-Retry-Enabled: false`` meant no retries: leave out every retry header."""
    if str(entry[1]).strip().lower() not in OFF_WORDS:
        return None
    value = entry[1]
    names = ", ".join(_leave_group(entries, "retry"))
    return f"{entry[0]}: {_shown(str(entry[0]), value)} turned retries on; left out {names}"


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
    return f"{escaped(written)} -> {meant}"


def _repeated(entries: _Entries, entry: list[object]) -> str | None:
    """The same header twice with the same value: once is what was meant."""
    lower = str(entry[0]).lower()
    same = [
        other
        for other in entries
        if str(other[0]).lower() == lower
        and isinstance(other[1], str)
        and isinstance(entry[1], str)
        and other[1].strip(" \t") == entry[1].strip(" \t")
    ]
    if len(same) < _PAIR:
        return None
    entries.remove(same[-1])
    return f"{same[-1][0]}: sent twice with the same value; left out the second"


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
        return None  # another number that is too small, such as Helicone-Retry-Num: 0
    try:
        parts = split_policy(str(entry[1]))
        window = int(parts["window_seconds"])
        if not 0 < window < _SHORTEST_WINDOW:
            return None  # the quota is what is too small
        rate = float(parts["quota"]) * _SHORTEST_WINDOW / window
        policy = RateLimitPolicy.model_validate(
            parts | {"quota": rate, "window_seconds": _SHORTEST_WINDOW}
        )
    except (PolicySyntaxError, ValidationError, ValueError):
        return None  # a quota of 0, or one no float holds: no rate to keep
    return _replace(entry, str(policy))


def _path(_: _Entries, entry: list[object]) -> str | None:
    """A session path without its leading ``/``: the same path as Helicone's docs write it."""
    return _replace(entry, "/" + str(entry[1]).strip(" \t"))


_POLICY_HEADER = header_names(HeliconeHeaders)["rate_limit"][0]

# The repair of each finding's code. What it repairs is a str (a value of another type is
# reported as header_value_type alone).
_REPAIRS: dict[str, _Repair] = {
    "header_value_type": _value_type,
    "header_repeated": _repeated,
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


def _valid(name: object, value: object) -> bool:
    """Whether *value* is one the header *name* takes as it is (so a repair may write it)."""
    route = routes(HeliconeHeaders).get(str(name).lower())
    if route is None or route.codec is None or not isinstance(value, str):
        return True  # a value that is no str is another finding's to repair
    try:
        route.codec.validate(value)
    except (PydanticCustomError, ValidationError, ValueError):
        return False
    return route.codec.header_problem(value) is None


def _repair(entries: _Entries, found: list[Diagnostic]) -> list[Change]:
    changes: list[Change] = []
    for diagnostic in found:
        header = diagnostic.header
        repair = _REPAIRS.get(diagnostic.code)
        entry = None if header is None else next((e for e in entries if e[0] == header), None)
        # Only header_value_type repairs a value that is no str; the others read text.
        if (
            entry is None
            or repair is None
            or (not isinstance(entry[1], str) and repair is not _value_type)
        ):
            continue
        before = list(entry)
        changed = repair(entries, entry)
        # A repair that writes what the header does not take would make the request worse.
        if changed is not None and entry in entries and not _valid(entry[0], entry[1]):
            entry[:] = before
            changed = None
        if changed is not None:
            changes.append(Change(diagnostic.code, str(header), changed))
    return changes


def _default_of(route: Route | None) -> str | None:
    """What Helicone applies without the header of *route*, where its docs state it."""
    return None if route is None or route.default is None else route.default.replace("`", "")


def _wider_default(route: Route, value: object) -> bool:
    """Whether leaving out *route*'s header would apply a default wider than its value now.

    A ``max-age`` under 60 seconds caches nothing (the cache store refuses it), where the default
    keeps entries for 7 days; a ``Helicone-Retry-Num`` that parseInt reads as less than 5 (or as
    NaN, one attempt) would become 5 attempts.
    """
    if route.field == "cache.max_age_seconds":
        return True
    if route.field != "retry.max_attempts":
        return False
    import re  # only on this path: keep it off import time

    match = re.match(JS_INT_10, value if isinstance(value, str) else "")
    if match is None:
        return True  # NaN: one attempt
    digits = match[1].lstrip("+")
    return (
        digits.startswith("-")
        or len(digits) < len(str(_DEFAULT_ATTEMPTS))
        or (len(digits) == 1 and int(digits) < _DEFAULT_ATTEMPTS)
    )


_DEFAULT_ATTEMPTS = 5


def _located(error: InitErrorDetails) -> tuple[tuple[int | str, ...], str]:
    """The location and the code of an error of a reading."""
    kind = error["type"]
    return tuple(error.get("loc", ())), kind if isinstance(kind, str) else kind.type


def _leave_out(
    entries: _Entries, findings: list[Diagnostic]
) -> tuple[list[Diagnostic], list[Change], list[Diagnostic]]:
    """Leave out the headers of the errors left among *findings* (``check(entries)``).

    Leaving out a header can break another (cache options without ``Helicone-Cache-Enabled``),
    so this goes on until no error is left. Returns those errors, what was left out, and the
    findings of what is left: warnings only.
    """
    table = routes(HeliconeHeaders)
    left: list[Diagnostic] = []
    changes: list[Change] = []
    while found := [d for d in findings if d.severity == "error"]:
        left += found
        before = len(entries)
        # A name that is not a str cannot be sent at all.
        entries[:] = [entry for entry in entries if isinstance(entry[0], str)]
        sent = {str(entry[0]).lower(): entry for entry in entries}
        # An error about a whole option group (retry timeouts), about a header that is not sent
        # (a missing switch), or about one whose default would be wider: the whole group.
        reading = read_headers(HeliconeHeaders, [tuple(entry) for entry in entries])
        groups = {
            str(loc[0]): (code, "its options together are refused")
            for loc, code in map(_located, reading.errors)
            if len(loc) == 1
        }
        at_fault: set[str] = set()
        for diagnostic in found:
            if diagnostic.header is None:
                continue
            lower = diagnostic.header.lower()
            route = table.get(lower)
            if route is not None and lower not in sent:
                groups.setdefault(
                    route.group or route.field, (diagnostic.code, f"{route.header} is missing")
                )
            elif route is not None and route.group and _wider_default(route, sent[lower][1]):
                groups.setdefault(
                    route.group,
                    (
                        diagnostic.code,
                        (
                            f"without {diagnostic.header}, Helicone would apply its default, "
                            f"{_default_of(route)}, more than it asked for"
                        ),
                    ),
                )
            elif lower in sent and lower not in at_fault:
                at_fault.add(lower)
                entry = sent[lower]
                default = _default_of(route)
                then = (
                    "Helicone then goes without it"
                    if default is None
                    else f"Helicone then applies its default, {default}"
                )
                changes.append(
                    Change(
                        diagnostic.code,
                        str(entry[0]),
                        f"{escaped(str(entry[0]))}: {_shown(str(entry[0]), entry[1])} left out; "
                        f"{then}",
                    )
                )
        for group, (code, why) in sorted(groups.items()):
            changes += [
                Change(code, name, f"{name}: left out, and {group} with it ({why})")
                for name in _leave_group(entries, group)
            ]
        entries[:] = [entry for entry in entries if str(entry[0]).lower() not in at_fault]
        if len(entries) == before:  # pragma: no cover - every error names a header or a group
            break
        findings = check(entries)
    return left, changes, findings


def _canonical(entries: _Entries, codes: dict[str, str]) -> tuple[HeliconeHeaders, list[Change]]:
    """Write the Helicone headers as the model writes them: what Helicone applies, spelled so.

    *codes* holds, for each header as written, the code of the warning that names it.
    """
    pairs = [(str(name), str(value)) for name, value in entries]
    reading = read_headers(HeliconeHeaders, pairs)
    # The errors were left out: this is the model, or raises loudly if one was missed.
    model = cast("HeliconeHeaders", reading.built("HeliconeHeaders"))
    written = model.to_headers()
    by_lower = {name.lower(): (name, value) for name, value in written.items()}
    table, names = routes(HeliconeHeaders), header_names(HeliconeHeaders)
    changes: list[Change] = []
    for name, value in pairs:
        if not is_helicone(name) or name in reading.passed:
            continue
        route = table.get(name.lower())
        canonical = name if route is None else names[route.field][0]
        after = by_lower.get(canonical.lower())
        kept = name if canonical.lower() == name.lower() else canonical
        if after is not None and (kept, after[1]) == (name, value):
            continue
        if is_secret(HeliconeHeaders, name):
            message = f"{name}: rewritten as {kept} (its value is secret, not shown)"
        else:
            now = "left out" if after is None else f"{kept}: {_shown(kept, after[1])}"
            message = f"{name}: {_shown(name, value)} -> {now}"
        changes.append(Change(codes.get(name, "header_form"), name, message))
    others = [
        entry
        for entry in entries
        if not is_helicone(str(entry[0])) or str(entry[0]) in reading.passed
    ]
    # A name that differs only in case is kept as written: HTTP names are caseless.
    spelled = {name.lower(): name for name, _ in pairs}
    rewritten: _Entries = [
        [spelled.get(name.lower(), name), value] for name, value in written.items()
    ]
    entries[:] = others + rewritten
    return model, changes


def fix(headers: object) -> Fixed:
    """Repair a header dict: every finding of ``check()`` whose fix is plain from the value.

    ``True`` on a flag becomes ``true``; a key without ``Bearer `` gets it; a misspelled name
    (``Helicone-Rate-Limit-Policy``) takes the name Helicone reads; the bare ignore-keys form
    ``a,b`` is quoted; a window under 60 seconds becomes the same rate per minute; policy parts
    out of order are put in order; ``Helicone-Retry-Enabled: false`` leaves out every retry
    header; a header sent twice with the same value is sent once; values Helicone applies as
    meant are written as the model writes them.

    An error no repair can settle (a bucket size of 21: is it 20, or 2?) leaves its header out,
    so that the result passes ``check()`` with no error, and is listed in ``unfixed`` with
    ``check()``'s message; so is every warning it keeps. ``fix`` never widens what Helicone
    does: where leaving a header out would apply a wider default (a 7-day cache for
    ``max-age=30``, five attempts for ``Helicone-Retry-Num: 0``), its whole feature is left
    out, and it never switches a feature on (retry options without ``Helicone-Retry-Enabled``
    are left out, as Helicone ignores them). Every change, and every header left out with what
    Helicone then applies, is in ``changes``. A dict too large for ``check()`` to read gives
    no headers and its ``input_too_large`` finding.

    Examples:
        >>> fixed = fix({"Helicone-Rate-Limit-Policy": "10;w=30", "Helicone-Cache-Enabled": "True"})
        >>> fixed.headers
        {'Helicone-RateLimit-Policy': '20;w=60', 'Helicone-Cache-Enabled': 'true'}

    Raises:
        TypeError: *headers* is neither a mapping nor an iterable of (name, value) pairs.
    """
    pairs = header_pairs(headers)
    if too_large(pairs) is not None:
        return Fixed({}, HeliconeHeaders(), [], check(pairs))
    entries: _Entries = [list(pair) for pair in pairs]
    changes: list[Change] = []
    # Each repair writes a form its own finding does not report again, so this ends; the bound
    # keeps a mistake in that from looping forever.
    bound = 4 * (len(entries) + 1)
    findings = check(entries)
    while len(changes) < bound and (
        made := _repair(entries, [d for d in findings if d.severity == "error"])
    ):
        changes += made
        findings = check(entries)
    left, left_out, warnings = _leave_out(entries, findings)
    changes += left_out
    paths = _repair(entries, [d for d in warnings if d.code == "session_path_form"])
    changes += paths
    codes = {str(d.header): d.code for d in warnings if d.header is not None}
    model, canonical = _canonical(entries, codes)
    changes += canonical
    fixed: dict[str, str] = {}
    for name, value in entries:
        if str(name) in fixed:
            # A dict holds one value a name: the two are joined, as HTTP joins them.
            fixed[str(name)] += f", {value}"
            changes.append(
                Change("header_repeated", str(name), f"{name}: sent twice; the values joined")
            )
        else:
            fixed[str(name)] = str(value)
    return Fixed(fixed, model, changes, [*left, *check(fixed)])
