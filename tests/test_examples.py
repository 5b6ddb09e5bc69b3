"""The scripts in examples/ run, against loopback fakes instead of Helicone and OpenAI."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

try:
    import litellm
    import yaml
except ModuleNotFoundError as missing:  # a skip, except in the full run
    pytest.skip(
        f"needs the integration and yaml extras: pip install -e '.[integration,yaml]' ({missing})",
        allow_module_level=True,
    )

from helicone_headers import check_litellm_config

from .conftest import KEY
from .fakes import Recorder, fake_openai

pytestmark = [pytest.mark.integration, pytest.mark.yaml]

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(autouse=True)
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELICONE_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")


@pytest.fixture(autouse=True)
def clean_litellm() -> None:
    litellm.success_callback = []


def test_litellm_proxy(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with fake_openai() as (url, recorder):
        monkeypatch.setenv("HELICONE_BASE_URL", f"{url}/v1")
        runpy.run_path(str(EXAMPLES / "litellm_proxy.py"))
        (seen,) = recorder.wait()
    assert seen.headers["helicone-auth"] == f"Bearer {KEY}"
    assert seen.headers["helicone-ratelimit-policy"] == "100;w=3600;s=user"
    assert seen.headers["helicone-session-path"] == "/ask"
    assert "helicone-request-id" in seen.headers
    assert capsys.readouterr().out.splitlines()[-1].endswith("cache hit: False")


def test_litellm_callback(monkeypatch: pytest.MonkeyPatch, helicone_log: Recorder) -> None:
    with fake_openai() as (url, llm):
        monkeypatch.setenv("OPENAI_BASE_URL", f"{url}/v1")
        try:
            runpy.run_path(str(EXAMPLES / "litellm_callback.py"))
            (entry,) = helicone_log.wait()
        finally:
            litellm.success_callback = []
        llm.wait()
    meta = entry.body["providerRequest"]["meta"]
    assert meta["Helicone-Session-Name"] == "Support bot"
    assert meta["Helicone-Property-App"] == "web"


@pytest.mark.parametrize("script", ["openai_sdk.py", "agent_session.py"])
def test_openai_examples(script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with fake_openai() as (url, recorder):
        monkeypatch.setenv("HELICONE_BASE_URL", f"{url}/v1")
        # A script's client lives until its process ends; here the test closes it, or its pooled
        # connection would be left to the garbage collector (a ResourceWarning in a later test).
        runpy.run_path(str(EXAMPLES / script))["client"].close()
        calls = 3 if script == "agent_session.py" else 1
        seen = recorder.wait(calls)
    assert all(request.headers["helicone-auth"] == f"Bearer {KEY}" for request in seen)
    assert len({request.headers["helicone-request-id"] for request in seen}) == calls
    if script == "agent_session.py":
        assert [request.headers["helicone-session-path"] for request in seen] == [
            "/plan",
            "/plan/search",
            "/answer",
        ]
        assert len({request.headers["helicone-session-id"] for request in seen}) == 1


def test_litellm_proxy_server_config(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "litellm_proxy_server.py"))
    out = capsys.readouterr().out
    config_text, body = out.rsplit("\n", 2)[0], out.splitlines()[-1]
    config = yaml.safe_load(config_text)
    assert config_text.startswith("# HELICONE_AUTH must hold the whole header value")
    assert [entry["model_name"] for entry in config["model_list"]] == ["gpt-4o-mini", "gpt-4o"]
    assert check_litellm_config(config) == []
    assert KEY not in out
    assert body.startswith("{'headers': {'Helicone-User-Id': 'user-abc'")
