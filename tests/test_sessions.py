from __future__ import annotations

import asyncio
import threading
import uuid

import pytest
from pydantic import ValidationError

from helicone_headers import (
    ActiveSession,
    HeliconeHeaders,
    HeliconeHeadersError,
    SessionOptions,
    current_session,
    new_request_id,
    session,
    step,
)

from .conftest import messages


def test_a_session_starts_at_the_root_with_a_new_uuid() -> None:
    assert current_session() is None
    with session("Agent") as started:
        assert started == current_session()
        assert started.path == "/"
        assert started.name == "Agent"
        assert uuid.UUID(str(started.id)).version == 4
    assert current_session() is None


def test_steps_nest_and_unwind() -> None:
    with session("Agent", id="s-1"):
        with step("plan") as plan:
            assert plan == ActiveSession(id="s-1", path="/plan", name="Agent")
            with step("search"):
                assert current_session() == ActiveSession(
                    id="s-1", path="/plan/search", name="Agent"
                )
            assert current_session() == plan
        with step("answer"):
            assert HeliconeHeaders(user_id="u").with_current_session().to_headers() == {
                "Helicone-User-Id": "u",
                "Helicone-Session-Id": "s-1",
                "Helicone-Session-Path": "/answer",
                "Helicone-Session-Name": "Agent",
            }
        assert current_session() == ActiveSession(id="s-1", path="/", name="Agent")


def test_outside_a_session_headers_are_unchanged() -> None:
    headers = HeliconeHeaders(user_id="u")
    assert headers.with_current_session() is headers


def test_the_session_overrides_a_base_session() -> None:
    base = HeliconeHeaders(session=SessionOptions(id="old", name="Old"))
    with session("New", id="new"), step("x"):
        assert base.with_current_session().session == SessionOptions(
            id="new", path="/x", name="New"
        )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "a step name must be non-empty and free of '/', got ''"),
        ("a/b", "a step name must be non-empty and free of '/', got 'a/b'"),
    ],
)
def test_bad_step_names(name: str, message: str) -> None:
    with session("Agent"), pytest.raises(HeliconeHeadersError) as exc_info, step(name):
        pass
    assert str(exc_info.value) == message


def test_step_names_are_validated_like_header_values() -> None:
    with session("Agent"), pytest.raises(ValidationError, match="line break"), step("a\nb"):
        pass


def test_a_step_needs_a_session() -> None:
    with pytest.raises(HeliconeHeadersError) as exc_info, step("plan"):
        pass
    assert (
        str(exc_info.value) == "step('plan') needs a current session; start one with session(...)"
    )


def test_threads_do_not_see_each_others_sessions() -> None:
    paths: dict[int, list[str | None]] = {}
    barrier = threading.Barrier(8)

    def agent(index: int) -> None:
        seen: list[str | None] = []
        with session(f"agent-{index}", id=f"s-{index}"):
            for depth in range(5):
                with step(f"t{index}d{depth}"):
                    barrier.wait(timeout=10)  # every thread is inside a step at once
                    current = current_session()
                    seen.append(None if current is None else f"{current.id}{current.path}")
        paths[index] = seen

    threads = [threading.Thread(target=agent, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert paths == {
        index: [f"s-{index}/t{index}d{depth}" for depth in range(5)] for index in range(8)
    }
    assert current_session() is None


def test_hundreds_of_asyncio_tasks_stay_apart() -> None:
    async def agent(index: int, gate: asyncio.Event) -> list[str]:
        seen = []
        with session(f"agent-{index}", id=f"s-{index}"):
            for depth in range(3):
                with step(f"d{depth}"):
                    await gate.wait()  # all tasks interleave here
                    await asyncio.sleep(0)
                    current = current_session()
                    assert current is not None
                    seen.append(f"{current.id}{current.path}")
        return seen

    async def main() -> list[list[str]]:
        gate = asyncio.Event()
        tasks = [asyncio.create_task(agent(index, gate)) for index in range(300)]
        await asyncio.sleep(0)
        gate.set()
        return await asyncio.gather(*tasks)

    results = asyncio.run(main())
    assert results == [[f"s-{index}/d{depth}" for depth in range(3)] for index in range(300)]


def test_a_task_inherits_but_does_not_leak() -> None:
    async def child() -> str | None:
        with step("child"):
            current = current_session()
            return None if current is None else current.path

    async def main() -> tuple[str | None, str | None]:
        with session("Agent", id="s"):
            inner = await asyncio.create_task(child())
            after = current_session()
            return inner, None if after is None else after.path

    assert asyncio.run(main()) == ("/child", "/")


def test_new_request_ids_are_fresh_v4_uuids() -> None:
    ids = {new_request_id() for _ in range(100)}
    assert len(ids) == 100
    assert {request_id.version for request_id in ids} == {4}


def test_async_with_starts_and_ends_a_session() -> None:
    async def agent() -> tuple[str | None, str | None]:
        async with session("Agent", id="s-1"), step("plan") as planned:
            assert current_session() == planned
            inside = planned.path
        return inside, None if current_session() is None else "left open"

    assert asyncio.run(agent()) == ("/plan", None)


def test_a_decorated_function_runs_in_a_new_session_each_call() -> None:
    @session("Agent")
    def run() -> SessionOptions | None:
        with step("search"):
            return current_session()

    first, second = run(), run()
    assert first is not None
    assert second is not None
    assert (first.path, first.name) == ("/search", "Agent")
    assert first.id != second.id
    assert current_session() is None
    assert run.__name__ == "run"


def test_decorated_coroutines_stay_apart_when_run_together() -> None:
    @session("Agent")
    async def agent(index: int, gate: asyncio.Event) -> tuple[str | None, str | None]:
        started = current_session()
        await gate.wait()

        @step(f"task{index}")
        async def work() -> str | None:
            await asyncio.sleep(0)
            options = current_session()
            return None if options is None else options.path

        path = await work()
        assert current_session() == started
        return None if started is None else started.id, path

    async def main() -> list[tuple[str | None, str | None]]:
        gate = asyncio.Event()
        tasks = [asyncio.create_task(agent(index, gate)) for index in range(20)]
        await asyncio.sleep(0)
        gate.set()
        return await asyncio.gather(*tasks)

    results = asyncio.run(main())
    assert [path for _, path in results] == [f"/task{index}" for index in range(20)]
    assert len({session_id for session_id, _ in results}) == 20


def test_a_step_outside_a_session_is_refused_on_entry() -> None:
    scope = step("plan")  # made anywhere: only entering needs a session
    with pytest.raises(HeliconeHeadersError, match="needs a current session"), scope:
        pass  # pragma: no cover - never entered


def test_the_running_session_has_its_id_and_path_set() -> None:
    """`with session("Agent") as started: started.id` is a str, ready to log or pass on."""
    with session("Agent") as started, step("plan") as inner:
        assert isinstance(started.id, str)
        assert inner.path == "/plan"
        assert isinstance(inner, SessionOptions)
        assert HeliconeHeaders(session=inner).to_headers()["Helicone-Session-Path"] == "/plan"
    with pytest.raises(ValidationError) as exc_info:
        ActiveSession(path="/")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    assert messages(exc_info) == [
        (("Helicone-Session-Id",), "missing", "Helicone-Session-Id (id): Field required")
    ]
