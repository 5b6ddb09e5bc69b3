"""Agent sessions: a session context and nested steps that extend its path.

The current session lives in a ``contextvars.ContextVar``. A thread starts without one, and an
asyncio task sees the session that was current when it was created, but nothing it starts or
steps into leaks back out: threads and tasks never see each other's changes.
"""

from __future__ import annotations

import functools
import inspect
import uuid
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar, cast

from helicone_headers._exceptions import HeliconeHeadersError
from helicone_headers._session_options import ActiveSession

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextvars import Token

__all__ = ["Scope", "current_session", "new_request_id", "session", "step"]

_F = TypeVar("_F", bound="Callable[..., Any]")

_CURRENT: ContextVar[ActiveSession | None] = ContextVar("helicone_session", default=None)


def current_session() -> ActiveSession | None:
    """The session of the running context, or None outside any ``session``."""
    return _CURRENT.get()


class Scope:
    """A session or step: ``with``, ``async with``, or a decorator of sync and async functions.

    Each entry makes its options afresh (a decorated function gets a new session id on every
    call) and restores the outer session on leaving.
    """

    def __init__(self, make: Callable[[], ActiveSession]) -> None:
        self._make = make
        self._tokens: list[Token[ActiveSession | None]] = []

    def __enter__(self) -> ActiveSession:
        options = self._make()
        self._tokens.append(_CURRENT.set(options))
        return options

    def __exit__(self, *_: object) -> None:
        _CURRENT.reset(self._tokens.pop())

    async def __aenter__(self) -> ActiveSession:
        return self.__enter__()

    async def __aexit__(self, *exc_info: object) -> None:
        self.__exit__(*exc_info)

    def __call__(self, function: _F) -> _F:
        """Run *function* inside a scope of its own, one for every call."""
        make = self._make
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                async with Scope(make):
                    return await function(*args, **kwargs)

            return cast("_F", run_async)

        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with Scope(make):
                return function(*args, **kwargs)

        return cast("_F", run)


def session(name: str, *, id: str | None = None) -> Scope:  # noqa: A002 - Helicone's word
    """Start a session named *name*, with a new UUID id unless *id* is given, at path ``/``.

    Use it with ``with`` or ``async with``, or as a decorator of a function or coroutine
    function, which then runs in a session of its own on every call.

    Examples:
        >>> with session("Research agent", id="s-1") as started:
        ...     started.to_headers()
        {'Helicone-Session-Id': 's-1', 'Helicone-Session-Path': '/', 'Helicone-Session-Name': 'Research agent'}
    """
    return Scope(lambda: ActiveSession(id=id or str(uuid.uuid4()), path="/", name=name))


def step(name: str) -> Scope:
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

    return Scope(make)


def new_request_id() -> uuid.UUID:
    """A fresh request id (UUID version 4, which Helicone keeps). Make one per request."""
    return uuid.uuid4()
