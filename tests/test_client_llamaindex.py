"""LlamaIndex's Helicone LLM and OpenAILike, installed from PyPI, against a fake Helicone gateway.

``llama-index-llms-openai`` pins ``openai<3``, so these run in ``.ci/run``'s second environment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import openai
import pytest

from helicone_headers import HeliconeHeaders, SessionOptions, new_request_id

from .conftest import KEY
from .fakes import fake_openai

pytestmark = pytest.mark.pinned_clients

SECOND_ENVIRONMENT = "installed by .ci/run in its second environment (the pinned-clients extra)"

llama_helicone = pytest.importorskip("llama_index.llms.helicone", reason=SECOND_ENVIRONMENT)
openai_like = pytest.importorskip("llama_index.llms.openai_like", reason=SECOND_ENVIRONMENT)
ChatMessage = pytest.importorskip("llama_index.core.llms", reason=SECOND_ENVIRONMENT).ChatMessage

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .fakes import Recorder

CLIENT_WIDE = HeliconeHeaders(user_id="user-abc", properties={"App": "web"})
MESSAGES = [ChatMessage(role="user", content="hi")]


def helicone_headers(seen: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in seen.items() if name.startswith("helicone-")}


@pytest.fixture
def gateway() -> Iterator[tuple[str, Recorder]]:
    with fake_openai() as (url, recorder):
        yield f"{url}/v1", recorder


def test_helicone_llm_adds_the_key_to_the_dict_it_is_given(
    gateway: tuple[str, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, recorder = gateway
    # Without OPENAI_API_KEY, the OpenAI client underneath refuses to start ("Missing credentials"):
    # the Helicone class keeps its api_key to itself.
    monkeypatch.setenv("OPENAI_API_KEY", "unused")
    defaults = CLIENT_WIDE.to_default_headers()
    given = dict(defaults)
    llm = llama_helicone.Helicone(
        model="gpt-4o-mini", api_base=url, api_key=KEY, is_chat_model=True, default_headers=given
    )
    assert given == defaults | {"Authorization": f"Bearer {KEY}"}  # mutated: pass a copy
    request_id = new_request_id()
    llm.chat(MESSAGES, extra_headers=HeliconeHeaders(request_id=request_id).to_headers())
    llm.chat(MESSAGES)
    first, second = recorder.wait(2)
    assert first.path == "/v1/chat/completions"
    assert first.headers["authorization"] == f"Bearer {KEY}"
    assert helicone_headers(first.headers) == {
        "helicone-user-id": "user-abc",
        "helicone-property-app": "web",
        "helicone-request-id": str(request_id),
    }
    assert helicone_headers(second.headers) == {
        "helicone-user-id": "user-abc",
        "helicone-property-app": "web",
    }


def test_helicone_llm_without_openai_api_key_cannot_start(
    gateway: tuple[str, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = gateway
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    llm = llama_helicone.Helicone(model="gpt-4o-mini", api_base=url, api_key=KEY)
    with pytest.raises(openai.OpenAIError, match=r"Missing credentials"):
        llm.chat(MESSAGES)


def test_helicone_llm_is_a_completions_model_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELICONE_API_BASE", "https://elsewhere.invalid")
    llm = llama_helicone.Helicone(model="gpt-4o-mini", api_key=KEY)
    assert llm.is_chat_model is False  # chat() would post to /completions
    # HELICONE_API_BASE is read only when api_base=None is passed.
    assert llm.api_base == "https://ai-gateway.helicone.ai/v1"


def test_openai_like_sends_defaults_and_per_call_headers(
    gateway: tuple[str, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, recorder = gateway
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    defaults = CLIENT_WIDE.to_default_headers()
    llm = openai_like.OpenAILike(
        model="gpt-4o-mini",
        api_base=url,
        api_key=KEY,
        is_chat_model=True,
        default_headers=defaults,
    )
    assert defaults == CLIENT_WIDE.to_default_headers()  # left as given
    per_request = HeliconeHeaders(session=SessionOptions(id="s-1", path="/ask"))
    llm.chat(MESSAGES, extra_headers=per_request.to_headers())
    (seen,) = recorder.wait()
    assert seen.headers["authorization"] == f"Bearer {KEY}"
    assert helicone_headers(seen.headers) == {
        "helicone-user-id": "user-abc",
        "helicone-property-app": "web",
        "helicone-session-id": "s-1",
        "helicone-session-path": "/ask",
    }
