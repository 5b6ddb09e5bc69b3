"""The OpenAI Agents SDK, installed from PyPI, through a fake Helicone proxy."""

from __future__ import annotations

import asyncio
from typing import Any

import openai
import pytest

from helicone_headers import HeliconeHeaders, SessionOptions

from .conftest import KEY
from .fakes import fake_openai

agents = pytest.importorskip("agents")

CLIENT_WIDE = HeliconeHeaders(api_key=KEY, user_id="user-abc")  # type: ignore[arg-type]
DEFAULTS = {"helicone-auth": f"Bearer {KEY}", "helicone-user-id": "user-abc"}
AGENT_HEADERS = HeliconeHeaders(properties={"Agent": "helper"})
PER_RUN = HeliconeHeaders(session=SessionOptions(id="s-1", path="/run"))


def helicone_headers(seen: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in seen.items() if name.startswith("helicone-")}


@pytest.fixture(autouse=True)
def no_tracing() -> Any:
    # The SDK exports traces to OpenAI unless told not to; the tests talk only to 127.0.0.1.
    agents.set_tracing_disabled(True)
    yield
    agents.set_tracing_disabled(False)


def run(url: str, *run_headers: dict[str, str] | None) -> list[Any]:
    """Run the agent once per entry of *run_headers* (None: no run settings)."""

    async def main() -> list[Any]:
        async with openai.AsyncOpenAI(
            base_url=f"{url}/v1",
            api_key="sk-test",
            default_headers=CLIENT_WIDE.to_default_headers(),
        ) as client:
            helper = agents.Agent(
                name="helper",
                instructions="Answer briefly.",
                model=agents.OpenAIChatCompletionsModel(model="gpt-4o-mini", openai_client=client),
                model_settings=agents.ModelSettings(extra_headers=AGENT_HEADERS.to_headers()),
            )
            return [
                await agents.Runner.run(
                    helper,
                    "hi",
                    run_config=agents.RunConfig(
                        model_settings=agents.ModelSettings(extra_headers=headers)
                    ),
                )
                for headers in run_headers
            ]

    return asyncio.run(main())


def test_client_agent_and_run_headers_arrive() -> None:
    with fake_openai() as (url, recorder):
        result, _ = run(url, (AGENT_HEADERS | PER_RUN).to_headers(), None)
        per_run, plain = (helicone_headers(seen.headers) for seen in recorder.wait(2))
    assert result.final_output == "hi"
    agent_property = {"helicone-property-agent": "helper"}
    assert per_run == DEFAULTS | agent_property | {
        "helicone-session-id": "s-1",
        "helicone-session-path": "/run",
    }
    assert plain == DEFAULTS | agent_property


def test_run_settings_replace_the_agent_extra_headers() -> None:
    """The run's extra_headers replace the agent's as a whole: merge them first."""
    with fake_openai() as (url, recorder):
        run(url, PER_RUN.to_headers())
        (seen,) = recorder.wait()
    assert helicone_headers(seen.headers) == DEFAULTS | {
        "helicone-session-id": "s-1",
        "helicone-session-path": "/run",
    }
