"""HeliconeResponse: the headers Helicone adds to its responses, parsed.

Helicone sets them in ``worker/src/lib/HeliconeProxyRequest/ProxyRequestHandler.ts:152-165``,
``worker/src/lib/util/cache/cacheFunctions.ts:171-178``,
``worker/src/lib/rate-limit/bucketClient.ts:527-535``, ``worker/src/routers/gatewayRouter.ts:236``,
``worker/src/lib/ResponseBuilder.ts:50`` and ``worker/src/index.ts:567``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal, cast

from pydantic import AfterValidator, BeforeValidator, Field

from helicone_headers._base import FrozenModel
from helicone_headers._numbers import whole
from helicone_headers._policy import RateLimitPolicy, split_policy
from helicone_headers._reading import header_pairs

__all__ = ["HeliconeResponse"]

# LiteLLM passes the provider's response headers on with this prefix
# (response._hidden_params["additional_headers"]).
_LITELLM_PREFIX = "llm_provider-"


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


def _policy(value: object) -> object:
    return split_policy(value) if isinstance(value, str) else value


def _flag(value: object) -> object:
    return value == "true" if isinstance(value, str) else value


class HeliconeResponse(FrozenModel):
    """What Helicone reports about a request in its response headers.

    Examples:
        >>> response = HeliconeResponse.from_headers(
        ...     {"helicone-id": "8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b", "helicone-cache": "HIT",
        ...      "helicone-cache-bucket-idx": "2", "helicone-ratelimit-remaining": "9",
        ...      "helicone-ratelimit-policy": "10;w=60;u=request;s=user"}
        ... )
        >>> response.cache_hit, response.cache_bucket_index, response.rate_limit_remaining
        (True, 2, 9)
        >>> str(response.rate_limit_policy)
        '10;w=60;s=user'
    """

    id: Annotated[
        str | None,
        Field(
            alias="Helicone-Id",
            description=(
                "The request's id in Helicone: the Helicone-Request-Id you sent, or one Helicone "
                "made."
            ),
        ),
    ] = None

    status: Annotated[
        str | None,
        Field(
            alias="Helicone-Status",
            description="Helicone's status for the request, as it reports it.",
        ),
    ] = None

    cache: Annotated[
        Literal["HIT", "MISS"] | None,
        Field(
            alias="Helicone-Cache",
            description="``HIT`` when the response came from Helicone's cache, ``MISS`` when it did not.",
        ),
        BeforeValidator(_upper),
    ] = None

    cache_bucket_index: Annotated[
        int | None,
        Field(
            alias="Helicone-Cache-Bucket-Idx",
            description="Which of the cached responses for this request was served.",
        ),
    ] = None

    cache_latency: Annotated[
        float | None,
        Field(
            alias="Helicone-Cache-Latency",
            description="How long the cache lookup took, as Helicone reports it.",
        ),
    ] = None

    fallback_index: Annotated[
        int | None,
        Field(
            alias="Helicone-Fallback-Index",
            description="Which Helicone-Fallbacks entry answered (0-based).",
        ),
    ] = None

    rate_limit_limit: Annotated[
        int | float | None,
        Field(
            alias="Helicone-RateLimit-Limit",
            description="The quota of the rate-limit policy that applied.",
        ),
        AfterValidator(whole),
    ] = None

    rate_limit_remaining: Annotated[
        int | float | None,
        Field(
            alias="Helicone-RateLimit-Remaining",
            description="What is left of the quota (requests or cents).",
        ),
        AfterValidator(whole),
    ] = None

    rate_limit_policy: Annotated[
        RateLimitPolicy | None,
        Field(alias="Helicone-RateLimit-Policy", description="The policy that applied, parsed."),
        BeforeValidator(_policy),
    ] = None

    rate_limit_reset_seconds: Annotated[
        int | float | None,
        Field(
            alias="Helicone-RateLimit-Reset",
            description="Seconds until the quota is refilled; sent only while it is not full.",
        ),
        AfterValidator(whole),
    ] = None

    error: Annotated[
        bool,
        Field(
            alias="Helicone-Error",
            description="Whether Helicone itself failed to serve the request (its JSON body says why).",
        ),
        BeforeValidator(_flag),
    ] = False

    error_message: Annotated[
        str | None,
        Field(
            alias="X-Helicone-Error",
            description="Helicone's error message, when it reports one in a header.",
        ),
    ] = None

    gateway_mode: Annotated[
        str | None, Field(alias="Helicone-Gateway-Mode", description="The AI gateway's mode.")
    ] = None

    provider: Annotated[
        str | None,
        Field(alias="Helicone-Provider", description="The provider the AI gateway chose."),
    ] = None

    model: Annotated[
        str | None, Field(alias="Helicone-Model", description="The model the AI gateway used.")
    ] = None

    @property
    def cache_hit(self) -> bool | None:
        """True for a cache hit, False for a miss, None when caching was not reported."""
        return None if self.cache is None else self.cache == "HIT"

    @classmethod
    def from_headers(
        cls, headers: Mapping[str, str] | Iterable[tuple[str, str]]
    ) -> HeliconeResponse:
        """Read Helicone's response headers from any header mapping.

        Takes a dict, ``httpx.Headers`` (``response.headers`` of httpx or of the OpenAI SDK's
        ``with_raw_response``), or LiteLLM's ``response._hidden_params["additional_headers"]``,
        whose names carry an ``llm_provider-`` prefix. Names match in any case; other headers are
        skipped.

        Raises:
            pydantic.ValidationError: a Helicone header whose value is not what Helicone sends.
        """
        aliases = {
            (info.alias or name).lower(): info.alias or name
            for name, info in cls.model_fields.items()
        }
        try:
            pairs = header_pairs(headers)
        except TypeError:
            msg = (
                f"HeliconeResponse.from_headers() takes response headers, got "
                f"{type(headers).__name__}; for a response object (httpx, the OpenAI SDK's "
                "with_raw_response, a LiteLLM completion, a LangChain message) use "
                "HeliconeResponse.from_response()"
            )
            raise TypeError(msg) from None
        data: dict[str, Any] = {}
        for name, value in pairs:
            lower = str(name).lower().removeprefix(_LITELLM_PREFIX)
            if lower in aliases:
                data[aliases[lower]] = value
        return cls.model_validate(data)

    @classmethod
    def from_response(cls, response: object) -> HeliconeResponse:
        """Read Helicone's response headers from a response object.

        Takes an ``httpx.Response``, the OpenAI or Anthropic SDK's ``with_raw_response`` result
        (anything with a ``headers`` mapping), a LiteLLM ``ModelResponse``, whose provider
        headers LiteLLM keeps in ``_hidden_params["additional_headers"]``, or a LangChain
        message from a chat model built with ``include_response_headers=True``, which keeps them
        in ``response_metadata["headers"]``.

        Raises:
            TypeError: *response* carries no headers: a parsed OpenAI completion does not; call
                ``with_raw_response`` to keep them.
            pydantic.ValidationError: a Helicone header whose value is not what Helicone sends.
        """
        headers = getattr(response, "headers", None)
        if isinstance(headers, Mapping):
            return cls.from_headers(cast("Mapping[str, str]", headers))
        # Where LiteLLM and LangChain keep the provider's response headers.
        for attribute, key in (
            ("_hidden_params", "additional_headers"),
            ("response_metadata", "headers"),
        ):
            held = getattr(response, attribute, None)
            if isinstance(held, Mapping):
                kept = cast("Mapping[str, object]", held).get(key)
                if isinstance(kept, Mapping):
                    return cls.from_headers(cast("Mapping[str, str]", kept))
        msg = (
            f"{type(response).__name__} carries no response headers; with the OpenAI SDK call "
            "client.chat.completions.with_raw_response.create(...) and pass its result, with "
            "LangChain build the chat model with include_response_headers=True, or pass an "
            "httpx.Response or a LiteLLM completion"
        )
        raise TypeError(msg)
