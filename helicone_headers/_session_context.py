"""Agent sessions: a session context and nested steps that extend its path.

The current session lives in a ``contextvars.ContextVar``. A thread starts without one, and an
asyncio task sees the session that was current when it was created, but nothing it starts or
steps into leaks back out: threads and tasks never see each other's changes.
"""

from __future__ import annotations

import contextlib
import uuid
from contextvars import ContextVar
from typing import TYPE_CHECKING

from helicone_headers._exceptions import HeliconeHeadersError
from helicone_headers._session_options import SessionOptions

if TYPE_CHECKING:
    from collections.abc import Generator

__all__ = ["current_session", "new_request_id", "session", "step"]

_CURRENT: ContextVar[SessionOptions | None] = ContextVar("helicone_session", default=None)


def current_session() -> SessionOptions | None:
    """The session of the running context, or None outside any ``session``."""
    return _CURRENT.get()


@contextlib.contextmanager
def session(name: str, *, id: str | None = None) -> Generator[SessionOptions]:  # noqa: A002 - Helicone's word
    """Start a session named *name*, with a new UUID id unless *id* is given, at path ``/``.

    Examples:
        >>> with session("Research agent", id="s-1") as started:
        ...     started.to_headers()
        {'Helicone-Session-Id': 's-1', 'Helicone-Session-Path': '/', 'Helicone-Session-Name': 'Research agent'}
    """
    options = SessionOptions(id=id or str(uuid.uuid4()), path="/", name=name)
    token = _CURRENT.set(options)
    try:
        yield options
    finally:
        _CURRENT.reset(token)


@contextlib.contextmanager
def step(name: str) -> Generator[SessionOptions]:
    """Enter the step *name* of the current session: its path gains ``/name`` until the block ends.

    Examples:
        >>> with session("Agent", id="s-1"), step("plan"), step("search") as inner:
        ...     inner.path
        '/plan/search'

    Raises:
        TypeError: *name* is not a str.
        HeliconeHeadersError: there is no current session, or *name* is empty or contains ``/``.
    """
    if not isinstance(name, str):  # pyright: ignore[reportUnnecessaryIsInstance] - callers may pass anything
        msg = f"step() takes the step's name as a str, got {type(name).__name__}"
        raise TypeError(msg)
    outer = _CURRENT.get()
    if outer is None:
        msg = f"step({name!r}) needs a current session; start one with session(...)"
        raise HeliconeHeadersError(msg)
    if not name or "/" in name:
        msg = f"a step name must be non-empty and free of '/', got {name!r}"
        raise HeliconeHeadersError(msg)
    parent = (outer.path or "").rstrip("/")
    # Built, so validated, like any other value: no control characters, ASCII only.
    inner = SessionOptions(id=outer.id, path=f"{parent}/{name}", name=outer.name)
    token = _CURRENT.set(inner)
    try:
        yield inner
    finally:
        _CURRENT.reset(token)


def new_request_id() -> uuid.UUID:
    """A fresh request id (UUID version 4, which Helicone keeps). Make one per request."""
    return uuid.uuid4()
