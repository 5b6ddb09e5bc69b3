"""Prompt security and moderation: Helicone-LLM-Security-*, Helicone-Moderations-Enabled (§7)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import AliasChoices, Field, model_validator
from pydantic_core import PydanticCustomError

from helicone_headers._base import HeaderModel
from helicone_headers._types import Flag

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["SecurityOptions"]


class SecurityOptions(HeaderModel):
    """Screen the last user message before it reaches the model.

    Helicone applies these only to OpenAI chat completions whose last message is from the user; a
    detected threat or flagged content is answered with HTTP 400.
    """

    llm_security: Annotated[
        bool,
        Field(
            alias="Helicone-LLM-Security-Enabled",
            # Helicone still reads the legacy name when the new one is absent.
            validation_alias=AliasChoices(
                "Helicone-LLM-Security-Enabled", "Helicone-Prompt-Security-Enabled", "llm_security"
            ),
        ),
        Flag("caseless"),
    ] = False
    """Check for prompt injection and jailbreaks (Prompt Guard). Read case-insensitively; the
    legacy header Helicone-Prompt-Security-Enabled is read too and written under the new name."""

    advanced: Annotated[bool, Field(alias="Helicone-LLM-Security-Advanced"), Flag("nonempty")] = (
        False
    )
    """Also run the slower Llama Guard check. Helicone turns it on for any non-empty value, even
    ``false``, so it is only ever sent as ``true``."""

    moderations: Annotated[bool, Field(alias="Helicone-Moderations-Enabled"), Flag()] = False
    """Run OpenAI's moderation endpoint on the message first, with the request's own OpenAI key."""

    @model_validator(mode="after")
    def _check_not_empty(self) -> Self:
        if not (self.llm_security or self.advanced or self.moderations):
            raise PydanticCustomError(
                "security_empty",
                "SecurityOptions turns nothing on; set llm_security, advanced or moderations to "
                "True, or leave security unset",
            )
        return self
