"""The OpenAI SDK and httpx, against a loopback fake: client-wide and per-request headers."""

from __future__ import annotations

import httpx
import pytest

try:
    import openai
except ModuleNotFoundError as missing:  # a skip, except in the full run
    pytest.skip(
        f"needs the integration extra: pip install -e '.[integration]' ({missing})",
        allow_module_level=True,
    )

from helicone_headers import (
    HeliconeHeaders,
    HeliconeHeadersError,
    HeliconeResponse,
    SessionOptions,
    new_request_id,
    session,
    step,
)

from .conftest import KEY
from .fakes import RESPONSE_HEADERS, fake_openai

pytestmark = pytest.mark.integration

MESSAGES: list[openai.types.chat.ChatCompletionMessageParam] = [{"role": "user", "content": "hi"}]
CLIENT_WIDE = HeliconeHeaders(api_key=KEY, user_id="user-abc", properties={"App": "web"})  # type: ignore[arg-type]


def test_default_headers_plus_per_request_headers() -> None:
    with fake_openai() as (url, recorder):
        client = openai.OpenAI(
            base_url=f"{url}/v1",
            api_key="sk-test",
            default_headers=CLIENT_WIDE.to_default_headers(),
        )
        ids = [new_request_id(), new_request_id()]
        for request_id, path in zip(ids, ["/plan", "/plan/search"], strict=True):
            per_request = HeliconeHeaders(
                request_id=request_id, session=SessionOptions(id="s-1", path=path)
            )
            client.chat.completions.create(
                model="gpt-4o-mini", messages=MESSAGES, extra_headers=per_request.to_headers()
            )
        first, second = recorder.wait(2)
    for seen, request_id, path in zip((first, second), ids, ["/plan", "/plan/search"], strict=True):
        assert seen.headers["helicone-auth"] == f"Bearer {KEY}"
        assert seen.headers["helicone-property-app"] == "web"
        assert seen.headers["helicone-request-id"] == str(request_id)
        assert seen.headers["helicone-session-path"] == path
    assert ids[0] != ids[1]


def test_a_request_id_in_client_defaults_is_refused() -> None:
    with pytest.raises(HeliconeHeadersError) as exc_info:
        (CLIENT_WIDE | HeliconeHeaders(request_id=new_request_id())).to_default_headers()
    assert str(exc_info.value) == (
        "request_id belongs to one request; as a client-wide default every request would carry "
        "the same Helicone-Request-Id. Pass it per request (extra_headers=) instead"
    )


def test_why_a_request_id_must_not_be_a_default() -> None:
    # Put there by hand, one id tags every request: Helicone would file them all under it.
    request_id = str(new_request_id())
    with fake_openai() as (url, recorder):
        client = openai.OpenAI(
            base_url=f"{url}/v1",
            api_key="sk-test",
            default_headers={"Helicone-Request-Id": request_id},
        )
        for _ in range(2):
            client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
        seen = recorder.wait(2)
    assert [request.headers["helicone-request-id"] for request in seen] == [request_id, request_id]


def test_raw_response_headers_parse() -> None:
    with fake_openai() as (url, _):
        client = openai.OpenAI(base_url=f"{url}/v1", api_key="sk-test")
        raw = client.chat.completions.with_raw_response.create(
            model="gpt-4o-mini", messages=MESSAGES
        )
    response = HeliconeResponse.from_headers(raw.headers)
    assert HeliconeResponse.from_response(raw) == response
    assert response.id == RESPONSE_HEADERS["Helicone-Id"]
    assert response.rate_limit_remaining == 9


def test_httpx_client_with_session_steps() -> None:
    with (
        fake_openai() as (url, recorder),
        httpx.Client(base_url=url, headers=CLIENT_WIDE.to_headers()) as client,
    ):
        with session("Research agent", id="s-9"), step("plan"):
            client.post(
                "/v1/chat/completions",
                json={},
                headers=HeliconeHeaders().with_current_session().to_headers(),
            )
        (seen,) = recorder.wait()
    assert seen.headers["helicone-auth"] == f"Bearer {KEY}"
    assert seen.headers["helicone-session-id"] == "s-9"
    assert seen.headers["helicone-session-path"] == "/plan"
    assert seen.headers["helicone-session-name"] == "Research agent"
