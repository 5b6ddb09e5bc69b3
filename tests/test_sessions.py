from __future__ import annotations

import asyncio
import contextvars
import inspect
import threading
import uuid
from typing import TYPE_CHECKING, Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from helicone_headers import (
    ActiveSession,
    HeliconeHeaders,
    HeliconeHeadersError,
    SessionOptions,
    SessionScope,
    current_session,
    new_request_id,
    session,
    step,
)

from .conftest import messages

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator


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


def _where() -> str | None:
    current = current_session()
    return None if current is None else f"{current.id}{current.path}"


class TestOneScopeObjectShared:
    """One session() object entered by many threads or tasks at once: each leaves as it came."""

    def test_threads_leave_in_any_order(self) -> None:
        shared = session("Agent", id="s")
        both_in = threading.Barrier(2)
        first_out = threading.Event()
        seen: dict[int, list[str | None]] = {}
        failures: list[BaseException] = []

        def agent(index: int) -> None:
            try:
                with shared:
                    both_in.wait(timeout=10)
                    seen[index] = [_where()]
                    # The first to enter leaves first: a token list shared by the threads would
                    # hand it the other thread's token.
                    if index == 1:
                        first_out.wait(timeout=10)
                seen[index].append(_where())
                first_out.set()
            except BaseException as exc:  # noqa: BLE001 - reported below, on the test's thread
                failures.append(exc)

        first = threading.Thread(target=agent, args=(0,))
        first.start()
        second = threading.Thread(target=agent, args=(1,))
        second.start()
        first.join()
        second.join()
        assert failures == []
        assert seen == {0: ["s/", None], 1: ["s/", None]}
        assert current_session() is None

    def test_tasks_leave_in_any_order(self) -> None:
        shared = session("Agent", id="s")

        async def agent(entered: asyncio.Event, leave: asyncio.Event) -> list[str | None]:
            async with shared:
                entered.set()
                await leave.wait()
                inside = _where()
            return [inside, _where()]

        async def main() -> list[list[str | None]]:
            events = [asyncio.Event() for _ in range(4)]
            first = asyncio.create_task(agent(events[0], events[1]))
            second = asyncio.create_task(agent(events[2], events[3]))
            await events[0].wait()
            await events[2].wait()
            events[1].set()  # the first to enter leaves first
            done = await first
            events[3].set()
            return [done, await second]

        assert asyncio.run(main()) == [["s/", None], ["s/", None]]


def _expected(stack: list[int]) -> str:
    """Where a context stands after entering *stack* (indexes of shared scopes; 2 is a step)."""
    session_id, depth = "outer", 0
    for index in stack:
        session_id, depth = (session_id, depth + 1) if index == 2 else (f"s{index}", 0)
    return session_id + ("/plan" * depth or "/")


# One op of one context: enter or leave one of the shared scopes.
ops = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.booleans()), max_size=40)


@settings(max_examples=200, deadline=None)
@given(ops)
def test_shared_scopes_in_interleaved_contexts_never_mix(
    script: list[tuple[int, int, bool]],
) -> None:
    """Four contexts (as four tasks have) enter and leave three shared scopes in any interleaving.

    Each context sees the session it last entered and not yet left, whatever the others do.
    """
    shared = [session("Agent", id="s0"), session("Other", id="s1")]
    with session("Outer", id="outer"):
        shared.append(step("plan"))  # a step of the session each context starts in
        contexts = [contextvars.copy_context() for _ in range(4)]
    stacks: list[list[int]] = [[] for _ in contexts]
    for context_index, scope_index, enter in script:
        context, stack = contexts[context_index], stacks[context_index]
        if enter:
            context.run(shared[scope_index].__enter__)
            stack.append(scope_index)
        elif stack:
            context.run(shared[stack.pop()].__exit__, None, None, None)
        assert context.run(_where) == _expected(stack)
    for context, stack in zip(contexts, stacks, strict=True):
        while stack:
            context.run(shared[stack.pop()].__exit__, None, None, None)
        assert context.run(_where) == "outer/"
    assert current_session() is None


def test_leaving_a_scope_that_is_not_the_innermost_is_refused() -> None:
    outer, inner = session("A", id="a"), session("B", id="b")
    outer.__enter__()
    inner.__enter__()
    with pytest.raises(RuntimeError) as exc_info:
        outer.__exit__(None, None, None)
    assert str(exc_info.value) == (
        "this session or step was not the last one entered in this thread or task: leave scopes "
        "in the reverse order of entering them (a with block does)"
    )
    inner.__exit__(None, None, None)
    outer.__exit__(None, None, None)
    assert current_session() is None
    with pytest.raises(RuntimeError):
        outer.__exit__(None, None, None)


