"""Legacy prompt tracking: Helicone-Prompt-Id, -Version and -Mode (spec §9)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from helicone_headers._base import HeaderModel
from helicone_headers._types import TEXT, Choice

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["PromptOptions"]

_MODES = ("production", "testing", "deactivated")


class PromptOptions(HeaderModel):
    """Associate the request with a prompt, for Helicone's (legacy, header-based) prompt tracking."""

    id: Annotated[str | None, Field(alias="Helicone-Prompt-Id"), TEXT] = None
    """The prompt's id; Helicone also records it as a property. Sets mode ``production`` unless
    a mode is given, which strips ``<helicone-prompt-input>`` tags from the body."""

    version: Annotated[str | None, Field(alias="Helicone-Prompt-Version"), TEXT] = None
    """The prompt version to record."""

    mode: Annotated[
        Literal["production", "testing", "deactivated"] | None,
        Field(alias="Helicone-Prompt-Mode"),
        Choice(
            _MODES,
            otherwise="Helicone answers every request with HTTP 500 ('Invalid prompt mode') for "
            "any other value, including other capitalisations",
        ),
    ] = None
    """``production``, ``testing`` or ``deactivated``. Helicone's default is ``production`` when a
    prompt id is set, else ``deactivated``."""

    @model_validator(mode="after")
    def _check_not_empty(self) -> Self:
        if self.id is None and self.version is None and self.mode is None:
            raise PydanticCustomError(
                "prompt_empty",
                "PromptOptions sets no header; set id, version or mode, or leave prompt unset",
            )
        return self
