"""A LiteLLM proxy server in front of Helicone: its config, and what each app sends per request.

Prints a config.yaml for `litellm --config config.yaml` (start the proxy with HELICONE_AUTH set
to "Bearer <your Helicone key>", OPENAI_API_KEY, and LITELLM_MASTER_KEY, without which LiteLLM
1.110 does not start; the apps use that master key as their API key), then the extra_body= an app
passes to the OpenAI SDK pointed at the proxy. Needs the yaml extra: pip install -e '.[yaml]' in a
checkout (or pyyaml beside an installed wheel).
"""

from helicone_headers import (
    CacheOptions,
    HeliconeHeaders,
    RateLimitPolicy,
    SessionOptions,
    check_litellm_config,
    litellm_proxy_yaml,
)

# What the platform team sets once, for every call to these models.
team = HeliconeHeaders(
    properties={"Team": "search"},
    cache=CacheOptions(enabled=True, max_age_seconds=3600),
    rate_limit=RateLimitPolicy.per_minute(100, segment="user"),
)
entries = [
    team.to_litellm_proxy_model(model_name=name, model=f"openai/{name}")
    for name in ("gpt-4o-mini", "gpt-4o")
]
print(litellm_proxy_yaml(*entries), end="")
for finding in check_litellm_config({"model_list": entries}):  # none: the writer's own output
    print(finding.message)

# What an app sends with each request, as extra_body= of the OpenAI SDK's
# chat.completions.create, with the client's base_url at the proxy.
body = HeliconeHeaders(
    user_id="user-abc", session=SessionOptions(id="session-abc-123", path="/ask")
).to_litellm_proxy_body()
print(body)
