from __future__ import annotations

import pytest
from pydantic import ValidationError

from helicone_headers import HeliconeHeaders, RetryOptions, check

from .conftest import messages


def test_present_means_on() -> None:
    assert RetryOptions().to_headers() == {"Helicone-Retry-Enabled": "true"}
    assert RetryOptions(
        max_attempts=3, factor=2, min_timeout_ms=500, max_timeout_ms=8000
    ).to_headers() == {
        "Helicone-Retry-Enabled": "true",
        "Helicone-Retry-Num": "3",
        "Helicone-Retry-Factor": "2",
        "Helicone-Retry-Min-Timeout": "500",
        "Helicone-Retry-Max-Timeout": "8000",
    }


_ORDER = (
    "Helicone's retry library throws 'minTimeout is greater than maxTimeout' and Helicone answers "
    "HTTP 500; lower Helicone-Retry-Min-Timeout (min_timeout_ms) or raise "
    "Helicone-Retry-Max-Timeout (max_timeout_ms)"
)


@pytest.mark.parametrize(
    ("options", "loc", "message"),
    [
        pytest.param(
            {"min_timeout_ms": 5000, "max_timeout_ms": 1000},
            (),
            "the shortest delay (5000 ms) is longer than the longest (1000 ms)",
            id="both-set",
        ),
        pytest.param(
            {"min_timeout_ms": 20000},
            ("Helicone-Retry-Min-Timeout",),
            "Helicone-Retry-Min-Timeout (min_timeout_ms): the shortest delay (20000 ms) is longer "
            "than the longest (10000 ms, Helicone's default)",
            id="max-default",
        ),
        pytest.param(
            {"max_timeout_ms": 500},
            ("Helicone-Retry-Max-Timeout",),
            "Helicone-Retry-Max-Timeout (max_timeout_ms): the shortest delay (1000 ms, Helicone's "
            "default) is longer than the longest (500 ms)",
            id="min-default",
        ),
    ],
)
def test_min_timeout_over_max_is_refused(
    options: dict[str, int], loc: tuple[str, ...], message: str
) -> None:
    """When one timeout is set and the other is Helicone's default, the error names the set one."""
    with pytest.raises(ValidationError) as exc_info:
        RetryOptions.model_validate(options)
    assert messages(exc_info) == [(loc, "retry_timeout_order", f"{message}: {_ORDER}")]


def test_equal_timeouts_are_fine() -> None:
    assert RetryOptions(min_timeout_ms=0, max_timeout_ms=0).max_timeout_ms == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "max_attempts",
            0,
            "Helicone-Retry-Num (max_attempts): 0 is below 1: Helicone makes at most max(1, n) "
            "attempts, so this would still be one attempt; use 1 for no retries",
        ),
        (
            "min_timeout_ms",
            -1,
            "Helicone-Retry-Min-Timeout (min_timeout_ms): -1 is below 0: a timeout cannot be "
            "negative; use 0 or more milliseconds",
        ),
    ],
)
def test_negative_or_zero_settings_are_refused(field: str, value: int, message: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        RetryOptions.model_validate({field: value})
    assert messages(exc_info) == [((field,), "number_too_small", message)]


@pytest.mark.parametrize("text", ["false", "", "0", "no"])
def test_retry_enabled_meant_as_off_is_refused(text: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers({"Helicone-Retry-Enabled": text})
    assert messages(exc_info) == [
        (
            ("Helicone-Retry-Enabled",),
            "switch_value",
            "Helicone-Retry-Enabled (retry): Helicone turns this on whenever the header is "
            f"present, whatever its value, so {text!r} turns it ON; write 'true', or leave the "
            "header out to keep it off",
        )
    ]


@pytest.mark.parametrize("text", ["TRUE", "1", "yes", "on"])
def test_retry_enabled_meant_as_on_is_read_with_a_warning(text: str) -> None:
    headers = {"Helicone-Retry-Enabled": text}
    assert HeliconeHeaders.from_headers(headers).to_headers() == {"Helicone-Retry-Enabled": "true"}
    assert [(d.code, d.severity, d.message) for d in check(headers)] == [
        (
            "switch_form",
            "warning",
            f"Helicone-Retry-Enabled: Helicone switches retry on for any value, so {text!r} works "
            "as meant; write 'true'",
        )
    ]


def test_retry_options_without_the_switch_are_refused() -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers({"Helicone-Retry-Num": "3"})
    assert messages(exc_info) == [
        (
            ("Helicone-Retry-Enabled",),
            "switch_missing",
            "Helicone-Retry-Enabled: Helicone ignores the other retry headers unless this one is "
            "sent as 'true'; add it (the retry options of HeliconeHeaders always send it)",
        )
    ]


def test_switch_alone_reads_back() -> None:
    assert HeliconeHeaders.from_headers({"Helicone-Retry-Enabled": "true"}).retry == RetryOptions()
