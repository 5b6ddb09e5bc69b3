"""Header text: what HTTP lets through as a header name or value, and why it refuses the rest."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "MAX_VALUE_LENGTH",
    "REDACTED",
    "SAFE_PATTERN",
    "SAFE_TEXT",
    "TOKEN",
    "TOO_DEEP",
    "is_token",
    "long_value_problem",
    "redacted_map",
    "text_problem",
    "token_problem",
    "too_long",
]

REDACTED = "**********"

# RFC 9110 §5.6.2: token = 1*tchar; tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" /
# "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# A safe header value: visible ASCII, spaces only inside; its length is checked apart.
SAFE_PATTERN = r"[!-~](?:[ -~]*[!-~])?"
SAFE_TEXT = re.compile(SAFE_PATTERN)
# nginx, Apache and Fastly refuse header lines past 8 KiB by default; a longer value may never
# reach Helicone (HTTP 400 or 431 from a proxy on the way).
MAX_VALUE_LENGTH = 8192

# Python's JSON parser stops at about a thousand levels of brackets: such text is refused as it
# is, without a claim about what Helicone's parser would make of it.
TOO_DEEP = (
    "the value nests brackets too deeply to be read, and no valid value nests more than a few "
    "levels; write {shape}"
)


def is_token(name: str) -> bool:
    """Tell whether *name* is an RFC 9110 token, the only legal shape of a header name."""
    return TOKEN.fullmatch(name) is not None


def _is_safe(value: str) -> bool:
    return len(value) <= MAX_VALUE_LENGTH and SAFE_TEXT.fullmatch(value) is not None


def text_problem(value: str, *, secret: bool = False) -> str | None:
    """Say what is wrong with *value* as a header value, or return ``None`` when it is safe.

    Safe means non-empty visible ASCII with spaces inside only. The reason never quotes a secret.
    """
    if _is_safe(value):
        return None
    if len(value) > MAX_VALUE_LENGTH:
        return too_long(len(value))
    if not value:
        return (
            "is empty; Helicone treats an empty header as if it were absent, so leave the option "
            "unset instead"
        )
    for char in value:
        code = ord(char)
        shown = "a character" if secret else repr(char)
        if char in "\r\n":
            return (
                "contains a line break (CR or LF), which would end the header early and could "
                "inject another one; remove it"
            )
        if code < 0x20 or code == 0x7F:  # noqa: PLR2004 - the C0 controls and DEL
            return (
                f"contains the control character {shown}, which HTTP clients refuse to send; "
                "remove it"
            )
        if code > 0x7E:  # noqa: PLR2004 - past '~', the last visible ASCII character
            return (
                f"contains the non-ASCII character {shown}; HTTP clients such as httpx refuse or "
                "mangle non-ASCII header values, so use ASCII only (percent-encode it if needed)"
            )
    # Visible ASCII throughout, yet not safe: the only problem left is outer spaces.
    shown = "the value" if secret else repr(value.strip(" "))
    return (
        f"has leading or trailing spaces, which HTTP strips, so Helicone would receive "
        f"{shown} instead; remove them"
    )


def too_long(length: int) -> str:
    return (
        f"is {length} characters long; proxies on the way to Helicone commonly refuse header "
        f"values over {MAX_VALUE_LENGTH} bytes (the nginx, Apache and Fastly default), so the "
        f"request may fail with HTTP 400 or 431; keep it under {MAX_VALUE_LENGTH} characters"
    )


def long_value_problem(value: str) -> str | None:
    """Say why a written value is too long to send, or return None."""
    return too_long(len(value)) if len(value) > MAX_VALUE_LENGTH else None


def token_problem(name: str) -> str | None:
    """Say why *name* cannot be a header name, or return None."""
    if is_token(name):
        return None
    return (
        f"{name!r} is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only), "
        "so HTTP clients refuse to send it"
    )


def redacted_map(value: Mapping[str, str]) -> dict[str, str]:
    """The map with every value hidden, for dumps and reprs of secret header maps."""
    return dict.fromkeys(value, REDACTED)
