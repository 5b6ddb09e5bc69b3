from __future__ import annotations

import pytest

from helicone_headers import (
    CacheOptions,
    Diagnostic,
    HeliconeHeaders,
    RateLimitPolicy,
    check,
)

from .conftest import KEY


def codes(found: list[Diagnostic]) -> list[tuple[str, str, str | None]]:
    return [(d.code, d.severity, d.header) for d in found]


def test_a_valid_dict_has_nothing_to_report() -> None:
    assert check({"Helicone-Auth": f"Bearer {KEY}", "Helicone-User-Id": "u"}) == []


def test_a_model_is_checked_for_warnings() -> None:
    headers = HeliconeHeaders(rate_limit=RateLimitPolicy.per_minute(10, segment="user"))
    assert codes(check(headers)) == [
        ("rate_limit_user_missing", "warning", "Helicone-RateLimit-Policy")
    ]
    assert check(headers | HeliconeHeaders(user_id="u")) == []


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param(
            {"Helicone-Rate-Limit-Policy": "10;w=60"},
            [("header_name_unknown", "error", "Helicone-Rate-Limit-Policy")],
            id="misspelled-name",
        ),
        pytest.param(
            {"Helicone-Cache-Enable": "true"},
            [("header_name_unknown", "error", "Helicone-Cache-Enable")],
            id="cache-enable",
        ),
        pytest.param(
            {"helicone_session_id": "s"},
            [("header_name_unknown", "error", "helicone_session_id")],
            id="underscore",
        ),
        pytest.param(
            [("Helicone-User-Id", "a"), ("helicone-user-id", "b")],
            [("header_repeated", "error", "helicone-user-id")],
            id="repeated-in-another-case",
        ),
        pytest.param(
            {"Helicone-Cache-Enabled": True, "X-Other": 3, "Authorization": None},
            [
                ("header_value_type", "error", "Helicone-Cache-Enabled"),
                ("header_value_type", "error", "X-Other"),
                ("header_value_type", "error", "Authorization"),
            ],
            id="python-values",
        ),
        pytest.param(
            {"Helicone-User-Id": "a\r\nX-Evil: 1"},
            [("header_value_unsafe", "error", "Helicone-User-Id")],
            id="crlf",
        ),
        pytest.param(
            {"Helicone-User-Id": "jürgen"},
            [("header_value_unsafe", "error", "Helicone-User-Id")],
            id="non-ascii",
        ),
        pytest.param(
            {"Helicone-Omit-Request": "True"},
            [("flag_value", "error", "Helicone-Omit-Request")],
            id="capital-true",
        ),
        pytest.param(
            {"Helicone-Omit-Response": "1"},
            [("flag_value", "error", "Helicone-Omit-Response")],
            id="one",
        ),
        pytest.param(
            {"Helicone-RateLimit-Policy": "10;w=30"},
            [("number_too_small", "error", "Helicone-RateLimit-Policy")],
            id="short-window",
        ),
        pytest.param(
            {"Helicone-RateLimit-Policy": "basic-100"},
            [("rate_limit_policy_syntax", "error", "Helicone-RateLimit-Policy")],
            id="policy-syntax",
        ),
        pytest.param(
            {"Helicone-Retry-Enabled": "false"},
            [("switch_value", "error", "Helicone-Retry-Enabled")],
            id="retry-false",
        ),
        pytest.param(
            {
                "Helicone-Retry-Enabled": "true",
                "Helicone-Retry-Min-Timeout": "20000",
            },
            [("retry_timeout_order", "error", "Helicone-Retry-Min-Timeout")],
            id="retry-min-over-max",
        ),
        pytest.param(
            {"Helicone-Cache-Enabled": "true", "Helicone-Cache-Bucket-Max-Size": "21"},
            [("number_too_large", "error", "Helicone-Cache-Bucket-Max-Size")],
            id="bucket-21",
        ),
        pytest.param(
            {"Helicone-Cache-Enabled": "true", "Helicone-Cache-Bucket-Max-Size": "0"},
            [("number_too_small", "error", "Helicone-Cache-Bucket-Max-Size")],
            id="bucket-0",
        ),
        pytest.param(
            {"Helicone-Cache-Enabled": "true", "Helicone-Cache-Ignore-Keys": "request_id"},
            [("cache_ignore_keys_syntax", "error", "Helicone-Cache-Ignore-Keys")],
            id="bare-ignore-keys",
        ),
        pytest.param(
            {"Helicone-Fallbacks": '["gpt-3.5-turbo", "gpt-4"]'},
            [
                ("fallback_shape", "error", "Helicone-Fallbacks"),
                ("fallback_shape", "error", "Helicone-Fallbacks"),
            ],
            id="fallback-model-names",
        ),
        pytest.param(
            {"Helicone-Prompt-Mode": "Production"},
            [
                ("choice_value", "error", "Helicone-Prompt-Mode"),
                ("deprecated_header", "warning", "Helicone-Prompt-Mode"),
            ],
            id="prompt-mode",
        ),
        pytest.param(
            {"Helicone-Request-Id": "12345678-1234-1234-1234-123456789abc"},
            [("request_id_format", "error", "Helicone-Request-Id")],
            id="request-id-replaced",
        ),
        pytest.param(
            {"Helicone-LLM-Security-Advanced": "false"},
            [("flag_value", "error", "Helicone-LLM-Security-Advanced")],
            id="advanced-false",
        ),
        pytest.param(
            {"Helicone-Cache-Enabled": "true", "Cache-Control": "max-age=99999999"},
            [("number_too_large", "error", "Cache-Control")],
            id="max-age-capped",
        ),
        pytest.param(
            {"Helicone-Cache-Enabled": "true", "Cache-Control": "no-cache"},
            [("cache_control_syntax", "error", "Cache-Control")],
            id="cache-control-misread",
        ),
        pytest.param(
            {"Cache-Control": "max-age=3600"},
            [("cache_not_enabled", "error", None)],
            id="cache-options-without-a-switch",
        ),
        pytest.param(
            {"Helicone-Auth": "Bearer sk-helicone-oops"},
            [("auth_key_format", "error", "Helicone-Auth")],
            id="malformed-key",
        ),
        pytest.param(
            {"Helicone-Target-Provider": "lemonfox"},
            [("header_name_unknown", "error", "Helicone-Target-Provider")],
            id="never-read",
        ),
    ],
)
def test_each_error_is_reported_with_its_code_and_header(
    headers: object, expected: list[tuple[str, str, str | None]]
) -> None:
    assert codes(check(headers)) == expected


