from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from pydantic import ValidationError

from helicone_headers import HeliconeHeaders, PolicySyntaxError, RateLimitPolicy

from .conftest import messages
from .strategies import policies

if TYPE_CHECKING:
    from collections.abc import Callable

POLICY_FORM = "<quota>;w=<seconds>[;u=request|cents][;s=user|<property>]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("10;w=60", RateLimitPolicy(quota=10, window_seconds=60), id="minimal"),
        pytest.param(
            "10;w=60;s=user",
            RateLimitPolicy(quota=10, window_seconds=60, segment="user"),
            id="per-user",
        ),
        pytest.param(
            "10;w=1000;u=cents;s=user",
            RateLimitPolicy(quota=10, window_seconds=1000, unit="cents", segment="user"),
            id="header-directory-example",
        ),
        pytest.param(
            "5;W=60;U=CENTS;S=User",
            RateLimitPolicy(quota=5, window_seconds=60, unit="cents", segment="user"),
            id="keys-and-words-in-any-case",
        ),
        pytest.param(
            "2.5;w=31536000;s=Tenant_ID-1",
            RateLimitPolicy(quota=2.5, window_seconds=31_536_000, segment="tenant_id-1"),
            id="decimal-quota-max-window-property-lowercased",
        ),
        pytest.param("007;w=060", RateLimitPolicy(quota=7, window_seconds=60), id="leading-zeros"),
        pytest.param("  10;w=60 ", RateLimitPolicy(quota=10, window_seconds=60), id="outer-space"),
        pytest.param(
            "10;w=60;u=request", RateLimitPolicy(quota=10, window_seconds=60), id="default-unit"
        ),
    ],
)
def test_valid_policies_parse_to_their_fields(text: str, expected: RateLimitPolicy) -> None:
    assert RateLimitPolicy.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("", "the text is empty", id="empty"),
        pytest.param("10", "the window w=<seconds> is missing", id="no-window"),
        pytest.param(
            "basic-100",
            "the quota 'basic-100' is not digits with an optional fraction",
            id="docs-example-value",
        ),
        pytest.param(
            "10;x=60", "'x=60' is not one of w=<seconds>, u=<unit>, s=<segment>", id="unknown-key"
        ),
        pytest.param(
            "10;s=user;w=60",
            "the parts are out of order: w= first, then u=, then s=",
            id="out-of-order",
        ),
        pytest.param(
            "10;w=60;s=user;u=cents",
            "the parts are out of order: w= first, then u=, then s=",
            id="segment-before-unit",
        ),
        pytest.param("10;w=60;w=60", "a key is given twice", id="repeated-key"),
        pytest.param(
            "10;w=60;",
            "'' is not one of w=<seconds>, u=<unit>, s=<segment>",
            id="trailing-separator",
        ),
        pytest.param(
            "10; w=60",
            "' w=60' is not one of w=<seconds>, u=<unit>, s=<segment>",
            id="space-inside",
        ),
        pytest.param(
            "-1;w=60", "the quota '-1' is not digits with an optional fraction", id="sign"
        ),
        pytest.param(
            "1e3;w=60", "the quota '1e3' is not digits with an optional fraction", id="exponent"
        ),
        pytest.param(
            ".5;w=60", "the quota '.5' is not digits with an optional fraction", id="leading-dot"
        ),
        pytest.param("10;w=60.5", "the window '60.5' is not whole seconds", id="fractional-window"),
        pytest.param(
            "10;w=60;u=dollars", "the unit 'dollars' is not request or cents", id="unknown-unit"
        ),
        pytest.param(
            "10;w=60;s=my tenant",
            "the segment 'my tenant' is not 'user' or a name of letters, digits, '_' and '-'",
            id="segment-with-space",
        ),
        pytest.param(
            "１０;w=60",  # noqa: RUF001 - fullwidth on purpose
            "the quota '１０' is not digits with an optional fraction",  # noqa: RUF001
            id="non-ascii-digits",
        ),
    ],
)
def test_parse_syntax_error_says_which_part_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(PolicySyntaxError) as exc_info:
        RateLimitPolicy.parse(text)
    assert exc_info.value.policy == text
    assert exc_info.value.reason == reason
    assert str(exc_info.value) == (
        f"expected {POLICY_FORM}, got {text!r} ({reason}): Helicone ignores a policy it cannot "
        "parse and applies no rate limit"
    )
    assert isinstance(exc_info.value, ValueError)


@pytest.mark.parametrize("text", ["10;s=user;w=60", "0;w=60", "10;w=30"])
def test_one_except_value_error_catches_grammar_and_range(text: str) -> None:
    with pytest.raises(ValueError, match="Helicone"):
        RateLimitPolicy.parse(text)


