"""Provider retries: Helicone-Retry-Enabled, -Num, -Factor, -Min-Timeout, -Max-Timeout (spec §6)."""

from typing import Annotated, Any, ClassVar

from pydantic import Field

from helicone_headers._base import HeaderModel
from helicone_headers._codec import Integer, Number
from helicone_headers._codes import problem

__all__ = ["RetryOptions"]

_NOT_NEGATIVE = "a timeout cannot be negative; use 0 or more milliseconds"


class RetryOptions(HeaderModel):
    """Let Helicone retry the provider call on HTTP 429 and 5xx, with exponential backoff.

    Present means on: Helicone retries whenever Helicone-Retry-Enabled is sent, whatever its value,
    so this group always sends it as ``true`` and there is no way to send ``false``.

    Examples:
        >>> RetryOptions(max_attempts=3, factor=2).to_headers()
        {'Helicone-Retry-Enabled': 'true', 'Helicone-Retry-Num': '3', 'Helicone-Retry-Factor': '2'}
    """

    switch: ClassVar[str | None] = "Helicone-Retry-Enabled"
    DEFAULT_MIN_TIMEOUT_MS: ClassVar[int] = 1000
    DEFAULT_MAX_TIMEOUT_MS: ClassVar[int] = 10_000

    max_attempts: Annotated[
        int | None,
        Field(
            alias="Helicone-Retry-Num",
            json_schema_extra={"x-helicone-default": "5"},
            description=(
                "The total number of attempts Helicone makes, the first included (its default is "
                "5); 1 means no retry. Helicone's docs call this the number of retries, but its "
                "code counts attempts."
            ),
        ),
        Integer(
            1,
            below=(
                "Helicone makes at most max(1, n) attempts, so this would still be one attempt; "
                "use 1 for no retries"
            ),
        ),
    ] = None

    factor: Annotated[
        float | None,
        Field(
            alias="Helicone-Retry-Factor",
            json_schema_extra={"x-helicone-default": "2"},
            description="The backoff multiplier between attempts; Helicone's default is 2.",
        ),
        Number(below="a backoff factor of 0 or less makes no sense; Helicone's default is 2"),
    ] = None

    min_timeout_ms: Annotated[
        int | None,
        Field(
            alias="Helicone-Retry-Min-Timeout",
            json_schema_extra={"x-helicone-default": "1000"},
            description=(
                "The first delay in milliseconds (randomised up to twice as long); Helicone's "
                "default is 1000."
            ),
        ),
        Integer(0, below=_NOT_NEGATIVE),
    ] = None

    max_timeout_ms: Annotated[
        int | None,
        Field(
            alias="Helicone-Retry-Max-Timeout",
            json_schema_extra={"x-helicone-default": "10000"},
            description="The longest delay in milliseconds; Helicone's default is 10000.",
        ),
        Integer(0, below=_NOT_NEGATIVE),
    ] = None

    @classmethod
    def _check_across_fields(cls, values: dict[str, Any]) -> None:
        super()._check_across_fields(values)
        given_low, given_high = values["min_timeout_ms"], values["max_timeout_ms"]
        low = cls.DEFAULT_MIN_TIMEOUT_MS if given_low is None else given_low
        high = cls.DEFAULT_MAX_TIMEOUT_MS if given_high is None else given_high
        if low > high:
            raise problem(
                "retry_timeout_order",
                "min_timeout_ms ({low}{low_note}) must not exceed max_timeout_ms ({high}"
                "{high_note}): Helicone's retry library throws 'minTimeout is greater than "
                "maxTimeout' and Helicone answers HTTP 500; lower Helicone-Retry-Min-Timeout or "
                "raise Helicone-Retry-Max-Timeout",
                {
                    "low": low,
                    "high": high,
                    "low_note": ", Helicone's default" if given_low is None else "",
                    "high_note": ", Helicone's default" if given_high is None else "",
                },
            )
