"""Build Helicone headers from the models and print the dict LiteLLM or the OpenAI SDK would send."""

import json
import uuid

from pydantic import SecretStr

from helicone_headers import (
    CacheOptions,
    HeliconeHeaders,
    RateLimitPolicy,
    RetryOptions,
    SessionOptions,
)

client_wide = HeliconeHeaders(
    api_key=SecretStr("sk-helicone-aaaaaaa-bbbbbbb-ccccccc-ddddddd"),
    user_id="user-abc",
    properties={"App": "web"},
    cache=CacheOptions(enabled=True, max_age_seconds=3600, ignore_keys=["request_id"]),
    rate_limit=RateLimitPolicy.parse("100;w=3600;s=user"),
    retry=RetryOptions(max_attempts=3, factor=2),
)
per_request = HeliconeHeaders(
    session=SessionOptions(id="session-abc-123", path="/plan/search", name="Agent"),
    request_id=uuid.UUID("8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b"),
)

print(json.dumps((client_wide | per_request).to_headers(), indent=2))