@pytest.mark.parametrize(
    ("headers", "code", "header", "message"),
    [
        pytest.param(
            {"Helicone-RateLimit-Policy": "10;w=60;s=user"},
            "rate_limit_user_missing",
            "Helicone-RateLimit-Policy",
            "Helicone-RateLimit-Policy: s=user limits each Helicone-User-Id, but none is sent; "
            "Helicone then uses the body's 'user' field and, without one, applies no limit at all "
            "(it fails open); send Helicone-User-Id (user_id)",
            id="per-user-without-user",
        ),
        pytest.param(
            {"Helicone-RateLimit-Policy": "10;w=60;s=Tenant", "Helicone-Property-App": "x"},
            "rate_limit_property_missing",
            "Helicone-RateLimit-Policy",
            "Helicone-RateLimit-Policy: s=tenant limits each value of the property 'tenant', but "
            "no Helicone-Property-tenant header is sent; Helicone then applies no limit at all "
            "(it fails open); send properties={'tenant': ...}",
            id="per-property-without-property",
        ),
        pytest.param(
            {"Helicone-Cache-Enabled": "TRUE"},
            "flag_case",
            "Helicone-Cache-Enabled",
            "Helicone-Cache-Enabled: Helicone turns this on for 'TRUE', as meant, but logs the "
            "request as uncached and records no cache property, because its logging reads only "
            "the exact lowercase 'true'; write 'true'",
            id="cache-flag-case",
        ),
        pytest.param(
            {"Helicone-Cache-Enabled": "true", "Helicone-Cache-Seed": "v1"},
            "cache_seed_not_logged",
            "Helicone-Cache-Seed",
            "Helicone-Cache-Seed: Helicone partitions the cache by any seed, but records the seed "
            "in its logs only when it reads as an integer (parseInt), so 'v1' will not show "
            "there; use a number if you want to see it",
            id="cache-seed",
        ),
        pytest.param(
            {"Helicone-Session-Id": "s", "Helicone-Session-Path": "parent/child"},
            "session_path_form",
            "Helicone-Session-Path",
            "Helicone-Session-Path: Helicone stores 'parent/child' as given, but its session view "
            "and docs use paths like '/parent/child', and paths without the leading '/' do not "
            "nest with those that have it; write '/parent/child'",
            id="session-path",
        ),
        pytest.param(
            {"Helicone-Prompt-Security-Enabled": "true"},
            "legacy_header",
            "Helicone-Prompt-Security-Enabled",
            "Helicone-Prompt-Security-Enabled: Helicone still reads this legacy name, but only "
            "when Helicone-LLM-Security-Enabled is absent; write Helicone-LLM-Security-Enabled "
            "(security.llm_security)",
            id="legacy-security",
        ),
        pytest.param(
            {"Helicone-Prompt-Id": "p"},
            "deprecated_header",
            "Helicone-Prompt-Id",
            "Helicone-Prompt-Id: header-based prompts are deprecated in Helicone's docs; Helicone "
            "still reads it, but new prompts live in the AI gateway's request body",
            id="prompt-id",
        ),
        pytest.param(
            {"Helicone-Brand-New": "x"},
            "header_unknown",
            "Helicone-Brand-New",
            "Helicone-Brand-New: Helicone does not read this header as far as this library knows, "
            "and drops every Helicone-* header before the provider; check the name, or keep it if "
            "your Helicone version reads it",
            id="unknown-name",
        ),
    ],
)
def test_each_warning_says_what_helicone_does(
    headers: dict[str, str], code: str, header: str, message: str
) -> None:
    assert check(headers) == [Diagnostic(code, "warning", header, message)]


