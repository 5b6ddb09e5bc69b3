"""Helicone-OpenAI-Api-Base: the provider base URLs Helicone's proxy accepts.

On oai.helicone.ai Helicone tests the raw header value against the pattern of every provider it
knows (``approvedDomains`` in ``packages/cost/providers/mappings.ts``, Helicone/helicone commit
0003b753) and answers every request with HTTP 500 ``Invalid API base "<value>"`` when none
matches (``getApiBase`` in ``worker/src/lib/models/HeliconeProxyRequest.ts:211-232``). It then
sends the request to ``new URL(value).origin``, so a path is dropped. The patterns below restate
that list: most are anchored at the start only, as there.
"""

from __future__ import annotations

import re

from helicone_headers._codec import Description, Url
from helicone_headers._codes import problem
from helicone_headers._text import quoted

__all__ = ["API_BASE", "APPROVED_API_BASES"]

# (provider, pattern) as in Helicone's list; re.match anchors at the start like its "^".
APPROVED_API_BASES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (provider, re.compile(pattern, re.ASCII))
    for provider, pattern in (
        ("OPENAI", r"https://api\.openai\.com"),
        ("ANTHROPIC", r"https://api\.anthropic\.com"),
        ("LLAMA", r"https://api\.llama\.com"),
        ("NVIDIA", r"https://integrate\.api\.nvidia\.com"),
        (
            "AZURE",
            (
                r"(https?://)?([^.]*\.)?(openai\.azure\.com|azure-api\.net|"
                r"cognitiveservices\.azure\.com|services\.ai\.azure\.com)(/.*)?\Z"
            ),
        ),
        ("NEBIUS", r"https://api\.tokenfactory\.nebius\.com"),
        ("LOCAL", r"http://127\.0\.0\.1:\d+/v\d+/?\Z"),
        ("HELICONE", r"https://oai\.hconeai\.com"),
        ("HELICONE", r"https://inference\.helicone\.ai"),
        ("AMDBARTEK", r"https://.*\.amdbartek\.dev"),
        ("ANYSCALE", r"https://api\.endpoints\.anyscale\.com"),
        ("CLOUDFLARE", r"https://gateway\.ai\.cloudflare\.com"),
        ("X", r"https://api\.x\.ai"),
        ("2YFV", r"https://api\.2yfv\.com"),
        ("TOGETHER", r"https://api\.together\.xyz"),
        ("LEMONFOX", r"https://api\.lemonfox\.ai"),
        ("FIREWORKS", r"https://api\.fireworks\.ai"),
        ("PERPLEXITY", r"https://api\.perplexity\.ai"),
        ("GOOGLE", r"https://(.*\.)?googleapis\.com"),
        ("OPENROUTER", r"https://(api\.)?openrouter\.ai"),
        ("WISDOMINANUTSHELL", r"https://api\.wisdominanutshell\.academy"),
        ("GROQ", r"https://api\.groq\.com"),
        ("COHERE", r"https://api\.cohere\.ai"),
        ("MISTRAL", r"https://api\.mistral\.ai"),
        ("DEEPINFRA", r"https://api\.deepinfra\.com"),
        ("QSTASH", r"https://qstash\.upstash\.io"),
        ("FIRECRAWL", r"https://api\.firecrawl\.dev"),
        ("AWS", r"https://bedrock-runtime\.[a-z0-9-]+\.amazonaws\.com/.*"),
        ("DEEPSEEK", r"https://api\.deepseek\.com"),
        ("AVIAN", r"https://api\.avian\.io"),
        ("NOVITA", r"https://api\.novita\.ai"),
        ("OPENPIPE", r"https://api\.openpipe\.ai"),
        ("CHUTES", r"https://(llm\.)?chutes\.com"),
        ("VERCEL", r"https://ai-gateway\.vercel\.sh"),
        ("CEREBRAS", r"https://api\.cerebras\.ai"),
    )
)


class _ApiBase(Url):
    """A base URL on Helicone's approved list, used by its origin only."""

    def __init__(self) -> None:
        super().__init__(origin_only=True)

    def read(self, text: str) -> object:
        """Take an origin that one of Helicone's provider patterns matches."""
        if not any(pattern.match(text) for _, pattern in APPROVED_API_BASES):
            super(Url, self).read(text)  # unsafe text is named as such first
            raise problem(
                "api_base_not_approved",
                "Helicone accepts only the base URLs of providers it knows here (Azure OpenAI "
                "such as 'https://my-resource.openai.azure.com', api.openai.com, api.anthropic.com, "
                "...) and answers every request on oai.helicone.ai with HTTP 500 ('Invalid API "
                "base') for {value}; for another provider send the request to gateway.helicone.ai "
                "with target_url instead",
                {"value": quoted(text)},
            )
        return super().read(text)

    def describe(self) -> Description:
        """Document the approved list."""
        return Description(
            "absolute http(s) origin of a provider Helicone knows, such as "
            "`https://my-resource.openai.azure.com`",
            "",
            "a URL off Helicone's approved list (Azure OpenAI, OpenAI, Anthropic, ...): HTTP 500 "
            "on every request; a path: silently dropped (only the origin is used)",
        )


API_BASE = _ApiBase()
