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
    "char_problem",
    "escaped",
    "is_token",
    "long_value_problem",
    "quoted",
    "redacted_map",
    "text_problem",
    "token_problem",
    "too_long",
    "without_password",
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


# A quoted value longer than this is shortened: enough to recognise it.
_QUOTED = 60
# The user information of a URL: what stands between "scheme://" and the last "@" before the
# path, as the WHATWG URL standard reads it (a backslash ends the authority of http(s) URLs).
_USERINFO = re.compile(r"([^:/?#\\]*:[/\\]*)([^/?#\\]*)@")


def quoted(value: str) -> str:
    """*value* quoted for a message: a URL's password hidden, shortened past 60 characters."""
    value = without_password(value)
    if len(value) <= _QUOTED:
        return repr(value)
    return f"{value[: _QUOTED // 2]!r}... ({len(value)} characters)"


def without_password(url: str) -> str:
    """*url* with the password of its user information hidden, for messages."""
    match = _USERINFO.match(url)
    if match is None or ":" not in match[2]:
        return url
    user = match[2].split(":", 1)[0]
    return f"{match[1]}{user}:{REDACTED}@{url[match.end() :]}"


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
    unsendable = char_problem(value, secret=secret, tab=False)
    if unsendable is not None:
        return unsendable
    # Visible ASCII throughout, yet not safe: the only problem left is outer spaces.
    shown = "the value" if secret else repr(value.strip(" "))
    return (
        f"has leading or trailing spaces, which HTTP strips, so Helicone would receive "
        f"{shown} instead; remove them"
    )


def char_problem(value: str, *, secret: bool = False, tab: bool = True) -> str | None:
    """Say which character of *value* HTTP clients refuse to send, or return None.

    A *tab* passes unless told otherwise. The reason never quotes a secret.
    """
    for char in value:
        code = ord(char)
        if (tab and char == "\t") or 0x20 <= code <= 0x7E:  # noqa: PLR2004 - visible ASCII
            continue
        if char in "\r\n":
            return (
                "contains a line break (CR or LF), which would end the header early and could "
                "inject another one; remove it"
            )
        shown = "a character" if secret else repr(char)
        if code < 0x20 or code == 0x7F:  # noqa: PLR2004 - the C0 controls and DEL
            return (
                f"contains the control character {shown}, which HTTP clients refuse to send; "
                "remove it"
            )
        return (
            f"contains the non-ASCII character {shown}; HTTP clients such as httpx refuse or "
            "mangle non-ASCII header values, so use ASCII only (percent-encode it if needed)"
        )
    return None


def escaped(text: str) -> str:
    """*text* with lone surrogates written as escapes, so that it can be encoded as UTF-8."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode()
    return text


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
