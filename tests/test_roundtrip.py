"""Properties that hold for every valid model: round trips and header safety."""

from __future__ import annotations

import h11
import httpx
from hypothesis import given

from helicone_headers import (
    HeliconeHeaders,
)

from .strategies import everything


@given(everything)
def test_from_headers_inverts_to_headers(headers: HeliconeHeaders) -> None:
    assert HeliconeHeaders.from_headers(headers.to_headers()) == headers


@given(everything)
def test_every_header_is_safe_for_h11_and_httpx(headers: HeliconeHeaders) -> None:
    items = list(headers.to_headers().items())
    # h11 validates every name as a token and every value as field-content.
    request = h11.Request(method="GET", target="/", headers=[("Host", "x"), *items])
    assert len(request.headers) == len(items) + 1
    assert list(httpx.Headers(items).items()) == [(name.lower(), value) for name, value in items]
    for _, value in items:
        assert value == value.strip()
        assert value.isascii()


@given(everything, everything)
def test_merge_lays_the_second_over_the_first(
    first: HeliconeHeaders, second: HeliconeHeaders
) -> None:
    try:
        merged = first | second
    except ValueError:
        return  # e.g. retry timeouts that only clash once merged: refused, as tested elsewhere
    written = merged.to_headers()
    for name, value in second.to_headers().items():
        assert written[name] == value
