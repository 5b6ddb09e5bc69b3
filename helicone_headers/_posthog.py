"""PostHog forwarding: Helicone-Posthog-Key and -Host.

Helicone reads them in ``worker/src/lib/models/HeliconeHeaders.ts:416-419``.
"""

from typing import Annotated, cast

from pydantic import Field, SecretStr, model_validator

from helicone_headers._base import HeaderModel
from helicone_headers._codec import Secret, Url
from helicone_headers._codes import problem

__all__ = ["PosthogOptions"]


class PosthogOptions(HeaderModel):
    """Send a ``helicone_request_response`` event for each request to your PostHog project."""

    key: Annotated[
        SecretStr,
        Field(
            alias="Helicone-Posthog-Key",
            description=(
                "Your PostHog project API key (``phc_...``). Kept secret: only to_headers() "
                "reveals it."
            ),
        ),
        Secret(),
    ]

    host: Annotated[
        str | None,
        Field(
            alias="Helicone-Posthog-Host",
            json_schema_extra={"x-helicone-default": "`https://app.posthog.com`"},
            description="Your PostHog host; Helicone's default is ``https://app.posthog.com``.",
        ),
        Url(unparsable="Helicone could not send PostHog events to it"),
    ] = None

    @model_validator(mode="before")
    @classmethod
    def _check_key_given(cls, data: object) -> object:
        if not {"key", "Helicone-Posthog-Key"} & _keys(data):
            raise problem(
                "posthog_key_missing",
                "Helicone sends events to PostHog only when Helicone-Posthog-Key is given, so "
                "Helicone-Posthog-Host alone does nothing; add the key "
                "(posthog=PosthogOptions(key=...)) or leave the host out",
            )
        return data


def _keys(data: object) -> set[str]:
    """The keys of raw input (a model instance, or anything else, counts as complete)."""
    return set(cast("dict[str, object]", data)) if isinstance(data, dict) else {"key"}
