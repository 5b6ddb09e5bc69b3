"""Agent sessions: a session context and nested steps that extend its path.

The current session lives in a ``contextvars.ContextVar``. A thread starts without one, and an
asyncio task sees the session that was current when it was created, but nothing it starts or
steps into leaks back out: threads and tasks never see each other's changes.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import uuid
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar, cast

from helicone_headers._exceptions import HeliconeHeadersError
from helicone_headers._session_options import ActiveSession

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, Callable, Generator
    from contextvars import Context, Token
    from types import TracebackType

__all__ = ["SessionScope", "current_session", "new_request_id", "session", "step"]

_F = TypeVar("_F", bound="Callable[..., Any]")
_Y = TypeVar("_Y")
_S = TypeVar("_S")
_R = TypeVar("_R")

_CURRENT: ContextVar[ActiveSession | None] = ContextVar("helicone_session", default=None)
# The scopes entered in this context, innermost last, each with the token that restores the
# session it replaced. It is the context's own: a scope object entered by two threads or tasks at
# once leaves each of them where it found it.
_ENTERED: ContextVar[tuple[tuple[SessionScope, Token[ActiveSession | None]], ...]] = ContextVar(
    "helicone_session_scopes", default=()
)


def current_session() -> ActiveSession | None:
    """The session of the running context, or None outside any ``session``."""
    return _CURRENT.get()


class SessionScope:
    """What ``session()`` and ``step()`` return: a context manager and a decorator.

    Use it with ``with`` or ``async with``, or decorate a function, a coroutine function, a
    generator function or an async generator function with it. Each entry makes its options
    afresh (a decorated function gets a new session id on every call) and restores the outer
    session on leaving. One scope may be entered by many threads and tasks at once: each leaves
    its own context as it found it.
    """

    def __init__(self, make: Callable[[], ActiveSession]) -> None:
        """Enter the session that *make* builds; ``session()`` and ``step()`` make one."""
        self._make = make

    def __enter__(self) -> ActiveSession:
        """Make the session current and return it."""
        options = self._make()
        _ENTERED.set((*_ENTERED.get(), (self, _CURRENT.set(options))))
        return options

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Restore the session that was current on entry."""
        entered = _ENTERED.get()
        if not entered or entered[-1][0] is not self:
            msg = (
                "this session or step was not the last one entered in this thread or task: "
                "leave scopes in the reverse order of entering them (a with block does)"
            )
            raise RuntimeError(msg)
        _ENTERED.set(entered[:-1])
        _CURRENT.reset(entered[-1][1])

    async def __aenter__(self) -> ActiveSession:
        """Make the session current and return it."""
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Restore the session that was current on entry."""
        self.__exit__(exc_type, exc, traceback)

    def __call__(self, function: _F) -> _F:
        """Run *function* inside a scope of its own, one for every call.

        A generator's body runs in its scope at every step, from the first ``next()`` to the
        last, whoever iterates it: the scope is entered at the first step, in a context of the
        generator's own that each later step resumes (so a ``step()`` inside spans its yields).
        """
        make = self._make
        if inspect.isasyncgenfunction(function):
            return cast("_F", _async_generator_in_scope(make, function))
        if inspect.isgeneratorfunction(function):
            return cast("_F", _generator_in_scope(make, function))
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                async with SessionScope(make):
                    return await function(*args, **kwargs)

            return cast("_F", run_async)

        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with SessionScope(make):
                return function(*args, **kwargs)

        return cast("_F", run)


def _scoped_context(make: Callable[[], ActiveSession]) -> Context:
    """A copy of the running context with the session *make* builds current in it."""
    context = contextvars.copy_context()
    context.run(_CURRENT.set, context.run(make))
    return context


def _stepped(context: Context, steps: Generator[_Y, _S, _R]) -> Generator[_Y, _S, _R]:
    """Drive *steps* (a generator, or an awaitable's iterator) with each step run in *context*.

    It hands on what its caller sends and throws, as ``yield from`` does.
    """
    try:
        value = context.run(next, steps)
        while True:
            try:
                sent = yield value
            except GeneratorExit:  # noqa: PERF203 - one try per step is the protocol
                context.run(steps.close)
                raise
            except BaseException as exc:  # noqa: BLE001 - handed on to the generator
                value = context.run(steps.throw, exc)
            else:
                value = context.run(steps.send, sent)
    except StopIteration as stop:
        return cast("_R", stop.value)


class _InContext:
    """An awaitable whose every step runs in a given context."""

    def __init__(self, context: Context, awaitable: Any) -> None:
        self.context, self.awaitable = context, awaitable

    def __await__(self) -> Generator[Any, Any, Any]:
        return _stepped(self.context, self.awaitable.__await__())


def _generator_in_scope(
    make: Callable[[], ActiveSession], function: Callable[..., Generator[Any, Any, Any]]
) -> Callable[..., Generator[Any, Any, Any]]:
    @functools.wraps(function)
    def run_generator(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
        context = _scoped_context(make)
        return (yield from _stepped(context, context.run(function, *args, **kwargs)))

    return run_generator


def _async_generator_in_scope(
    make: Callable[[], ActiveSession], function: Callable[..., AsyncGenerator[Any, Any]]
) -> Callable[..., AsyncGenerator[Any, Any]]:
    @functools.wraps(function)
    async def run_async_generator(*args: Any, **kwargs: Any) -> AsyncGenerator[Any, Any]:
        context = _scoped_context(make)
        steps = context.run(function, *args, **kwargs)
        try:
            value = await _InContext(context, steps.__anext__())
            while True:
                try:
                    sent = yield value
                except GeneratorExit:  # noqa: PERF203 - one try per step is the protocol
                    await _InContext(context, steps.aclose())
                    raise
                except BaseException as exc:  # noqa: BLE001 - handed on to the generator
                    value = await _InContext(context, steps.athrow(exc))
                else:
                    value = await _InContext(context, steps.asend(sent))
        except StopAsyncIteration:
            return

    return run_async_generator


def session(name: str, *, id: str | None = None) -> SessionScope:  # noqa: A002 - Helicone's word
    """Start a session named *name*, with a new UUID id unless *id* is given, at path ``/``.

    Use it with ``with`` or ``async with``, or as a decorator of a function or coroutine
    function, which then runs in a session of its own on every call.

    Examples:
        >>> with session("Research agent", id="s-1") as started:
        ...     started.to_headers()
        {'Helicone-Session-Id': 's-1', 'Helicone-Session-Path': '/', 'Helicone-Session-Name': 'Research agent'}
    """
    return SessionScope(lambda: ActiveSession(id=id or str(uuid.uuid4()), path="/", name=name))


def step(name: str) -> SessionScope:
    """Enter the step *name* of the current session: its path gains ``/name`` until the block ends.

    Like ``session``, it works with ``with``, ``async with`` and as a decorator.

    Examples:
        >>> with session("Agent", id="s-1"), step("plan"), step("search") as inner:
        ...     inner.path
        '/plan/search'

    Raises:
        TypeError: *name* is not a str.
        HeliconeHeadersError: *name* is empty or contains ``/``; on entry, there is no current
            session.
    """
    if not isinstance(name, str):  # pyright: ignore[reportUnnecessaryIsInstance] - callers may pass anything
        msg = f"step() takes the step's name as a str, got {type(name).__name__}"
        raise TypeError(msg)
    if not name or "/" in name:
        msg = f"a step name must be non-empty and free of '/', got {name!r}"
        raise HeliconeHeadersError(msg)

    def make() -> ActiveSession:
        outer = _CURRENT.get()
        if outer is None:
            msg = f"step({name!r}) needs a current session; start one with session(...)"
            raise HeliconeHeadersError(msg)
        parent = outer.path.rstrip("/")
        # Built, so validated, like any other value: no control characters, ASCII only.
        return ActiveSession(id=outer.id, path=f"{parent}/{name}", name=outer.name)

    return SessionScope(make)


def new_request_id() -> uuid.UUID:
    """A fresh request id (UUID version 4, which Helicone keeps). Make one per request."""
    return uuid.uuid4()
