"""PostHog forwarding: Helicone-Posthog-Key and -Host (spec §10)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr

from helicone_headers._base import HeaderModel
from helicone_headers._types import Secret, Url

__all__ = ["PosthogOptions"]


class PosthogOptions(HeaderModel):
    """Send a ``helicone_request_response`` event for each request to your PostHog project."""

    key: Annotated[SecretStr, Field(alias="Helicone-Posthog-Key"), Secret()]
    """Your PostHog project API key (``phc_...``). Kept secret: only to_headers() reveals it."""

    host: Annotated[
        str | None,
        Field(
            alias="Helicone-Posthog-Host",
            json_schema_extra={"x-helicone-default": "`https://app.posthog.com`"},
        ),
        Url(),
    ] = None
    """Your PostHog host; Helicone's default is ``https://app.posthog.com``."""