@pytest.mark.parametrize(
    "headers",
    [
        {"Helicone-RateLimit-Policy": "10;w=60;s=user", "Helicone-User-Id": "u"},
        {"Helicone-RateLimit-Policy": "10;w=60;s=app", "helicone-property-App": "web"},
        {"Helicone-Cache-Enabled": "true", "Helicone-Cache-Seed": "42"},
        {"Helicone-Session-Path": "/a/b", "Helicone-Session-Id": "s"},
        {"Helicone-Prompt-Format": "x", "Helicone-Node-Id": "n"},
    ],
)
def test_what_helicone_reads_as_intended_is_quiet(headers: dict[str, str]) -> None:
    assert check(headers) == []


@pytest.mark.parametrize("value", [None, "Helicone-Auth: x", 42, ["a", "b"], [("a",)], b"x"])
def test_anything_else_is_one_error_not_an_exception(value: object) -> None:
    assert check(value) == [
        Diagnostic(
            "input_type",
            "error",
            None,
            f"expected a dict of header names to values, got {type(value).__name__}",
        )
    ]


def test_secrets_are_not_echoed() -> None:
    found = check({"Helicone-Auth": "Bearer sk-helicone-leaky", "helicone-auth": "x"})
    assert "leaky" not in repr(found)
    assert [d.code for d in found] == ["header_repeated", "auth_key_format"]


def test_diagnostics_serialise() -> None:
    (diagnostic,) = check({"Helicone-Cache-Enabled": "true", "Cache-Control": "max-age=30"})
    assert diagnostic.as_dict() == {
        "code": "number_too_small",
        "severity": "error",
        "header": "Cache-Control",
        "message": "Cache-Control (max_age_seconds): 30 is below 60: Helicone's cache store "
        "refuses lifetimes under 60 seconds, so nothing would be cached; use 60 or more",
        "path": None,
    }


def test_a_valid_cache_model_is_quiet() -> None:
    assert check(HeliconeHeaders(cache=CacheOptions(enabled=True, seed="7"))) == []


@pytest.mark.parametrize(
    ("headers", "header"),
    [
        ({"Helicone-Property-App": "café"}, "Helicone-Property-App"),
        ({"Helicone-Property-App": "a", "helicone-property-app": "b"}, "helicone-property-app"),
        ({"Helicone-Node-Id": "x\x00"}, "Helicone-Node-Id"),
    ],
)
def test_a_finding_about_one_header_of_a_map_names_it(headers: dict[str, str], header: str) -> None:
    assert [(d.severity, d.header) for d in check(headers)] == [("error", header)]
