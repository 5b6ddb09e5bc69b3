"""LiteLLM, installed from PyPI, against loopback fakes: the headers that arrive on the wire."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest

try:
    import litellm
except ModuleNotFoundError as missing:  # a skip, except in the full run
    pytest.skip(
        f"needs the integration extra: pip install -e '.[integration]' ({missing})",
        allow_module_level=True,
    )

from helicone_headers import (
    CacheOptions,
    HeliconeHeaders,
    HeliconeResponse,
    RateLimitPolicy,
    SessionOptions,
    new_request_id,
)

from .conftest import KEY
from .fakes import RESPONSE_HEADERS, Recorder, fake_openai

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.integration

MESSAGES = [{"role": "user", "content": "How does a case reach the Supreme Court?"}]
HEADERS = HeliconeHeaders(
    api_key=KEY,  # type: ignore[arg-type]
    user_id="user-abc",
    properties={"App": "web"},
    session=SessionOptions(id="session-abc-123", path="/parent/child"),
    cache=CacheOptions(enabled=True, max_age_seconds=3600),
    rate_limit=RateLimitPolicy.per_minute(10, segment="user"),
)


def arrived(seen: dict[str, str], sent: dict[str, str]) -> dict[str, str]:
    """The sent headers as they arrived (names are lowercased on the wire)."""
    return {name: seen.get(name.lower(), "<missing>") for name in sent}


@pytest.fixture
def openai_server() -> Iterator[tuple[str, Recorder]]:
    with fake_openai() as (url, recorder):
        yield f"{url}/v1", recorder


@pytest.fixture(autouse=True)
def clean_litellm() -> Iterator[None]:
    yield
    litellm.headers = None
    litellm.success_callback = []
    litellm.api_base = None


def call(api_base: str, **kwargs: Any) -> Any:
    return litellm.completion(
        model="openai/gpt-4o-mini",
        api_base=api_base,
        api_key="sk-test",
        messages=MESSAGES,
        **kwargs,
    )


@pytest.mark.parametrize("keyword", ["extra_headers", "headers"])
def test_per_call_headers_arrive(keyword: str, openai_server: tuple[str, Recorder]) -> None:
    url, recorder = openai_server
    sent = HEADERS.to_headers()
    call(url, **{keyword: sent})
    (request,) = recorder.wait()
    assert arrived(request.headers, sent) == sent
    assert request.path == "/v1/chat/completions"


def test_module_headers_alone_arrive(openai_server: tuple[str, Recorder]) -> None:
    url, recorder = openai_server
    litellm.headers = HEADERS.to_headers()  # type: ignore[assignment]  # LiteLLM declares `headers = None`
    call(url)
    assert arrived(recorder.wait()[0].headers, HEADERS.to_headers()) == HEADERS.to_headers()


def test_per_call_headers_replace_module_headers_unless_merged(
    openai_server: tuple[str, Recorder],
) -> None:
    url, recorder = openai_server
    client_wide = HeliconeHeaders(api_key=KEY, properties={"Global": "yes"})  # type: ignore[arg-type]
    per_request = HeliconeHeaders(request_id=new_request_id())
    litellm.headers = client_wide.to_headers()  # type: ignore[assignment]  # declared `headers = None`

    call(url, extra_headers=per_request.to_headers())
    replaced = recorder.wait(1)[0].headers
    assert "helicone-auth" not in replaced
    assert "helicone-property-global" not in replaced
    assert replaced["helicone-request-id"] == str(per_request.request_id)

    merged = (client_wide | per_request).to_headers()
    call(url, extra_headers=merged)
    assert arrived(recorder.wait(2)[1].headers, merged) == merged


def test_acompletion(openai_server: tuple[str, Recorder]) -> None:
    url, recorder = openai_server
    sent = HEADERS.to_headers()

    async def main() -> None:
        await litellm.acompletion(
            model="openai/gpt-4o-mini",
            api_base=url,
            api_key="sk-test",
            messages=MESSAGES,
            extra_headers=sent,
        )

    asyncio.run(main())
    assert arrived(recorder.wait()[0].headers, sent) == sent


def test_streaming(openai_server: tuple[str, Recorder]) -> None:
    url, recorder = openai_server
    sent = HEADERS.to_headers()
    chunks = list(call(url, extra_headers=sent, stream=True))
    assert chunks
    (request,) = recorder.wait()
    assert request.body["stream"] is True
    assert arrived(request.headers, sent) == sent


def test_response_headers_read_back(openai_server: tuple[str, Recorder]) -> None:
    url, _ = openai_server
    response = call(url, extra_headers=HEADERS.to_headers())
    helicone = HeliconeResponse.from_headers(response._hidden_params["additional_headers"])
    assert HeliconeResponse.from_response(response) == helicone
    assert helicone.id == RESPONSE_HEADERS["Helicone-Id"]
    assert helicone.cache_hit is False
    assert str(helicone.rate_limit_policy) == "10;w=60;s=user"


def test_success_callback_logs_the_metadata(
    openai_server: tuple[str, Recorder], helicone_log: Recorder
) -> None:
    url, llm = openai_server
    logged = HeliconeHeaders(
        api_key=KEY,  # type: ignore[arg-type]
        user_id="user-abc",
        properties={"App": "web"},
        session=SessionOptions(id="session-abc-123", path="/parent/child"),
    )
    litellm.success_callback = ["helicone"]
    call(url, metadata=logged.to_litellm_metadata())
    (entry,) = helicone_log.wait()
    assert entry.path == "/oai/v1/log"
    assert entry.headers["authorization"] == f"Bearer {KEY}"
    meta = entry.body["providerRequest"]["meta"]
    assert {name: meta.get(name) for name in logged.to_headers()} == logged.to_headers()
    # The proxy route's headers were never sent to the model.
    assert not [name for name in llm.wait()[0].headers if name.startswith("helicone-")]


def test_metadata_without_the_key_still_logs_with_helicone_api_key(
    openai_server: tuple[str, Recorder], helicone_log: Recorder
) -> None:
    """Leave api_key out of the metadata: other callbacks never see it, and the log is still
    sent with HELICONE_API_KEY, which the Helicone callback reads itself."""
    url, _ = openai_server
    with_key = HeliconeHeaders(api_key=KEY, user_id="user-abc")  # type: ignore[arg-type]
    assert with_key.to_litellm_metadata()["Helicone-Auth"] == f"Bearer {KEY}"
    metadata = with_key.model_copy(update={"api_key": None}).to_litellm_metadata()
    assert metadata == {"Helicone-User-Id": "user-abc"}
    litellm.success_callback = ["helicone"]
    call(url, metadata=metadata)
    (entry,) = helicone_log.wait()
    assert entry.headers["authorization"] == f"Bearer {KEY}"
    assert entry.body["providerRequest"]["meta"]["Helicone-Auth"] == f"Bearer {KEY}"
    assert entry.body["providerRequest"]["meta"]["Helicone-User-Id"] == "user-abc"


def test_module_metadata_is_not_read(openai_server: tuple[str, Recorder]) -> None:
    url, recorder = openai_server
    litellm.metadata = HEADERS.to_headers()  # what old docs advise
    try:
        call(url)
    finally:
        del litellm.metadata
    assert not [name for name in recorder.wait()[0].headers if name.startswith("helicone-")]


def test_helicone_provider_needs_api_base_per_call(
    openai_server: tuple[str, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, recorder = openai_server
    monkeypatch.setenv("HELICONE_API_KEY", KEY)
    sent = HEADERS.model_copy(update={"api_key": None}).to_headers()
    litellm.completion(
        model="helicone/gpt-4o-mini", api_base=url, messages=MESSAGES, extra_headers=sent
    )
    (request,) = recorder.wait()
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert arrived(request.headers, sent) == sent
