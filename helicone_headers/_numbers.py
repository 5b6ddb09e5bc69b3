"""Numbers and JSON as Helicone's JavaScript reads them (parseInt, parseFloat, JSON.parse)."""

from __future__ import annotations

import math
import re
from typing import cast

__all__ = [
    "DECIMAL",
    "DIGITS",
    "JS_FLOAT",
    "JS_FULL_FLOAT",
    "JS_INT_10",
    "JS_INT_AUTO",
    "JS_MAX_SAFE",
    "JS_WHITESPACE",
    "format_number",
    "js_json_loads",
    "js_key",
    "js_parse_float",
    "js_parse_int",
    "whole",
]

# What JavaScript's String.prototype.trim() removes: WhiteSpace and LineTerminator. Python's
# str.strip() removes more (\x1c to \x1f, \x85), which JavaScript keeps.
JS_WHITESPACE = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
# JavaScript's parseInt/parseFloat skip that white space, then read the longest numeric prefix;
# used to tell users what Helicone would make of a sloppy number. Their digits are ASCII only
# ("\u0663" is NaN to parseInt), so neither is Python's Unicode-aware \d or \s.
# They explain errors only, so they are compiled on first use (re caches them), not at import.
_JS_SPACE = f"[{JS_WHITESPACE}]*"
JS_INT_10 = _JS_SPACE + r"([+-]?[0-9]+)"
JS_INT_AUTO = _JS_SPACE + r"([+-]?)(0[xX][0-9a-fA-F]+|[0-9]+)"
# The number parseFloat reads: digits with an optional fraction, or a fraction, and an exponent.
_JS_DECIMAL = r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
JS_FLOAT = _JS_SPACE + rf"([+-]?{_JS_DECIMAL})"
# A whole text that parseFloat reads to its end: sign, digits, fraction, exponent.
JS_FULL_FLOAT = re.compile(rf"\+?{_JS_DECIMAL}", re.ASCII)
DIGITS = re.compile(r"[0-9]+")
DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
JS_MAX_SAFE = 2**53 - 1
# A number this long is described by its length, not converted: int() refuses past 4300
# digits, and no message should quote hundreds of them.
_SHOWN_DIGITS = 30


def whole(value: float) -> float:
    """*value* as an int when it is a whole number a float holds exactly, else unchanged.

    A quota of ``100`` is shown and returned as ``100``, not ``100.0``, while ``0.5`` stays.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) <= JS_MAX_SAFE:
        return int(value)
    return value


def format_number(value: float) -> str:
    """Write *value* the way Helicone's grammar reads numbers: digits, an optional fraction."""
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    from decimal import Decimal  # only for fractions: keep it off import time

    return format(Decimal(repr(value)), "f")


def _spoken(sign: str, digits: str, base: int) -> str:
    """*digits* as a number in words a message can hold, however many there are."""
    if len(digits) > _SHOWN_DIGITS:
        return f"{'a negative' if sign == '-' else 'a'} number of {len(digits)} digits"
    return str(int(sign + digits, base))


def js_parse_int(text: str, *, radix10: bool) -> str:
    """What JavaScript's parseInt makes of *text*, as Helicone would report it."""
    if radix10:
        match = re.match(JS_INT_10, text)
        if match is None:
            return "NaN"
        number = match.group(1)
        return _spoken(number[:1].strip("0123456789"), number.lstrip("+-"), 10)
    match = re.match(JS_INT_AUTO, text)
    if match is None:
        return "NaN"
    sign, digits = match.groups()
    if digits[:2].lower() == "0x":
        return _spoken(sign, digits[2:], 16)
    return _spoken(sign, digits, 10)


def js_parse_float(text: str) -> str:
    """What JavaScript's parseFloat makes of *text*, as Helicone would report it."""
    match = re.match(JS_FLOAT, text)
    if match is None:
        return "NaN"
    number = float(match.group(1))
    return format_number(number) if math.isfinite(number) else "Infinity"


def _not_json(constant: str) -> object:
    msg = f"{constant} is not JSON"
    raise ValueError(msg)


def js_json_loads(text: str) -> object:
    """Parse *text* as JSON.parse does: Python's NaN, Infinity and -Infinity are refused.

    Raises:
        ValueError: not JSON.
        RecursionError: nested deeper than Python's parser goes.
    """
    import json  # only for the JSON headers: keep it off import time

    return json.loads(text, parse_constant=_not_json)


def js_key(value: object) -> str:
    """The property name JavaScript makes of a parsed JSON value (``obj[value]``)."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, (int, float)):
        number = float(value)
        if number.is_integer() and abs(number) < 1e21:  # noqa: PLR2004 - where JavaScript switches to exponents
            return str(int(number))
        return repr(number).replace("e-0", "e-").replace("e+0", "e+")
    if isinstance(value, list):
        # Array.prototype.join writes null as an empty string.
        items = cast("list[object]", value)
        return ",".join("" if each is None else js_key(each) for each in items)
    return "[object Object]"
