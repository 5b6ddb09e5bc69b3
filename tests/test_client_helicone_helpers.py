"""helicone-helpers' HeliconeManualLogger, installed from PyPI, posting to a fake Helicone log.

The wire tests need ``helicone-helpers``, whose ``httpx<0.29`` pin keeps it out of the main test
environment: ``.ci/run`` runs them in a second one.
"""

from __future__ import annotations

from typing import Any

import pytest

from helicone_headers import (
    CacheOptions,
    HeliconeHeaders,
    MetadataRouteError,
    RateLimitPolicy,
    RetryOptions,
    SessionOptions,
    new_request_id,
)

from .conftest import KEY
from .fakes import fake_helicone_log

CLIENT_WIDE = HeliconeHeaders(user_id="user-abc", properties={"App": "web"})


def test_log_headers_are_what_the_log_route_applies() -> None:
    logged = CLIENT_WIDE | HeliconeHeaders(
        session=SessionOptions(id="s-1", path="/plan"), request_id=new_request_id()
    )
    assert logged.to_log_headers() == logged.to_headers() == logged.to_litellm_metadata()


def test_proxy_options_are_refused_on_the_log_route() -> None:
    headers = HeliconeHeaders(
        user_id="user-abc",
        cache=CacheOptions(enabled=True),
        rate_limit=RateLimitPolicy.per_minute(5),
        retry=RetryOptions(max_attempts=2),
    )
    with pytest.raises(MetadataRouteError) as exc_info:
        headers.to_log_headers()
    assert exc_info.value.fields == ("rate_limit", "cache", "retry")
    assert str(exc_info.value) == (
        "rate_limit, cache, retry only take effect when the request passes through Helicone's "
        "proxy; Helicone's log route only logs the finished call, so Helicone would ignore them. "
        "Send these as headers with extra_headers=to_headers(), or leave them out of the log "
        "headers"
    )


def helicone_headers(seen: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in seen.items() if name.startswith("helicone-")}


def test_manual_logger_sends_the_log_headers() -> None:
    manual_logger = pytest.importorskip("helicone_helpers")
    request_id = new_request_id()
    request = {"model": "my-model", "messages": [{"role": "user", "content": "hi"}]}
    with fake_helicone_log() as (url, recorder):
        logger = manual_logger.HeliconeManualLogger(
            api_key=KEY, headers=CLIENT_WIDE.to_log_headers(), logging_endpoint=url
        )

        def operation(recorder_: Any) -> str:
            recorder_.append_results({"choices": [{"message": {"content": "hello"}}]})
            return "hello"

        per_request = HeliconeHeaders(
            request_id=request_id, session=SessionOptions(id="s-1", path="/plan", name="Agent")
        )
        result = logger.log_request(
            request, operation, additional_headers=per_request.to_log_headers()
        )
        (seen,) = recorder.wait()
    assert result == "hello"
    assert seen.path == "/custom/v1/log"
    # The log route reads the key from Authorization, which the logger writes itself.
    assert seen.headers["authorization"] == f"Bearer {KEY}"
    assert helicone_headers(seen.headers) == {
        "helicone-user-id": "user-abc",
        "helicone-property-app": "web",
        "helicone-request-id": str(request_id),
        "helicone-session-id": "s-1",
        "helicone-session-path": "/plan",
        "helicone-session-name": "Agent",
    }
    assert seen.body["providerRequest"]["json"] == request
    # The logger copies its client-wide headers into the logged response's headers as well:
    # a key put there would be stored with every log.
    assert seen.body["providerResponse"]["headers"] == CLIENT_WIDE.to_log_headers()


def test_manual_logger_provider_routes() -> None:
    manual_logger = pytest.importorskip("helicone_helpers")
    with fake_helicone_log() as (url, recorder):
        logger = manual_logger.HeliconeManualLogger(
            api_key=KEY, headers=CLIENT_WIDE.to_log_headers(), logging_endpoint=url
        )
        for provider in ("openai", "anthropic"):
            logger.log_request({"model": "m"}, lambda _: None, provider=provider)
        paths = [seen.path for seen in recorder.wait(2)]
    assert paths == ["/oai/v1/log", "/anthropic/v1/log"]
