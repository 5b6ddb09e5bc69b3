"""Provider retries: Helicone-Retry-Enabled, -Num, -Factor, -Min-Timeout, -Max-Timeout.

Helicone reads them in ``worker/src/lib/models/HeliconeHeaders.ts:442-460`` and retries in
``worker/src/lib/clients/ProviderClient.ts:184-230``.
"""

from typing import Annotated, Any, ClassVar

from pydantic import Field

from helicone_headers._base import HeaderModel, OneField
from helicone_headers._codec import Integer, Number
from helicone_headers._codes import problem

__all__ = ["RetryOptions"]

# Attempts past this wait longer in backoff than any client waits for an answer (see above).
MAX_ATTEMPTS = 100
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
                "The number of attempts Helicone waits for, the first included (its default is "
                "5); 1 means no retry, and at most 100 are taken. Helicone's docs call this the "
                "number of retries, but its code counts attempts. When 2 or more attempts all "
                "fail, Helicone's retry library starts one more call in the background and "
                "discards its answer, so the provider receives one call more than this."
            ),
        ),
        Integer(
            1,
            MAX_ATTEMPTS,
            below=(
                "Helicone makes at most max(1, n) attempts, so this would still be one attempt; "
                "use 1 for no retries"
            ),
            above=(
                "Helicone's retry library builds its table of delays for every attempt before "
                "the first call (3000000 attempts take about 87 MB and half a second of the "
                "worker), and with Helicone's default timeouts 100 attempts already wait at "
                "least 16 minutes between them, longer than clients wait for an answer; use 100 "
                "or fewer"
            ),
        ),
    ] = None

    factor: Annotated[
        int | float | None,
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
            error = problem(
                "retry_timeout_order",
                "the shortest delay ({low} ms{low_note}) is longer than the longest ({high} ms"
                "{high_note}): Helicone's retry library throws 'minTimeout is greater than "
                "maxTimeout' and Helicone answers HTTP 500; lower Helicone-Retry-Min-Timeout "
                "(min_timeout_ms) or raise Helicone-Retry-Max-Timeout (max_timeout_ms)",
                {
                    "low": low,
                    "high": high,
                    "low_note": ", Helicone's default" if given_low is None else "",
                    "high_note": ", Helicone's default" if given_high is None else "",
                },
            )
            # One header at fault when the other one is Helicone's default.
            if given_high is None:
                raise OneField("min_timeout_ms", error)
            if given_low is None:
                raise OneField("max_timeout_ms", error)
            raise error
