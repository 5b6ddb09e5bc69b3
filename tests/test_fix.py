"""fix(): what a user hands in, what they get back, and that the result always passes check()."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helicone_headers import Change, HeliconeHeaders, check, fix

from .conftest import documented_headers

KEY = "sk-helicone-abcdefg-hijklmn-opqrstu-vwxyzab"


@pytest.mark.parametrize(
    ("broken", "fixed", "changed"),
    [
        pytest.param(
            {"Helicone-Cache-Enabled": "True"},
            {"Helicone-Cache-Enabled": "true"},
            ["flag_case"],
            id="True-on-a-cache-flag",
        ),
        pytest.param(
            {"Helicone-LLM-Security-Enabled": "True", "Helicone-Moderations-Enabled": "1"},
            {"Helicone-LLM-Security-Enabled": "true", "Helicone-Moderations-Enabled": "true"},
            ["flag_value", "flag_case"],
            id="True-where-any-case-works-and-1-where-only-true-counts",
        ),
        pytest.param(
            {"Helicone-Auth": KEY},
            {"Helicone-Auth": f"Bearer {KEY}"},
            ["auth_bearer"],
            id="missing-Bearer",
        ),
        pytest.param(
            {"Helicone-Auth": f"bearer {KEY}"},
            {"Helicone-Auth": f"Bearer {KEY}"},
            ["auth_bearer"],
            id="lowercase-bearer",
        ),
        pytest.param(
            {"Helicone-Rate-Limit-Policy": "10;w=60"},
            {"Helicone-RateLimit-Policy": "10;w=60"},
            ["header_name_unknown"],
            id="misspelled-rate-limit-name",
        ),
        pytest.param(
            {"helicone_user_id": "u-1"},
            {"Helicone-User-Id": "u-1"},
            ["header_name_unknown"],
            id="underscore-name",
        ),
        pytest.param(
            {"Helicone-Cache-Enabled": "true", "Helicone-Cache-Ignore-Keys": "request_id, ts"},
            {"Helicone-Cache-Enabled": "true", "Helicone-Cache-Ignore-Keys": '"request_id","ts"'},
            ["cache_ignore_keys_syntax"],
            id="bare-ignore-keys",
        ),
        pytest.param(
            {"Helicone-RateLimit-Policy": "10;w=30"},
            {"Helicone-RateLimit-Policy": "20;w=60"},
            ["number_too_small"],
            id="30-second-window-same-rate-per-minute",
        ),
        pytest.param(
            {"Helicone-RateLimit-Policy": "5;w=45;u=cents"},
            {"Helicone-RateLimit-Policy": "6.666666666666667;w=60;u=cents"},
            ["number_too_small"],
            id="45-second-window-in-cents",
        ),
        pytest.param(
            {"Helicone-RateLimit-Policy": "10;s=user;w=60", "Helicone-User-Id": "u"},
            {"Helicone-User-Id": "u", "Helicone-RateLimit-Policy": "10;w=60;s=user"},
            ["rate_limit_policy_syntax"],
            id="policy-parts-out-of-order",
        ),
        pytest.param(
            {
                "Authorization": "Bearer sk-openai",
                "Helicone-Retry-Enabled": "false",
                "Helicone-Retry-Num": "3",
            },
            {"Authorization": "Bearer sk-openai"},
            ["switch_value"],
            id="retry-false-means-no-retry-headers",
        ),
        pytest.param(
            {"Helicone-Retry-Num": "3", "Helicone-User-Id": "u"},
            {"Helicone-User-Id": "u"},
            ["switch_missing"],
            id="retry-options-without-the-switch-stay-off",
        ),
        pytest.param(
            {"Helicone-Cache-Enabled": True, "Helicone-Cache-Bucket-Max-Size": 3},
            {"Helicone-Cache-Enabled": "true", "Helicone-Cache-Bucket-Max-Size": "3"},
            ["header_value_type", "header_value_type"],
            id="python-values",
        ),
        pytest.param(
            {"Helicone-Cache-Enabled": "false", "Helicone-User-Id": " u "},
            {"Helicone-User-Id": "u"},
            ["flag_off", "outer_space"],
            id="applied-as-meant-written-canonically",
        ),
        pytest.param(
            {"Helicone-Session-Id": "s", "Helicone-Session-Path": "plan"},
            {"Helicone-Session-Id": "s", "Helicone-Session-Path": "/plan"},
            ["session_path_form"],
            id="session-path-without-slash",
        ),
        pytest.param(
            {"Helicone-Prompt-Security-Enabled": "true"},
            {"Helicone-LLM-Security-Enabled": "true"},
            ["legacy_header"],
            id="legacy-name-written-as-the-current-one",
        ),
    ],
)
def test_a_repair_whose_meaning_is_plain(
    broken: dict[str, object], fixed: dict[str, str], changed: list[str]
) -> None:
    result = fix(broken)
    assert result.headers == fixed
    assert [change.code for change in result.changes] == changed
    assert [d for d in check(result.headers) if d.severity == "error"] == []
    assert result.model == HeliconeHeaders.from_headers(result.headers)


def test_each_change_says_what_was_written_before_and_after() -> None:
    result = fix({"Helicone-Rate-Limit-Policy": "10;w=30", "Helicone-Cache-Enabled": "True"})
    assert result.changes == [
        Change(
            "header_name_unknown",
            "Helicone-Rate-Limit-Policy",
            "Helicone-Rate-Limit-Policy -> Helicone-RateLimit-Policy",
        ),
        Change(
            "number_too_small",
            "Helicone-RateLimit-Policy",
            "Helicone-RateLimit-Policy: '10;w=30' -> '20;w=60'",
        ),
        Change(
            "flag_case",
            "Helicone-Cache-Enabled",
            "Helicone-Cache-Enabled: 'True' -> Helicone-Cache-Enabled: 'true'",
        ),
    ]
    assert result.unfixed == []


@pytest.mark.parametrize(
    ("broken", "kept", "unfixed"),
    [
        pytest.param(
            {"Helicone-Cache-Enabled": "true", "Helicone-Cache-Bucket-Max-Size": "21"},
            {"Helicone-Cache-Enabled": "true"},
            [("number_too_large", "error", "Helicone-Cache-Bucket-Max-Size")],
            id="bucket-21-is-20-or-2",
        ),
        pytest.param(
            {"Helicone-Cache-Enabled": "maybe", "Helicone-Cache-Seed": "7"},
            {},
            [
                ("flag_value", "error", "Helicone-Cache-Enabled"),
                ("cache_not_enabled", "error", None),
            ],
            id="a-word-that-is-neither-on-nor-off-and-what-leans-on-it",
        ),
        pytest.param(
            {
                "Helicone-Retry-Enabled": "true",
                "Helicone-Retry-Min-Timeout": "20",
                "Helicone-Retry-Max-Timeout": "10",
                "Helicone-User-Id": "u",
            },
            {"Helicone-User-Id": "u"},
            [("retry_timeout_order", "error", None)],
            id="timeouts-in-the-wrong-order-leave-out-the-group",
        ),
        pytest.param(
            {"Helicone-Request-Id": "not-a-uuid", 3: "x"},
            {},
            [
                ("header_name_type", "error", None),
                ("request_id_format", "error", "Helicone-Request-Id"),
            ],
            id="no-repair-for-a-request-id-or-a-name-that-is-no-str",
        ),
        pytest.param(
            {"Helicone-User-Id": ["u"], "Helicone-Auth": "bearer"},
            {},
            [
                ("header_value_type", "error", "Helicone-User-Id"),
                ("auth_bearer", "error", "Helicone-Auth"),
            ],
            id="a-list-value-and-a-key-that-is-only-the-word-bearer",
        ),
        pytest.param(
            {"Helicone-Retry-Enabled": "maybe"},
            {},
            [("switch_value", "error", "Helicone-Retry-Enabled")],
            id="a-retry-switch-neither-on-nor-off",
        ),
        pytest.param(
            {"Helicone-Rate-Limit-Policy": "10;w=60", "Helicone-RateLimit-Policy": "5;w=60"},
            {"Helicone-RateLimit-Policy": "5;w=60"},
            [("header_name_unknown", "error", "Helicone-Rate-Limit-Policy")],
            id="a-misspelling-beside-the-right-name",
        ),
        pytest.param(
            {"Helicone-Target-Provider": "openai", "Helicone User-Id": "u"},
            {},
            [
                ("header_name_unknown", "error", "Helicone-Target-Provider"),
                ("header_name_unknown", "error", "Helicone User-Id"),
            ],
            id="a-name-helicone-never-reads-and-one-with-a-space",
        ),
        pytest.param(
            {
                "Helicone-Cache-Enabled": "true",
                "Helicone-Cache-Ignore-Keys": '["a"]',
                "Cache-Control": "max-age=30",
            },
            {},
            [
                ("cache_ignore_keys_syntax", "error", "Helicone-Cache-Ignore-Keys"),
                ("number_too_small", "error", "Cache-Control"),
            ],
            id="a-json-array-of-ignore-keys-and-a-max-age-of-30",
        ),
        pytest.param(
            {"Helicone-Cache-Enabled": "true", "Helicone-Cache-Ignore-Keys": "a,,b"},
            {"Helicone-Cache-Enabled": "true"},
            [("cache_ignore_keys_syntax", "error", "Helicone-Cache-Ignore-Keys")],
            id="ignore-keys-with-an-empty-key",
        ),
        pytest.param(
            {"Helicone-RateLimit-Policy": "0;w=60"},
            {},
            [("number_too_small", "error", "Helicone-RateLimit-Policy")],
            id="a-quota-of-zero",
        ),
        *(
            pytest.param(
                {"Helicone-RateLimit-Policy": policy},
                {},
                [("rate_limit_policy_syntax", "error", "Helicone-RateLimit-Policy")],
                id=f"policy-{policy}",
            )
            for policy in ("10;w=x", "10;s=user;x=1;w=60", "10;s=user;w60", "10;s=a;w=60;s=b")
        ),
        pytest.param(
            {"Helicone-RateLimit-Policy": "10;w=60;s=user"},
            {"Helicone-RateLimit-Policy": "10;w=60;s=user"},
            [("rate_limit_user_missing", "warning", "Helicone-RateLimit-Policy")],
            id="a-warning-is-kept-and-listed",
        ),
    ],
)
def test_what_it_cannot_fix_is_listed_and_left_out_if_an_error(
    broken: dict[object, str],
    kept: dict[str, str],
    unfixed: list[tuple[str, str, str | None]],
) -> None:
    result = fix(broken)
    assert result.headers == kept
    assert sorted((d.code, d.severity, d.header) for d in result.unfixed) == sorted(unfixed)
    assert [d for d in check(result.headers) if d.severity == "error"] == []


def test_a_secret_is_never_shown_in_a_change() -> None:
    result = fix({"Helicone-Auth": f"Bearer  {KEY} "})
    assert result.headers == {"Helicone-Auth": f"Bearer {KEY}"}
    assert KEY not in repr(result.changes)
    assert KEY not in repr(result.model)


def test_fix_refuses_what_is_not_a_header_dict() -> None:
    with pytest.raises(TypeError, match="expected a mapping of header names to values"):
        fix("Helicone-Cache-Enabled: true")


names = st.sampled_from(
    [*documented_headers(), "Helicone-Rate-Limit-Policy", "helicone_user_id", "X-Other"]
)
values = st.sampled_from(
    [
        "true", "True", "TRUE", "false", "1", "0", "yes", " true ", "", "maybe", "3", "21",
        "-1", "1e3", "10;w=30", "10;s=user;w=60", "10;w=60;s=user", "a, b", '"a"', "[]",
        "max-age=30", "public, max-age=3600", KEY, f"Bearer {KEY}", "https://a.example",
        '[{"target-url": "https://a.example", "headers": {}, "onCodes": [500]}]',
        "/plan", "plan", "caf\u00e9", "x\r\ny",
    ]
) | st.booleans() | st.integers(-5, 100) | st.none()  # fmt: skip


# The errors about an option group as a whole (or its missing switch), and its headers.
GROUP_OF = {
    "retry_timeout_order": ("helicone-retry-",),
    "switch_missing": ("helicone-retry-",),
    "cache_not_enabled": ("helicone-cache-", "cache-control"),
    "posthog_key_missing": ("helicone-posthog-",),
}


@given(st.dictionaries(names, values, max_size=8))
def test_the_fixed_dict_always_passes_check_and_a_second_fix_changes_nothing(
    headers: dict[str, object],
) -> None:
    result = fix(headers)
    assert [d for d in check(result.headers) if d.severity == "error"] == []
    assert all(isinstance(v, str) for v in result.headers.values())
    again = fix(result.headers)
    assert again.headers == result.headers
    assert again.changes == []
    # Nothing is dropped silently: every header gone was changed or is listed as unfixed, or
    # went with its option group (retries switched off, an error about the group as a whole).
    gone = {str(name).lower() for name in headers} - {name.lower() for name in result.headers}
    named = {c.header.lower() for c in result.changes} | {
        d.header.lower() for d in result.unfixed if d.header is not None
    }
    groups = [GROUP_OF[d.code] for d in result.unfixed if d.code in GROUP_OF]
    if any(c.code == "switch_value" for c in result.changes):
        groups.append(GROUP_OF["retry_timeout_order"])
    prefixes = tuple(prefix for group in groups for prefix in group)
    assert {name for name in gone - named if not name.startswith(prefixes)} == set()
