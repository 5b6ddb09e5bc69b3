"""Session tracing: Helicone-Session-Id, -Path and -Name.

Helicone reads them as given in ``worker/src/lib/models/HeliconeHeaders.ts:393-397``.
"""

from typing import Annotated, ClassVar

from pydantic import Field

from helicone_headers._base import NonEmptyGroup
from helicone_headers._codec import TEXT

__all__ = ["ActiveSession", "SessionOptions"]


class SessionOptions(NonEmptyGroup):
    """Group requests into a session and place each one on a path, for Helicone's session view.

    Helicone does not validate these; by convention the id is a UUID and the path looks like
    ``/parent/child``.
    """

    empty_error: ClassVar[tuple[str, str]] = (
        "session_empty",
        "SessionOptions sets no header; set id, path or name, or leave session unset",
    )

    id: Annotated[
        str | None,
        Field(
            alias="Helicone-Session-Id",
            description=(
                "The session this request belongs to; requests with the same id are grouped "
                "together."
            ),
        ),
        TEXT,
    ] = None

    path: Annotated[
        str | None,
        Field(
            alias="Helicone-Session-Path",
            description="Where the request sits in the session's tree, such as ``/plan/search``.",
        ),
        TEXT,
    ] = None

    name: Annotated[
        str | None,
        Field(
            alias="Helicone-Session-Name",
            description="A readable name for the session, such as the agent's name.",
        ),
        TEXT,
    ] = None


class ActiveSession(SessionOptions):
    """The session a ``session()`` or ``step()`` block runs in: its id and path are always set.

    ``with session("Agent") as started:`` gives one, as does ``current_session()`` inside the
    block, so ``started.id`` is a ``str`` to type checkers, not ``str | None``. It is a
    ``SessionOptions`` and goes wherever one goes.
    """

    # The models are frozen, so narrowing `str | None` to a required `str` is safe for readers.
    id: Annotated[  # pyright: ignore[reportIncompatibleVariableOverride, reportGeneralTypeIssues]
        str,
        Field(
            alias="Helicone-Session-Id",
            description="The session's id: a new UUID unless one was given to ``session()``.",
        ),
    ]

    path: Annotated[  # pyright: ignore[reportIncompatibleVariableOverride, reportGeneralTypeIssues]
        str,
        Field(
            alias="Helicone-Session-Path",
            description="``/`` in the session, ``/plan/search`` in nested steps.",
        ),
    ]
