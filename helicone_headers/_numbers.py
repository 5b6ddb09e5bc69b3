"""Numbers and JSON as Helicone's JavaScript reads them (parseInt, parseFloat, JSON.parse)."""

from __future__ import annotations

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

# JavaScript's parseInt/parseFloat read the longest numeric prefix; used to tell users what Helicone
# would make of a sloppy number.
# They explain errors only, so they are compiled on first use (re caches them), not at import.
JS_INT_10 = r"\s*([+-]?\d+)"
JS_INT_AUTO = r"\s*([+-]?)(0[xX][0-9a-fA-F]+|\d+)"
# The number parseFloat reads: digits with an optional fraction, or a fraction, and an exponent.
_JS_DECIMAL = r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
JS_FLOAT = rf"\s*([+-]?{_JS_DECIMAL})"
# A whole text that parseFloat reads to its end: sign, digits, fraction, exponent.
JS_FULL_FLOAT = re.compile(rf"\+?{_JS_DECIMAL}", re.ASCII)
DIGITS = re.compile(r"\d+", re.ASCII)
DECIMAL = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
JS_MAX_SAFE = 2**53 - 1
# What JavaScript's String.prototype.trim() removes: WhiteSpace and LineTerminator. Python's
# str.strip() removes more (\x1c to \x1f, \x85), which JavaScript keeps.
JS_WHITESPACE = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


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


def js_parse_int(text: str, *, radix10: bool) -> str:
    """What JavaScript's parseInt makes of *text*, as Helicone would report it."""
    if radix10:
        match = re.match(JS_INT_10, text)
        return str(int(match.group(1))) if match else "NaN"
    match = re.match(JS_INT_AUTO, text)
    if match is None:
        return "NaN"
    sign, digits = match.groups()
    number = int(digits, 16) if digits[:2].lower() == "0x" else int(digits)
    return str(-number if sign == "-" else number)


def js_parse_float(text: str) -> str:
    """What JavaScript's parseFloat makes of *text*, as Helicone would report it."""
    match = re.match(JS_FLOAT, text)
    return format_number(float(match.group(1))) if match else "NaN"


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