@pytest.mark.parametrize(
    ("text", "loc", "kind", "message"),
    [
        pytest.param(
            "0;w=60",
            "quota",
            "number_too_small",
            "0 is not greater than 0: Helicone requires a positive quota ('Quota must be a "
            "positive number'); Helicone ignores the whole policy and applies no rate limit",
            id="zero-quota",
        ),
        pytest.param(
            "0.0;w=60",
            "quota",
            "number_too_small",
            "0 is not greater than 0: Helicone requires a positive quota ('Quota must be a "
            "positive number'); Helicone ignores the whole policy and applies no rate limit",
            id="zero-decimal-quota",
        ),
        pytest.param(
            "10;w=30",
            "window_seconds",
            "number_too_small",
            "30 is below 60: Helicone requires a window of at least 60 seconds; Helicone "
            "ignores the whole policy and applies no rate limit",
            id="short-window",
        ),
        pytest.param(
            "10;w=31536001",
            "window_seconds",
            "number_too_large",
            "31536001 is above 31536000: Helicone allows a window of at most 31536000 seconds "
            "(one year); Helicone ignores the whole policy and applies no rate limit",
            id="long-window",
        ),
        pytest.param(
            "10;w=" + "9" * 5000,
            "window_seconds",
            "number_too_large",
            "a number of 5000 digits is above 31536000: Helicone allows a window of at most "
            "31536000 seconds (one year); Helicone ignores the whole policy and applies no rate "
            "limit",
            id="window-too-long-to-read",
        ),
        pytest.param(
            "9" * 400 + ";w=60",
            "quota",
            "number_too_large",
            "a number of 400 digits is too large for a float: Helicone's parseFloat reads it as "
            "Infinity; use a number below 1e308",
            id="quota-past-float-range",
        ),
    ],
)
def test_parse_range_error(text: str, loc: str, kind: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        RateLimitPolicy.parse(text)
    assert messages(exc_info) == [((loc,), kind, f"{loc}: {message}")]
    # The header reads the text the same way.
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers({"Helicone-RateLimit-Policy": text})
    assert messages(exc_info) == [
        (
            ("Helicone-RateLimit-Policy", loc),
            kind,
            f"Helicone-RateLimit-Policy (rate_limit): {loc}: {message}",
        )
    ]


@pytest.mark.parametrize(
    ("policy", "text"),
    [
        (RateLimitPolicy.per_minute(10, segment="user"), "10;w=60;s=user"),
        (RateLimitPolicy.per_hour(500, unit="cents"), "500;w=3600;u=cents"),
        (RateLimitPolicy.per_day(1000, segment="Org"), "1000;w=86400;s=org"),
        (RateLimitPolicy(quota=0.25, window_seconds=60), "0.25;w=60"),
        (RateLimitPolicy(quota=10, window_seconds=60, unit="CENTS"), "10;w=60;u=cents"),  # type: ignore[arg-type]
    ],
)
def test_str_is_the_normal_form(policy: RateLimitPolicy, text: str) -> None:
    assert str(policy) == text


def test_segment_must_be_a_name() -> None:
    with pytest.raises(ValidationError) as exc_info:
        RateLimitPolicy(quota=1, window_seconds=60, segment="a b")
    assert messages(exc_info) == [
        (
            ("segment",),
            "rate_limit_segment",
            "segment: 'a b' is not a segment: Helicone takes 'user' or a property name made of "
            "letters, digits, '_' and '-', and Helicone ignores the whole policy and applies no "
            "rate limit",
        )
    ]
    with pytest.raises(ValidationError, match="expected a str, got int"):
        RateLimitPolicy.model_validate({"quota": 1, "window_seconds": 60, "segment": 5})


def test_the_header_takes_a_policy_string_or_model() -> None:
    policy = RateLimitPolicy.per_minute(10, segment="user")
    assert HeliconeHeaders.model_validate({"rate_limit": "10;w=60;s=user"}).rate_limit == policy
    assert HeliconeHeaders(rate_limit=policy).to_headers() == {
        "Helicone-RateLimit-Policy": "10;w=60;s=user"
    }


def test_the_header_reports_syntax_errors() -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers({"Helicone-RateLimit-Policy": "10;w=60;s=user;u=cents"})
    assert messages(exc_info) == [
        (
            ("Helicone-RateLimit-Policy",),
            "rate_limit_policy_syntax",
            "Helicone-RateLimit-Policy (rate_limit): expected "
            "<quota>;w=<seconds>[;u=request|cents][;s=user|<property>], got "
            "'10;w=60;s=user;u=cents' (the parts are out of order: w= first, then u=, then s=): "
            "Helicone ignores a policy it cannot parse and applies no rate limit",
        )
    ]


@given(policies)
def test_parse_is_the_inverse_of_str(policy: RateLimitPolicy) -> None:
    assert RateLimitPolicy.parse(str(policy)) == policy


@pytest.mark.parametrize(
    ("written", "quota", "shown"),
    [
        pytest.param(
            lambda: RateLimitPolicy.parse("100;w=60"), 100, "quota=100,", id="parsed-whole"
        ),
        pytest.param(
            lambda: RateLimitPolicy(quota=100.0, window_seconds=60), 100, "quota=100,", id="float"
        ),
        pytest.param(
            lambda: RateLimitPolicy.parse("2.5;w=60"), 2.5, "quota=2.5,", id="parsed-decimal"
        ),
        pytest.param(
            lambda: HeliconeHeaders.from_headers({"Helicone-RateLimit-Policy": "100;w=60"}),
            100,
            "quota=100,",
            id="read-from-a-header",
        ),
    ],
)
def test_a_whole_quota_is_a_whole_number(
    written: Callable[[], RateLimitPolicy | HeliconeHeaders], quota: float, shown: str
) -> None:
    """A user writes 100 and sees 100, not 100.0; a decimal quota stays a decimal."""
    value = written()
    policy = value if isinstance(value, RateLimitPolicy) else value.rate_limit
    assert policy is not None
    assert policy.quota == quota
    assert type(policy.quota) is type(quota)
    assert shown in repr(value)
    assert policy.model_dump()["quota"] == quota
    assert type(policy.model_dump()["quota"]) is type(quota)
