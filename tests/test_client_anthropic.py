"""The Anthropic SDK, installed from PyPI, through a fake anthropic.helicone.ai on 127.0.0.1."""

from __future__ import annotations

import asyncio

import pytest

from helicone_headers import HeliconeHeaders, HeliconeResponse, SessionOptions, new_request_id

from .conftest import KEY
from .fakes import RESPONSE_HEADERS, fake_openai

anthropic = pytest.importorskip("anthropic")

CLIENT_WIDE = HeliconeHeaders(api_key=KEY, user_id="user-abc", properties={"App": "web"})  # type: ignore[arg-type]


def helicone_headers(seen: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in seen.items() if name.startswith("helicone-")}


def test_default_headers_and_per_call_extra_headers_arrive() -> None:
    with fake_openai() as (url, recorder):
        client = anthropic.Anthropic(
            base_url=url, api_key="sk-ant-test", default_headers=CLIENT_WIDE.to_default_headers()
        )
        request_id = new_request_id()
        per_request = HeliconeHeaders(
            request_id=request_id, session=SessionOptions(id="s-1", path="/plan", name="Agent")
        )
        message = client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=16,
            messages=[{"role": "user", "content": "hi"}],
            extra_headers=per_request.to_headers(),
        )
        client.messages.create(
            model="claude-sonnet-4-5", max_tokens=16, messages=[{"role": "user", "content": "hi"}]
        )
        first, second = recorder.wait(2)
    assert message.content[0].type == "text"
    assert first.path == "/v1/messages"
    # The provider's key travels beside Helicone's (x-api-key, or Authorization in SDK 2.x).
    provider_key = first.headers.get("x-api-key") or first.headers["authorization"]
    assert provider_key.removeprefix("Bearer ") == "sk-ant-test"
    assert helicone_headers(first.headers) == {
        "helicone-auth": f"Bearer {KEY}",
        "helicone-user-id": "user-abc",
        "helicone-property-app": "web",
        "helicone-request-id": str(request_id),
        "helicone-session-id": "s-1",
        "helicone-session-path": "/plan",
        "helicone-session-name": "Agent",
    }
    # Per-request headers stay with their call; the defaults go with every call.
    assert helicone_headers(second.headers) == {
        "helicone-auth": f"Bearer {KEY}",
        "helicone-user-id": "user-abc",
        "helicone-property-app": "web",
    }


def test_async_client_and_response_headers_read_back() -> None:
    async def main(url: str) -> HeliconeResponse:
        client = anthropic.AsyncAnthropic(
            base_url=url, api_key="sk-ant-test", default_headers=CLIENT_WIDE.to_default_headers()
        )
        raw = await client.messages.with_raw_response.create(
            model="claude-sonnet-4-5",
            max_tokens=16,
            messages=[{"role": "user", "content": "hi"}],
            extra_headers=HeliconeHeaders(request_id=new_request_id()).to_headers(),
        )
        await client.close()
        return HeliconeResponse.from_response(raw)

    with fake_openai() as (url, recorder):
        helicone = asyncio.run(main(url))
        (seen,) = recorder.wait()
    assert seen.headers["helicone-auth"] == f"Bearer {KEY}"
    assert "helicone-request-id" in seen.headers
    assert helicone.id == RESPONSE_HEADERS["Helicone-Id"]
    assert helicone.rate_limit_remaining == 9
