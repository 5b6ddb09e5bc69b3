"""LiteLLM calling OpenAI directly, logged to Helicone by LiteLLM's success callback.

Needs HELICONE_API_KEY and OPENAI_API_KEY. The callback only logs the finished call, so only
logging options travel in metadata=; to_litellm_metadata() refuses proxy-only ones.
"""

import litellm

from helicone_headers import HeliconeHeaders, SessionOptions

litellm.success_callback = ["helicone"]

metadata = HeliconeHeaders.from_env(
    user_id="user-abc",
    properties={"App": "web"},
    session=SessionOptions(id="session-abc-123", path="/ask", name="Support bot"),
).to_litellm_metadata()

response = litellm.completion(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Hi"}],
    metadata=metadata,  # per call: current LiteLLM never reads litellm.metadata
)
print(response.choices[0].message.content)