class TestGenerators:
    """A decorated generator or async generator runs its whole body in its scope."""

    @staticmethod
    def scoped(kind: str, scope: Callable[[], SessionScope]) -> Callable[[], Any]:
        """A decorated generator of *kind* that yields where it stands at each step."""
        if kind == "generator":

            @scope()
            def body() -> Iterator[str | None]:
                yield _where()
                with step("inner"):
                    yield _where()
                    yield _where()
                yield _where()

            return body

        @scope()
        async def async_body() -> AsyncIterator[str | None]:
            yield _where()
            with step("inner"):
                await asyncio.sleep(0)
                yield _where()
                yield _where()
            yield _where()

        return async_body

    @staticmethod
    def steps(kind: str, generators: list[Any]) -> list[list[tuple[str | None, str | None]]]:
        """Iterate *generators* in turn, one step each; (inside, caller's) place per step."""
        seen: list[list[tuple[str | None, str | None]]] = [[] for _ in generators]
        if kind == "generator":
            for _ in range(4):
                for index, generator in enumerate(generators):
                    seen[index].append((next(generator), _where()))
            return seen

        async def run() -> None:
            for _ in range(4):
                for index, generator in enumerate(generators):
                    seen[index].append((await anext(generator), _where()))

        asyncio.run(run())
        return seen

    SCOPES: ClassVar[dict[str, tuple[Callable[[], SessionScope], str]]] = {
        "session": (lambda: session("Agent", id="g"), "g"),
        "step": (lambda: step("work"), "outer/work"),
    }

    @pytest.mark.parametrize("kind", ["generator", "async-generator"])
    @pytest.mark.parametrize("scope", SCOPES.keys())
    @pytest.mark.parametrize("count", [1, 3])
    def test_every_step_runs_in_the_scope_and_none_leaks(
        self, kind: str, scope: str, count: int
    ) -> None:
        make, place = self.SCOPES[scope]
        with session("Outer", id="outer"):
            body = self.scoped(kind, make)
            assert (
                inspect.isgeneratorfunction if kind == "generator" else inspect.isasyncgenfunction
            )(body)
            generators = [body() for _ in range(count)]
            seen = self.steps(kind, generators)
        base = place if scope == "step" else "g"
        inside = [f"{base}/" if scope == "session" else base, f"{base}/inner", f"{base}/inner"]
        inside.append(inside[0])
        assert seen == [[(where, "outer/") for where in inside] for _ in range(count)]
        assert current_session() is None

    def test_send_throw_close_and_return_pass_through(self) -> None:
        log: list[tuple[str, str | None]] = []

        @session("Agent", id="g")
        def echo() -> Generator[str | None, str, str]:
            try:
                received = yield _where()
                log.append((received, _where()))
                try:
                    yield "waiting"
                except KeyError:
                    log.append(("caught", _where()))
                received = yield "again"
                return f"done: {received}"
            finally:
                log.append(("finally", _where()))

        first = echo()
        assert next(first) == "g/"
        assert first.send("hello") == "waiting"
        assert first.throw(KeyError("k")) == "again"
        with pytest.raises(StopIteration) as stop:
            first.send("bye")
        assert stop.value.value == "done: bye"
        closed = echo()
        next(closed)
        closed.close()
        assert log == [
            ("hello", "g/"),
            ("caught", "g/"),
            ("finally", "g/"),
            ("finally", "g/"),
        ]
        assert current_session() is None

    def test_an_async_generator_hands_on_send_throw_and_close(self) -> None:
        log: list[tuple[str, str | None]] = []

        @session("Agent", id="g")
        async def echo() -> AsyncGenerator[str | None, str]:
            try:
                received = yield _where()
                log.append((received, _where()))
                try:
                    yield "waiting"
                except KeyError:
                    log.append(("caught", _where()))
                yield "again"
            finally:
                log.append(("finally", _where()))

        async def main() -> list[str | None]:
            first = echo()
            got = [await anext(first), await first.asend("hello")]
            got.append(await first.athrow(KeyError("k")))
            with pytest.raises(StopAsyncIteration):
                await first.asend("bye")
            closed = echo()
            await anext(closed)
            await closed.aclose()
            return got

        assert asyncio.run(main()) == ["g/", "waiting", "again"]
        assert log == [("hello", "g/"), ("caught", "g/"), ("finally", "g/"), ("finally", "g/")]

    def test_a_step_generator_outside_a_session_is_refused_at_its_first_step(self) -> None:
        @step("work")
        def body() -> Iterator[int]:
            yield 1  # pragma: no cover - never reached

        made = body()  # nothing runs until the first step, as with any generator
        with pytest.raises(HeliconeHeadersError, match="needs a current session"):
            next(made)
