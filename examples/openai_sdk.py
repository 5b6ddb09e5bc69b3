"""The OpenAI SDK through Helicone: client-wide defaults, per-request extra_headers.

Needs HELICONE_API_KEY and OPENAI_API_KEY. HELICONE_BASE_URL overrides the proxy address.
"""

import os

from openai import OpenAI

from helicone_headers import HeliconeHeaders, HeliconeResponse, RetryOptions, new_request_id

client = OpenAI(
    base_url=os.environ.get("HELICONE_BASE_URL", "https://oai.helicone.ai/v1"),
    # to_default_headers() refuses a request id: it belongs to one request only.
    default_headers=HeliconeHeaders.from_env(
        properties={"App": "web"}, retry=RetryOptions(max_attempts=3)
    ).to_default_headers(),
)

raw = client.chat.completions.with_raw_response.create(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Hi"}],
    extra_headers=HeliconeHeaders(request_id=new_request_id(), user_id="user-abc").to_headers(),
)
helicone = HeliconeResponse.from_headers(raw.headers)
print(raw.parse().choices[0].message.content)
print(f"Helicone id {helicone.id}, {helicone.rate_limit_remaining} requests left")
