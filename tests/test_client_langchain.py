"""LangChain and LangGraph, installed from PyPI, through a fake Helicone proxy on 127.0.0.1."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest

from helicone_headers import (
    HeliconeHeaders,
    HeliconeResponse,
    SessionOptions,
    new_request_id,
    session,
    step,
)

from .conftest import KEY
from .fakes import RESPONSE_HEADERS, fake_openai

langchain_openai = pytest.importorskip("langchain_openai")
langgraph_graph = pytest.importorskip("langgraph.graph")

from langchain_core.output_parsers import StrOutputParser  # noqa: E402 - after the skip
from langchain_core.prompts import ChatPromptTemplate  # noqa: E402
from langchain_core.runnables import RunnableConfig, RunnableLambda  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .fakes import Recorder

CLIENT_WIDE = HeliconeHeaders(api_key=KEY, user_id="user-abc", properties={"App": "web"})  # type: ignore[arg-type]
DEFAULTS = {
    "helicone-auth": f"Bearer {KEY}",
    "helicone-user-id": "user-abc",
    "helicone-property-app": "web",
}


def helicone_headers(seen: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in seen.items() if name.startswith("helicone-")}


@pytest.fixture
def proxy() -> Iterator[tuple[str, Recorder]]:
    with fake_openai() as (url, recorder):
        yield f"{url}/v1", recorder


def chat_model(url: str, **kwargs: Any) -> Any:
    return langchain_openai.ChatOpenAI(
        model="gpt-4o-mini",
        base_url=url,
        api_key="sk-test",
        default_headers=CLIENT_WIDE.to_default_headers(),
        **kwargs,
    )


def test_default_headers_bind_and_per_call_headers_arrive(proxy: tuple[str, Recorder]) -> None:
    url, recorder = proxy
    llm = chat_model(url)
    bound_id, call_id = new_request_id(), new_request_id()
    llm.bind(extra_headers=HeliconeHeaders(request_id=bound_id).to_headers()).invoke("hi")
    llm.invoke("hi", extra_headers=HeliconeHeaders(request_id=call_id).to_headers())
    llm.invoke("hi")
    bound, per_call, plain = (helicone_headers(seen.headers) for seen in recorder.wait(3))
    assert bound == DEFAULTS | {"helicone-request-id": str(bound_id)}
    assert per_call == DEFAULTS | {"helicone-request-id": str(call_id)}
    assert plain == DEFAULTS


def test_a_chain_run_carries_its_session_on_every_call(proxy: tuple[str, Recorder]) -> None:
    url, recorder = proxy
    llm = chat_model(url)

    def ask(name: str) -> RunnableLambda[Any, Any]:
        def call(messages: Any) -> Any:
            with step(name):
                headers = HeliconeHeaders().with_current_session().to_headers()
                return llm.invoke(messages, extra_headers=headers)

        return RunnableLambda(call)

    prompt = ChatPromptTemplate.from_messages([("user", "Outline {topic}")])
    chain = (
        prompt
        | ask("outline")
        | StrOutputParser()
        | (lambda outline: f"Expand: {outline}")
        | ask("expand")
        | StrOutputParser()
    )
    with session("Writer", id="s-7"):
        assert chain.invoke({"topic": "courts"}) == "hi"
    outline, expand = (helicone_headers(seen.headers) for seen in recorder.wait(2))
    session_headers = {"helicone-session-id": "s-7", "helicone-session-name": "Writer"}
    assert outline == DEFAULTS | session_headers | {"helicone-session-path": "/outline"}
    assert expand == DEFAULTS | session_headers | {"helicone-session-path": "/expand"}


def test_a_bound_session_goes_with_each_call_of_a_chain(proxy: tuple[str, Recorder]) -> None:
    url, recorder = proxy
    run = HeliconeHeaders(session=SessionOptions(id="s-8", path="/summary", name="Summary"))
    chain = (
        ChatPromptTemplate.from_messages([("user", "{text}")])
        | chat_model(url).bind(extra_headers=run.to_headers())
        | StrOutputParser()
    )
    chain.batch([{"text": "a"}, {"text": "b"}])
    for seen in recorder.wait(2):
        assert helicone_headers(seen.headers) == DEFAULTS | {
            "helicone-session-id": "s-8",
            "helicone-session-path": "/summary",
            "helicone-session-name": "Summary",
        }


def test_response_headers_read_back_from_the_message(proxy: tuple[str, Recorder]) -> None:
    url, _ = proxy
    message = chat_model(url, include_response_headers=True).invoke("hi")
    helicone = HeliconeResponse.from_response(message)
    assert helicone == HeliconeResponse.from_headers(message.response_metadata["headers"])
    assert helicone.id == RESPONSE_HEADERS["Helicone-Id"]
    assert helicone.rate_limit_remaining == 9
    with pytest.raises(TypeError, match=r"include_response_headers=True"):
        HeliconeResponse.from_response(chat_model(url).invoke("hi"))


def graph(node: Any) -> Any:
    builder = langgraph_graph.StateGraph(langgraph_graph.MessagesState)
    builder.add_node("answer", node)
    builder.add_edge(langgraph_graph.START, "answer")
    return builder.compile()


def test_langgraph_configurable_sends_no_header(proxy: tuple[str, Recorder]) -> None:
    """Headers passed through ``configurable`` reach the nodes' config, never the wire."""
    url, recorder = proxy
    llm = chat_model(url)
    per_run = HeliconeHeaders(session=SessionOptions(id="s-1", path="/answer")).to_headers()
    seen_config: list[dict[str, Any]] = []

    def answer(state: Any, config: RunnableConfig) -> Any:
        seen_config.append(dict(config.get("configurable", {})))
        return {"messages": [llm.invoke(state["messages"])]}

    graph(answer).invoke({"messages": [("user", "hi")]}, config={"configurable": per_run})
    (seen,) = recorder.wait()
    assert seen_config[0]["Helicone-Session-Id"] == "s-1"  # the node had them ...
    assert helicone_headers(seen.headers) == DEFAULTS  # ... but nothing sent them


