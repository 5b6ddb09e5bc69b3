"""Prompt security and moderation: Helicone-LLM-Security-*, Helicone-Moderations-Enabled.

Helicone reads them in ``worker/src/lib/models/HeliconeHeaders.ts:404-415`` and applies them in
``worker/src/lib/HeliconeProxyRequest/ProxyForwarder.ts:217-243, 303-306``.
"""

from typing import Annotated, ClassVar

from pydantic import AliasChoices, Field

from helicone_headers._base import NonEmptyGroup
from helicone_headers._codec import Flag

__all__ = ["SecurityOptions"]


class SecurityOptions(NonEmptyGroup):
    """Screen the last user message before it reaches the model.

    Helicone applies these only to OpenAI chat completions whose last message is from the user; a
    detected threat or flagged content is answered with HTTP 400.
    """

    empty_error: ClassVar[tuple[str, str]] = (
        "security_empty",
        (
            "SecurityOptions turns nothing on; set llm_security, advanced or moderations to True, "
            "or leave security unset"
        ),
    )

    llm_security: Annotated[
        bool,
        Field(
            alias="Helicone-LLM-Security-Enabled",
            # Helicone still reads the legacy name when the new one is absent.
            validation_alias=AliasChoices(
                "Helicone-LLM-Security-Enabled", "Helicone-Prompt-Security-Enabled", "llm_security"
            ),
            description=(
                "Check for prompt injection and jailbreaks (Prompt Guard). Read "
                "case-insensitively; the legacy header Helicone-Prompt-Security-Enabled is read "
                "too and written under the new name."
            ),
        ),
        Flag("caseless"),
    ] = False

    advanced: Annotated[
        bool,
        Field(
            alias="Helicone-LLM-Security-Advanced",
            description=(
                "Also run the slower Llama Guard check. Helicone turns it on for any non-empty "
                "value, even ``false``, so it is only ever sent as ``true``."
            ),
        ),
        Flag("nonempty"),
    ] = False

    moderations: Annotated[
        bool,
        Field(
            alias="Helicone-Moderations-Enabled",
            description=(
                "Run OpenAI's moderation endpoint on the message first, with the request's own "
                "OpenAI key."
            ),
        ),
        Flag(),
    ] = False
