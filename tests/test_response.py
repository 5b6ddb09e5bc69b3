from __future__ import annotations

import httpx
import pytest
from pydantic import BaseModel, ValidationError

from helicone_headers import HeliconeResponse, RateLimitPolicy

from .conftest import messages

FULL = {
    "Helicone-Id": "8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b",
    "Helicone-Status": "success",
    "Helicone-Cache": "HIT",
    "Helicone-Cache-Bucket-Idx": "1",
    "Helicone-Cache-Latency": "12",
    "helicone-fallback-index": "0",
    "Helicone-RateLimit-Limit": "10",
    "Helicone-RateLimit-Remaining": "7.5",
    "Helicone-RateLimit-Policy": "10;w=60;u=cents;s=user",
    "Helicone-RateLimit-Reset": "15",
    "helicone-error": "true",
    "X-Helicone-Error": "upstream timeout",
    "Helicone-Gateway-Mode": "BYOK",
    "Helicone-Provider": "openai",
    "Helicone-Model": "gpt-4o-mini",
    "content-type": "application/json",
}


def test_every_response_header_is_read() -> None:
    response = HeliconeResponse.from_headers(FULL)
    assert response == HeliconeResponse(
        id="8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b",
        status="success",
        cache="HIT",
        cache_bucket_index=1,
        cache_latency=12,
        fallback_index=0,
        rate_limit_limit=10,
        rate_limit_remaining=7.5,
        rate_limit_policy=RateLimitPolicy(
            quota=10, window_seconds=60, unit="cents", segment="user"
        ),
        rate_limit_reset_seconds=15,
        error=True,
        error_message="upstream timeout",
        gateway_mode="BYOK",
        provider="openai",
        model="gpt-4o-mini",
    )
    assert response.cache_hit is True


@pytest.mark.parametrize(
    ("headers", "hit"),
    [({"helicone-cache": "MISS"}, False), ({"helicone-cache": "hit"}, True), ({}, None)],
)
def test_cache_hit(headers: dict[str, str], hit: bool | None) -> None:
    assert HeliconeResponse.from_headers(headers).cache_hit is hit


def test_httpx_headers_and_litellm_prefixes() -> None:
    assert HeliconeResponse.from_headers(httpx.Headers({"Helicone-Id": "a"})).id == "a"
    litellm = {"llm_provider-helicone-id": "b", "llm_provider-helicone-cache": "MISS"}
    assert HeliconeResponse.from_headers(litellm) == HeliconeResponse(id="b", cache="MISS")
    assert HeliconeResponse.from_headers([("helicone-error", "false")]).error is False


def test_malformed_values_name_the_header() -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeResponse.from_headers({"Helicone-Cache-Bucket-Idx": "x", "Helicone-Cache": "maybe"})
    assert messages(exc_info) == [
        (
            ("Helicone-Cache",),
            "literal_error",
            "Helicone-Cache (cache): Input should be 'HIT' or 'MISS'",
        ),
        (
            ("Helicone-Cache-Bucket-Idx",),
            "int_parsing",
            "Helicone-Cache-Bucket-Idx (cache_bucket_index): Input should be a valid integer, "
            "unable to parse string as an integer",
        ),
    ]


def test_a_response_object_is_read_by_from_response() -> None:
    response = httpx.Response(200, headers={"Helicone-Id": "a", "Helicone-Cache": "HIT"})
    assert HeliconeResponse.from_response(response) == HeliconeResponse(id="a", cache="HIT")


class _Completion(BaseModel):
    """What the OpenAI SDK returns when asked for the parsed completion only."""

    id: str
    model: str


def test_a_parsed_completion_is_refused_with_the_way_to_keep_headers() -> None:
    completion = _Completion(id="chatcmpl-1", model="gpt-4o")
    with pytest.raises(TypeError, match=r"use HeliconeResponse\.from_response\(\)$"):
        HeliconeResponse.from_headers(completion)
    with pytest.raises(
        TypeError, match=r"^_Completion carries no response headers; with the OpenAI SDK call"
    ):
        HeliconeResponse.from_response(completion)


def test_a_litellm_response_without_provider_headers_is_refused() -> None:
    class _Mocked:
        """A LiteLLM completion answered by its mock keeps no provider headers."""

        _hidden_params: dict[str, object] = {"additional_headers": None}  # noqa: RUF012

    with pytest.raises(TypeError, match=r"^_Mocked carries no response headers"):
        HeliconeResponse.from_response(_Mocked())


class _Message(BaseModel):
    """A LangChain AIMessage keeps the provider's headers in response_metadata["headers"]."""

    content: str
    response_metadata: dict[str, object]


def test_a_langchain_message_with_response_headers_is_read() -> None:
    message = _Message(
        content="hi", response_metadata={"headers": {"helicone-id": "a", "helicone-cache": "HIT"}}
    )
    assert HeliconeResponse.from_response(message) == HeliconeResponse(id="a", cache="HIT")


def test_a_langchain_message_without_headers_says_how_to_keep_them() -> None:
    """Without include_response_headers=True, LangChain keeps no headers in the metadata."""
    message = _Message(content="hi", response_metadata={"model_name": "gpt-4o-mini"})
    with pytest.raises(TypeError) as exc_info:
        HeliconeResponse.from_response(message)
    assert str(exc_info.value) == (
        "_Message carries no response headers; with the OpenAI SDK call "
        "client.chat.completions.with_raw_response.create(...) and pass its result, with "
        "LangChain build the chat model with include_response_headers=True, or pass an "
        "httpx.Response or a LiteLLM completion"
    )


def test_whole_rate_limit_numbers_are_ints_and_decimals_stay() -> None:
    """`helicone-ratelimit-remaining: 9` reads as 9, not 9.0; `7.5` stays 7.5."""
    response = HeliconeResponse.from_headers(FULL | {"Helicone-RateLimit-Remaining": "9"})
    assert (
        response.rate_limit_limit,
        response.rate_limit_remaining,
        response.rate_limit_reset_seconds,
    ) == (10, 9, 15)
    assert all(
        type(number) is int
        for number in (
            response.rate_limit_limit,
            response.rate_limit_remaining,
            response.rate_limit_reset_seconds,
        )
    )
    assert "rate_limit_remaining=9," in repr(response)
    decimal = HeliconeResponse.from_headers(FULL).rate_limit_remaining
    assert decimal == 7.5
    assert type(decimal) is float
