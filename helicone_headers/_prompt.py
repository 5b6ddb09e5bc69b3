"""Legacy prompt tracking: Helicone-Prompt-Id, -Version and -Mode.

Helicone reads them in ``worker/src/lib/models/HeliconeHeaders.ts:364-368`` and checks the mode in
``worker/src/lib/RequestWrapper.ts:190-209``.
"""

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from helicone_headers._base import NonEmptyGroup
from helicone_headers._codec import TEXT, Choice

__all__ = ["PromptOptions"]

PromptMode = Literal["production", "testing", "deactivated"]


class PromptOptions(NonEmptyGroup):
    """Associate the request with a prompt, for Helicone's (legacy, header-based) prompt tracking."""

    empty_error: ClassVar[tuple[str, str]] = (
        "prompt_empty",
        "PromptOptions sets no header; set id, version or mode, or leave prompt unset",
    )

    id: Annotated[
        str | None,
        Field(
            alias="Helicone-Prompt-Id",
            description=(
                "The prompt's id; Helicone also records it as a property. Sets mode "
                "``production`` unless a mode is given, which strips ``<helicone-prompt-input>`` "
                "tags from the body."
            ),
        ),
        TEXT,
    ] = None

    version: Annotated[
        str | None,
        Field(alias="Helicone-Prompt-Version", description="The prompt version to record."),
        TEXT,
    ] = None

    mode: Annotated[
        PromptMode | None,
        Field(
            alias="Helicone-Prompt-Mode",
            json_schema_extra={
                "x-helicone-default": "`production` with a prompt id, else `deactivated`"
            },
            description=(
                "``production``, ``testing`` or ``deactivated``. Helicone's default is "
                "``production`` when a prompt id is set, else ``deactivated``."
            ),
        ),
        Choice(
            PromptMode,
            otherwise="Helicone answers every request with HTTP 500 ('Invalid prompt mode') for "
            "any other value, including other capitalisations",
        ),
    ] = None
