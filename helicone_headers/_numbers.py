"""Numbers as Helicone's JavaScript reads them (parseInt, parseFloat), and as we write them."""

from __future__ import annotations

import re

__all__ = [
    "DECIMAL",
    "DIGITS",
    "JS_FLOAT",
    "JS_INT_10",
    "JS_INT_AUTO",
    "JS_MAX_SAFE",
    "format_number",
    "js_parse_float",
    "js_parse_int",
]

# JavaScript's parseInt/parseFloat read the longest numeric prefix; used to tell users what Helicone
# would make of a sloppy number.
# They explain errors only, so they are compiled on first use (re caches them), not at import.
JS_INT_10 = r"\s*([+-]?\d+)"
JS_INT_AUTO = r"\s*([+-]?)(0[xX][0-9a-fA-F]+|\d+)"
JS_FLOAT = r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
DIGITS = re.compile(r"\d+", re.ASCII)
DECIMAL = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
JS_MAX_SAFE = 2**53 - 1


def format_number(value: float) -> str:
    """Write *value* the way Helicone's grammar reads numbers: digits, an optional fraction."""
    if value.is_integer():
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
