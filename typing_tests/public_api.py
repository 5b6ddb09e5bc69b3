"""Type-checked only (mypy --strict, pyright --strict), never run."""

from __future__ import annotations

import uuid

from typing_extensions import assert_type

from helicone_headers import (
    CacheOptions,
    HeliconeHeaders,
    RateLimitPolicy,
    RetryOptions,
    SessionOptions,
)

base = HeliconeHeaders(
    user_id="u",
    properties={"App": "web"},
    cache=CacheOptions(enabled=True, max_age_seconds=3600),
    rate_limit=RateLimitPolicy.per_minute(10, segment="user"),
    retry=RetryOptions(max_attempts=3, factor=1.5),
)
per_request = HeliconeHeaders(session=SessionOptions(path="/plan"), request_id=uuid.uuid4())

assert_type(base | per_request, HeliconeHeaders)
assert_type(base.merge(per_request), HeliconeHeaders)
assert_type(base.to_headers(), dict[str, str])
assert_type(base.to_litellm_metadata(), dict[str, str])
assert_type(HeliconeHeaders.from_headers({"Helicone-User-Id": "u"}), HeliconeHeaders)
assert_type(HeliconeHeaders.from_headers([("Helicone-User-Id", "u")]), HeliconeHeaders)
assert_type(HeliconeHeaders.from_env(user_id="u"), HeliconeHeaders)
assert_type(RateLimitPolicy.parse("10;w=60"), RateLimitPolicy)
assert_type(str(RateLimitPolicy.parse("10;w=60")), str)
assert_type(base.is_eu, bool)
assert_type(base.rate_limit, RateLimitPolicy | None)
assert_type(base.cache, CacheOptions | None)

# The shorthand forms the runtime takes are refused by the type checkers, as the models guide
# says: a typed caller passes the policy, key, group and UUID objects.
HeliconeHeaders(rate_limit="10;w=60")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
HeliconeHeaders(api_key="sk-helicone-a")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
HeliconeHeaders(cache={"enabled": True})  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
HeliconeHeaders(request_id="8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# Diagnostics, responses, reference, sessions.
from helicone_headers import (  # noqa: E402 - grouped with the checks that use them
    ActiveSession,
    Diagnostic,
    HeliconeResponse,
    SessionOptions,
    check,
    current_session,
    new_request_id,
    render_header_docs,
    session,
    step,
)

assert_type(check({"Helicone-User-Id": "u"}), list[Diagnostic])
assert_type(check(base), list[Diagnostic])
assert_type(HeliconeResponse.from_headers({"Helicone-Cache": "HIT"}).cache_hit, bool | None)
assert_type(render_header_docs("json"), str)
assert_type(new_request_id(), uuid.UUID)
assert_type(base.to_default_headers(), dict[str, str])
assert_type(base.with_current_session(), HeliconeHeaders)
assert_type(current_session(), ActiveSession | None)
with session("Agent") as started, step("plan") as inner:
    assert_type(started, ActiveSession)
    # The id and path of a running session are always set: no `is not None` check needed.
    assert_type(started.id, str)
    assert_type(inner.path, str)
    assert_type(started.name, str | None)
    options: SessionOptions = inner  # an ActiveSession goes wherever SessionOptions goes
    assert_type(HeliconeHeaders(session=inner), HeliconeHeaders)
render_header_docs("html")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
