"""CrewAI's LLM, installed from PyPI, through a fake Helicone proxy.

CrewAI pins ``pydantic<2.13``, ``openai<3`` and ``mcp<2`` (the proxy extra needs ``mcp>=2.3``):
``.ci/run`` runs this file in its second environment.
"""

from __future__ import annotations

import pytest

from helicone_headers import HeliconeHeaders, SessionOptions

from .conftest import KEY
from .fakes import fake_openai

pytestmark = pytest.mark.pinned_clients

SECOND_ENVIRONMENT = "installed by .ci/run in its second environment (the pinned-clients extra)"

crewai = pytest.importorskip("crewai", reason=SECOND_ENVIRONMENT)

CLIENT_WIDE = HeliconeHeaders(api_key=KEY, user_id="user-abc")  # type: ignore[arg-type]


def helicone_headers(seen: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in seen.items() if name.startswith("helicone-")}


def test_default_headers_of_each_run_arrive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREWAI_DISABLE_TELEMETRY", "true")
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    with fake_openai() as (url, recorder):
        per_run = HeliconeHeaders(session=SessionOptions(id="s-1", path="/crew", name="Crew"))
        llm = crewai.LLM(
            model="openai/gpt-4o-mini",
            base_url=f"{url}/v1",
            api_key="sk-test",
            default_headers=(CLIENT_WIDE | per_run).to_default_headers(),
        )
        assert llm.call("hi") == "hi"
        (seen,) = recorder.wait()
    assert seen.path == "/v1/chat/completions"
    assert helicone_headers(seen.headers) == {
        "helicone-auth": f"Bearer {KEY}",
        "helicone-user-id": "user-abc",
        "helicone-session-id": "s-1",
        "helicone-session-path": "/crew",
        "helicone-session-name": "Crew",
    }
