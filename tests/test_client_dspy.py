"""DSPy, installed from PyPI, through a fake Helicone proxy (DSPy sends through LiteLLM)."""

from __future__ import annotations

import pytest

from helicone_headers import HeliconeHeaders, SessionOptions

from .conftest import KEY
from .fakes import fake_openai

dspy = pytest.importorskip("dspy")

CLIENT_WIDE = HeliconeHeaders(api_key=KEY, user_id="user-abc")  # type: ignore[arg-type]
DEFAULTS = {"helicone-auth": f"Bearer {KEY}", "helicone-user-id": "user-abc"}
PER_RUN = HeliconeHeaders(session=SessionOptions(id="s-1", path="/answer"))
SESSION = {"helicone-session-id": "s-1", "helicone-session-path": "/answer"}


def helicone_headers(seen: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in seen.items() if name.startswith("helicone-")}


def lm(url: str, headers: HeliconeHeaders) -> object:
    return dspy.LM(
        "openai/gpt-4o-mini",
        api_base=f"{url}/v1",
        api_key="sk-test",
        extra_headers=headers.to_headers(),
        cache=False,
    )


def test_client_wide_headers_and_a_merged_copy_per_run() -> None:
    with fake_openai() as (url, recorder):
        base = lm(url, CLIENT_WIDE)
        assert base("hi") == ["hi"]  # type: ignore[operator]
        per_run = base.copy(extra_headers=(CLIENT_WIDE | PER_RUN).to_headers())  # type: ignore[attr-defined]
        with dspy.context(lm=per_run):
            dspy.settings.lm("hi")
        plain, merged = (helicone_headers(seen.headers) for seen in recorder.wait(2))
    assert plain == DEFAULTS
    assert merged == DEFAULTS | SESSION


def test_per_call_extra_headers_replace_the_lm_headers() -> None:
    """DSPy lays call keywords over the LM's own: a per-call extra_headers drops the key."""
    with fake_openai() as (url, recorder):
        lm(url, CLIENT_WIDE)("hi", extra_headers=PER_RUN.to_headers())  # type: ignore[operator]
        (seen,) = recorder.wait()
    assert helicone_headers(seen.headers) == SESSION


def test_a_repeated_call_is_answered_from_dspy_cache_without_reaching_helicone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An in-memory cache of its own: DSPy's default one also lives on disk, across runs.
    monkeypatch.setattr(dspy, "cache", dspy.clients.Cache(False, True, None))
    with fake_openai() as (url, recorder):
        cached = dspy.LM(
            "openai/gpt-4o-mini",
            api_base=f"{url}/v1",
            api_key="sk-test",
            extra_headers=CLIENT_WIDE.to_headers(),
        )
        cached("same question")
        cached("same question")
        recorder.wait()
    assert len(recorder.requests) == 1
