"""Typed, validated Helicone request headers for LiteLLM, the OpenAI SDK and httpx."""

from typing import TYPE_CHECKING

from helicone_headers._cache import CacheOptions
from helicone_headers._exceptions import HeliconeHeadersError, MetadataRouteError, PolicySyntaxError
from helicone_headers._fallback import Fallback
from helicone_headers._headers import HeliconeHeaders, HeliconeHeadersFields
from helicone_headers._policy import RateLimitPolicy
from helicone_headers._posthog import PosthogOptions
from helicone_headers._prompt import PromptOptions
from helicone_headers._retry import RetryOptions
from helicone_headers._security import SecurityOptions
from helicone_headers._session_context import (
    SessionScope,
    current_session,
    new_request_id,
    session,
    step,
)
from helicone_headers._session_options import ActiveSession, SessionOptions

if TYPE_CHECKING:
    from helicone_headers._check import Diagnostic, check
    from helicone_headers._docs import render_header_docs
    from helicone_headers._fix import Change, Fixed, fix
    from helicone_headers._litellm_proxy import check_litellm_config, litellm_proxy_yaml
    from helicone_headers._response import HeliconeResponse
del TYPE_CHECKING

__version__ = "0.1.0"

# Loaded on first use, to keep them off the import time of every program that builds headers.
_LAZY = {
    "Diagnostic": "helicone_headers._check",
    "check": "helicone_headers._check",
    "Change": "helicone_headers._fix",
    "Fixed": "helicone_headers._fix",
    "fix": "helicone_headers._fix",
    "check_litellm_config": "helicone_headers._litellm_proxy",
    "litellm_proxy_yaml": "helicone_headers._litellm_proxy",
    "render_header_docs": "helicone_headers._docs",
    "HeliconeResponse": "helicone_headers._response",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    msg = f"module 'helicone_headers' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "ActiveSession",
    "CacheOptions",
    "Change",
    "Diagnostic",
    "Fallback",
    "Fixed",
    "HeliconeHeaders",
    "HeliconeHeadersError",
    "HeliconeHeadersFields",
    "HeliconeResponse",
    "MetadataRouteError",
    "PolicySyntaxError",
    "PosthogOptions",
    "PromptOptions",
    "RateLimitPolicy",
    "RetryOptions",
    "SecurityOptions",
    "SessionOptions",
    "SessionScope",
    "__version__",
    "check",
    "check_litellm_config",
    "current_session",
    "fix",
    "litellm_proxy_yaml",
    "new_request_id",
    "render_header_docs",
    "session",
    "step",
]
