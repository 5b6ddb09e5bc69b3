"""LiteLLM through Helicone's proxy: client-wide headers merged with per-request ones.

Needs HELICONE_API_KEY and OPENAI_API_KEY. HELICONE_BASE_URL overrides the proxy address.
"""

import os

import litellm

from helicone_headers import (
    CacheOptions,
    HeliconeHeaders,
    HeliconeResponse,
    RateLimitPolicy,
    SessionOptions,
    new_request_id,
)

PROXY = os.environ.get("HELICONE_BASE_URL", "https://oai.helicone.ai/v1")

client_wide = HeliconeHeaders.from_env(
    user_id="user-abc",
    properties={"App": "web"},
    cache=CacheOptions(enabled=True, max_age_seconds=3600),
    rate_limit=RateLimitPolicy.per_hour(100, segment="user"),
)
per_request = HeliconeHeaders(
    request_id=new_request_id(), session=SessionOptions(id="session-abc-123", path="/ask")
)

response = litellm.completion(
    model="gpt-4o-mini",
    api_base=PROXY,
    messages=[{"role": "user", "content": "How does a court case get to the Supreme Court?"}],
    # Per-call headers replace litellm.headers entirely, so merge first and send one dict.
    extra_headers=(client_wide | per_request).to_headers(),
)
helicone = HeliconeResponse.from_response(response)
print(response.choices[0].message.content)
print(f"Helicone id {helicone.id}, cache hit: {helicone.cache_hit}")