def test_langgraph_nodes_send_the_run_headers_they_are_given(
    proxy: tuple[str, Recorder],
) -> None:
    url, recorder = proxy
    llm = chat_model(url)

    def answer(state: Any, config: RunnableConfig) -> Any:
        headers = config["configurable"]["helicone"]
        return {"messages": [llm.invoke(state["messages"], extra_headers=headers)]}

    per_run = HeliconeHeaders(session=SessionOptions(id="s-2", path="/answer"))
    graph(answer).invoke(
        {"messages": [("user", "hi")]},
        config={"configurable": {"helicone": per_run.to_headers()}},
    )
    (seen,) = recorder.wait()
    assert helicone_headers(seen.headers) == DEFAULTS | {
        "helicone-session-id": "s-2",
        "helicone-session-path": "/answer",
    }


def test_langgraph_session_and_steps_reach_sync_and_async_nodes(
    proxy: tuple[str, Recorder],
) -> None:
    url, recorder = proxy
    llm = chat_model(url)

    def plan(state: Any) -> Any:
        with step("plan"):
            headers = HeliconeHeaders().with_current_session().to_headers()
            return {"messages": [llm.invoke(state["messages"], extra_headers=headers)]}

    async def search(state: Any) -> Any:
        with step("search"):
            headers = HeliconeHeaders().with_current_session().to_headers()
            return {"messages": [await llm.ainvoke(state["messages"], extra_headers=headers)]}

    with session("Agent", id="s-3"):
        graph(plan).invoke({"messages": [("user", "hi")]})

    async def main() -> None:
        async with session("Agent", id="s-4"):
            await graph(search).ainvoke({"messages": [("user", "hi")]})

    asyncio.run(main())
    sync, async_ = (helicone_headers(seen.headers) for seen in recorder.wait(2))
    assert sync == DEFAULTS | {
        "helicone-session-id": "s-3",
        "helicone-session-path": "/plan",
        "helicone-session-name": "Agent",
    }
    assert async_ == DEFAULTS | {
        "helicone-session-id": "s-4",
        "helicone-session-path": "/search",
        "helicone-session-name": "Agent",
    }
