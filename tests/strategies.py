"""Hypothesis strategies shared by the tests: valid values and models of every kind."""

from __future__ import annotations

import uuid

from hypothesis import strategies as st

from helicone_headers import (
    CacheOptions,
    Fallback,
    HeliconeHeaders,
    PosthogOptions,
    PromptOptions,
    RateLimitPolicy,
    RetryOptions,
    SecurityOptions,
    SessionOptions,
)

policies = st.builds(
    RateLimitPolicy,
    quota=st.one_of(
        st.integers(min_value=1, max_value=10**12),
        st.floats(min_value=1e-6, max_value=1e12, allow_nan=False, allow_infinity=False),
    ),
    window_seconds=st.integers(min_value=60, max_value=31_536_000),
    unit=st.sampled_from(["request", "cents"]),
    segment=st.one_of(
        st.none(), st.just("user"), st.from_regex(r"[a-z0-9_-]{1,20}", fullmatch=True)
    ),
)


text = st.from_regex(r"[!-~]([ !-~]{0,30}[!-~])?", fullmatch=True)
# A secret is never the mask dumps write in its place: that is refused as a value.
secret_text = text.filter(lambda value: value != "*" * 10)
token = st.from_regex(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,20}", fullmatch=True)
urls = st.builds(
    "{}://{}.{}".format,
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z0-9]{1,10}", fullmatch=True),
    st.sampled_from(["com", "ai", "io"]),
)
# Base URLs on Helicone's approved list: Azure OpenAI resources and a few providers.
api_bases = st.from_regex(
    r"https://[a-z0-9-]{1,12}\.openai\.azure\.com", fullmatch=True
) | st.sampled_from(["https://api.openai.com", "https://api.anthropic.com", "https://api.groq.com"])
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
        body_key_override=body_key_override,
    )


fallbacks = st.builds(
    _fallback,
    target_url=urls,
    headers=st.dictionaries(token, secret_text, max_size=2),
    on_codes=st.lists(codes, min_size=1, max_size=3),
    body_key_override=st.none()
    | st.dictionaries(
        st.text(max_size=5), st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=5), max_size=2
    ),
)
securities = st.builds(
    SecurityOptions,
    llm_security=st.just(True),
    advanced=st.booleans(),
    moderations=st.booleans(),
)
posthogs = st.builds(PosthogOptions, key=secret_text, host=st.none() | urls)
extra = st.dictionaries(
    st.sampled_from(["Helicone-Node-Id", "Helicone-Prompt-Format", "Helicone-Brand-New"]),
    secret_text,
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
    openai_api_base=st.none() | api_bases,
    gateway_body_mapping=st.none() | st.sampled_from(["OPENAI", "NO_MAPPING", "RESPONSES"]),
    extra_headers=extra,
)
