"""Properties that hold for every valid model: round trips and header safety."""

from __future__ import annotations

import uuid

import h11
import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from helicone_headers import (
    CacheOptions,
    Fallback,
    HeliconeHeaders,
    PosthogOptions,
    PromptOptions,
    RetryOptions,
    SecurityOptions,
    SessionOptions,
)

from .test_policy import policies

text = st.from_regex(r"[!-~]([ !-~]{0,30}[!-~])?", fullmatch=True)
token = st.from_regex(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,20}", fullmatch=True)
urls = st.builds(
    "{}://{}.{}".format,
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z0-9]{1,10}", fullmatch=True),
    st.sampled_from(["com", "ai", "io"]),
)
keys = st.builds(
    "sk-helicone{}-{}".format,
    st.sampled_from(["", "-eu"]),
    st.lists(st.from_regex(r"[a-zA-Z0-9_]{7}", fullmatch=True), min_size=4, max_size=4).map(
        "-".join
    ),
)
request_ids = st.builds(
    lambda version, n: uuid.UUID(int=n, version=version),
    st.integers(1, 5),
    st.integers(0, 2**128 - 1),
)


def unique_ignoring_case(names: list[str]) -> bool:
    return len({name.lower() for name in names}) == len(names)


properties = st.dictionaries(token, text, max_size=4).filter(
    lambda d: unique_ignoring_case(list(d))
)
sessions = st.builds(SessionOptions, id=text, path=st.none() | text, name=st.none() | text)
prompts = st.builds(
    PromptOptions,
    id=text,
    version=st.none() | text,
    mode=st.none() | st.sampled_from(["production", "testing", "deactivated"]),
)
caches = st.builds(
    CacheOptions,
    enabled=st.just(True),
    save=st.booleans(),
    read=st.booleans(),
    max_age_seconds=st.none() | st.integers(60, 31_536_000),
    bucket_max_size=st.none() | st.integers(1, 20),
    seed=st.none() | text,
    ignore_keys=st.none() | st.lists(st.text(min_size=1, max_size=10), min_size=1, max_size=3),
)
retries = st.builds(
    RetryOptions,
    max_attempts=st.none() | st.integers(1, 10),
    factor=st.none() | st.floats(0.01, 10),
    min_timeout_ms=st.none() | st.integers(0, 1000),
    max_timeout_ms=st.none() | st.integers(10_000, 60_000),
)
codes = st.integers(100, 599) | st.tuples(st.integers(100, 300), st.integers(300, 599))


def _fallback(
    target_url: str,
    headers: dict[str, str],
    on_codes: list[int | tuple[int, int]],
    body_key_override: dict[str, int | str] | None,
) -> Fallback:
    # Fallback's signature uses its JSON aliases (onCodes), which st.builds would fill in too.
    return Fallback(
        target_url=target_url,
        headers=headers,
        on_codes=on_codes,
        body_key_override=body_key_override,  # type: ignore[arg-type]
    )


fallbacks = st.builds(
    _fallback,
    target_url=urls,
    headers=st.dictionaries(token, text, max_size=2),
    on_codes=st.lists(codes, min_size=1, max_size=3),
    body_key_override=st.none()
    | st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=2),
)
securities = st.builds(
    SecurityOptions,
    llm_security=st.just(True),
    advanced=st.booleans(),
    moderations=st.booleans(),
)
posthogs = st.builds(PosthogOptions, key=text, host=st.none() | urls)
extra = st.dictionaries(
    st.sampled_from(["Helicone-Node-Id", "Helicone-Prompt-Format", "Helicone-Brand-New"]),
    text,
    max_size=2,
)

everything = st.builds(
    HeliconeHeaders,
    api_key=st.none() | keys,
    user_id=st.none() | text,
    properties=properties,
    session=st.none() | sessions,
    prompt=st.none() | prompts,
    rate_limit=st.none() | policies,
    cache=st.none() | caches,
    retry=st.none() | retries,
    fallbacks=st.none() | st.lists(fallbacks, min_size=1, max_size=2),
    security=st.none() | securities,
    model_override=st.none() | text,
    omit_request=st.booleans(),
    omit_response=st.booleans(),
    request_id=st.none() | request_ids,
    token_limit_handler=st.none() | st.sampled_from(["truncate", "middle-out", "fallback"]),
    posthog=st.none() | posthogs,
    stream_usage=st.booleans(),
    stream_force_format=st.booleans(),
    increase_timeout=st.booleans(),
    target_url=st.none() | urls,
    openai_api_base=st.none() | urls,
    gateway_body_mapping=st.none() | st.sampled_from(["OPENAI", "NO_MAPPING", "RESPONSES"]),
    extra_headers=extra,
)


@settings(max_examples=200, deadline=None)
@given(everything)
def test_from_headers_inverts_to_headers(headers: HeliconeHeaders) -> None:
    assert HeliconeHeaders.from_headers(headers.to_headers()) == headers


@settings(max_examples=200, deadline=None)
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


@settings(deadline=None)
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
