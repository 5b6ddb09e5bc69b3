"""The wire codecs, exercised through the fields that use them."""

from __future__ import annotations

import uuid

import pytest
from pydantic import SecretStr, ValidationError

from helicone_headers import HeliconeHeaders, PosthogOptions, RetryOptions, SecurityOptions

from .conftest import EU_KEY, KEY, RL_KEY, messages


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        pytest.param(
            "",
            "is empty; Helicone treats an empty header as if it were absent, so leave the option "
            "unset instead",
            id="empty",
        ),
        pytest.param(
            "a\r\nX-Injected: 1",
            "contains a line break (CR or LF), which would end the header early and could inject "
            "another one; remove it",
            id="crlf",
        ),
        pytest.param(
            "a\nb",
            "contains a line break (CR or LF), which would end the header early and could inject "
            "another one; remove it",
            id="lf",
        ),
        pytest.param(
            "a\x00b",
            "contains the control character '\\x00', which HTTP clients refuse to send; remove it",
            id="nul",
        ),
        pytest.param(
            "a\tb",
            "contains the control character '\\t', which HTTP clients refuse to send; remove it",
            id="tab",
        ),
        pytest.param(
            "a\x7fb",
            "contains the control character '\\x7f', which HTTP clients refuse to send; remove it",
            id="del",
        ),
        pytest.param(
            "café",
            "contains the non-ASCII character 'é'; HTTP clients such as httpx refuse or mangle "
            "non-ASCII header values, so use ASCII only (percent-encode it if needed)",
            id="latin-1",
        ),
        pytest.param(
            " user ",
            "has leading or trailing spaces, which HTTP strips, so Helicone would receive 'user' "
            "instead; remove them",
            id="outer-spaces",
        ),
    ],
)
def test_unsafe_text_is_refused_with_the_reason(value: str, problem: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders(user_id=value)
    assert messages(exc_info) == [
        (("user_id",), "header_value_unsafe", f"Helicone-User-Id (user_id): the value {problem}")
    ]


@pytest.mark.parametrize("value", ["user-abc", "a b c", "~!#$%&'*+.^_`|", "x" * 4000])
def test_safe_text_passes(value: str) -> None:
    assert HeliconeHeaders(user_id=value).to_headers() == {"Helicone-User-Id": value}


@pytest.mark.parametrize(
    ("header", "text"),
    [
        ("Helicone-User-Id", "a b"),
        ("Helicone-Omit-Request", "true"),
        ("Helicone-Retry-Num", "7"),
        ("Helicone-Retry-Factor", "1.5"),
        ("Cache-Control", "max-age=60"),
        ("Helicone-Auth", f"Bearer {KEY}"),
    ],
)
def test_headers_are_written_back_as_they_were_read(header: str, text: str) -> None:
    read = {header: text}
    if header.startswith("Helicone-Retry"):
        read["Helicone-Retry-Enabled"] = "true"
    if header == "Cache-Control":
        read["Helicone-Cache-Enabled"] = "true"
    assert HeliconeHeaders.from_headers(read).to_headers() == read


def test_a_secret_is_never_quoted_in_its_problem() -> None:
    with pytest.raises(ValidationError) as exc_info:
        PosthogOptions(key=" sk-secret ")  # type: ignore[arg-type]
    assert messages(exc_info) == [
        (
            ("key",),
            "header_value_unsafe",
            "Helicone-Posthog-Key (key): the value has leading or trailing spaces, which HTTP "
            "strips, so Helicone would receive the value instead; remove them",
        )
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Helicone-Auth", True), ("a_b.c~", True), ("", False), ("a b", False), ("a:b", False)],
)
def test_property_names_must_be_tokens(name: str, expected: bool) -> None:
    if expected:
        headers = HeliconeHeaders(properties={name: "v"})
        assert headers.to_headers() == {f"Helicone-Property-{name}": "v"}
    else:
        with pytest.raises(ValidationError):
            HeliconeHeaders(properties={name: "v"})


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (10.0, "10"),
        (0.5, "0.5"),
        (1e-7, "0.0000001"),
        (1e20, "100000000000000000000"),
        (2.25, "2.25"),
    ],
)
def test_numbers_are_written_without_exponent_or_trailing_zero(value: float, text: str) -> None:
    assert RetryOptions(factor=value).to_headers()["Helicone-Retry-Factor"] == text


@pytest.mark.parametrize(
    ("value", "wrong_type"),
    [
        pytest.param(True, "bool", id="bool"),
        pytest.param(3, "int", id="int"),
        pytest.param(b"user", "bytes", id="bytes"),
        pytest.param({"a": 1}, "dict", id="dict"),
    ],
)
def test_text_fields_take_only_str(value: object, wrong_type: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.model_validate({"user_id": value})
    assert messages(exc_info) == [
        (
            ("user_id",),
            "header_value_type",
            f"Helicone-User-Id (user_id): expected a str, got {wrong_type}",
        )
    ]


class TestFlags:
    @pytest.mark.parametrize(
        ("value", "expected"), [(True, {"Helicone-Omit-Request": "true"}), (False, {})]
    )
    def test_true_is_sent_and_false_is_not(self, value: bool, expected: dict[str, str]) -> None:
        assert HeliconeHeaders(omit_request=value).to_headers() == expected

    @pytest.mark.parametrize(("text", "expected"), [("true", True), ("false", False)])
    def test_flag_text_is_taken_by_the_constructors_too(self, text: str, expected: bool) -> None:
        assert HeliconeHeaders.model_validate({"omit_request": text}).omit_request is expected

    @pytest.mark.parametrize("text", ["True", "TRUE", "1", "yes", "on"])
    def test_exact_flags_refuse_what_helicone_ignores(self, text: str) -> None:
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders.from_headers({"Helicone-Omit-Request": text})
        assert messages(exc_info) == [
            (
                ("Helicone-Omit-Request",),
                "flag_value",
                f"Helicone-Omit-Request (omit_request): Helicone turns this on only for the exact "
                f"lowercase 'true' and treats {text!r} as off; write 'true' (True in Python) to "
                "turn it on, or leave the header out",
            )
        ]

    @pytest.mark.parametrize(
        ("text", "expected"), [("TRUE", True), ("True", True), ("FALSE", False)]
    )
    def test_caseless_flags_read_any_case(self, text: str, expected: bool) -> None:
        headers = HeliconeHeaders.from_headers(
            {"Helicone-LLM-Security-Enabled": text, "Helicone-Moderations-Enabled": "true"}
        )
        assert headers.security == SecurityOptions(llm_security=expected, moderations=True)

    def test_caseless_flags_name_their_rule(self) -> None:
        with pytest.raises(ValidationError) as exc_info:
            SecurityOptions.model_validate({"Helicone-LLM-Security-Enabled": "1"})
        assert messages(exc_info) == [
            (
                ("Helicone-LLM-Security-Enabled",),
                "flag_value",
                "Helicone-LLM-Security-Enabled (llm_security): Helicone turns this on only for "
                "'true' in any case and treats '1' as off; write 'true' (True in Python) to turn "
                "it on, or leave the header out",
            )
        ]

    @pytest.mark.parametrize("text", ["false", "False", "0", "yes"])
    def test_llm_security_advanced_refuses_anything_but_true(self, text: str) -> None:
        with pytest.raises(ValidationError) as exc_info:
            SecurityOptions.model_validate({"Helicone-LLM-Security-Advanced": text})
        assert messages(exc_info) == [
            (
                ("Helicone-LLM-Security-Advanced",),
                "flag_value",
                "Helicone-LLM-Security-Advanced (advanced): Helicone turns this on for any "
                f"non-empty value, so {text!r} turns it ON; write 'true' (True in Python) to turn "
                "it on, or leave the header out to keep it off",
            )
        ]

    @pytest.mark.parametrize("value", [1, 0, None, "true "])
    def test_flags_take_booleans_in_python(self, value: object) -> None:
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders.model_validate({"stream_usage": value})
        assert [error["type"] for error in exc_info.value.errors()] == [
            "flag_value"
            if isinstance(value, str)
            else "header_value_type"
            if value is not None
            else "bool_type"
        ]


class TestIntegers:
    @pytest.mark.parametrize(
        ("text", "parsed"),
        [("3.5", "3"), ("5abc", "5"), ("abc", "NaN"), ("-1", "-1"), (" 3", "3"), ("+2", "2")],
    )
    def test_parse_int_prefixes_are_refused(self, text: str, parsed: str) -> None:
        with pytest.raises(ValidationError) as exc_info:
            RetryOptions.model_validate({"Helicone-Retry-Num": text})
        assert messages(exc_info) == [
            (
                ("Helicone-Retry-Num",),
                "number_syntax",
                f"Helicone-Retry-Num (max_attempts): Helicone reads numbers with parseInt, which "
                f"would take {text!r} as {parsed}; write a whole number in plain digits",
            )
        ]

    @pytest.mark.parametrize("value", [True, 2.0, "2"])
    def test_python_ints_only(self, value: object) -> None:
        if value == "2":
            assert RetryOptions.model_validate({"max_attempts": value}).max_attempts == 2
            return
        with pytest.raises(ValidationError) as exc_info:
            RetryOptions.model_validate({"max_attempts": value})
        assert messages(exc_info) == [
            (
                ("max_attempts",),
                "header_value_type",
                f"Helicone-Retry-Num (max_attempts): expected an int, got {type(value).__name__}",
            )
        ]

    def test_leading_zeros_read_as_the_number(self) -> None:
        assert RetryOptions.model_validate({"Helicone-Retry-Num": "007"}).max_attempts == 7

    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (2**53, "9007199254740992"),
            ("9007199254740992", "9007199254740992"),
            (10**40, "the number"),
            ("0" * 40 + "9" * 16, "9" * 16),
            ("9" * 31, "a number of 31 digits"),
            ("9" * 5000, "a number of 5000 digits"),
        ],
    )
    def test_numbers_past_javascript_precision_are_refused(self, value: object, shown: str) -> None:
        # Retry timeouts have no bound of their own, only JavaScript's.
        with pytest.raises(ValidationError) as exc_info:
            RetryOptions.model_validate({"max_timeout_ms": value})
        assert messages(exc_info) == [
            (
                ("max_timeout_ms",),
                "number_too_large",
                f"Helicone-Retry-Max-Timeout (max_timeout_ms): {shown} is above 9007199254740991: Helicone "
                "reads it with parseInt into a JavaScript number, which is exact only up to this; "
                "use a smaller number",
            )
        ]

    def test_the_largest_exact_number_is_taken(self) -> None:
        written = RetryOptions(max_timeout_ms=2**53 - 1).to_headers()
        assert written["Helicone-Retry-Max-Timeout"] == str(2**53 - 1)
        assert RetryOptions.model_validate({"max_attempts": "0" * 40 + "7"}).max_attempts == 7

    def test_attempts_are_bounded_where_no_client_waits_longer(self) -> None:
        assert RetryOptions(max_attempts=100).to_headers()["Helicone-Retry-Num"] == "100"
        with pytest.raises(ValidationError) as exc_info:
            RetryOptions.model_validate({"Helicone-Retry-Num": "3000000"})
        assert messages(exc_info) == [
            (
                ("Helicone-Retry-Num",),
                "number_too_large",
                "Helicone-Retry-Num (max_attempts): 3000000 is above 100: Helicone's retry library "
                "builds its table of delays for every attempt before the first call (3000000 "
                "attempts take about 87 MB and half a second of the worker), and with Helicone's "
                "default timeouts 100 attempts already wait at least 16 minutes between them, "
                "longer than clients wait for an answer; use 100 or fewer",
            )
        ]


class TestNumbers:
    @pytest.mark.parametrize(
        ("text", "parsed"), [("2x", "2"), ("1e3", "1000"), (".5", "0.5"), ("x", "NaN")]
    )
    def test_parse_float_prefixes_are_refused(self, text: str, parsed: str) -> None:
        with pytest.raises(ValidationError) as exc_info:
            RetryOptions.model_validate({"Helicone-Retry-Factor": text})
        assert messages(exc_info) == [
            (
                ("Helicone-Retry-Factor",),
                "number_syntax",
                f"Helicone-Retry-Factor (factor): Helicone reads this number with parseFloat, "
                f"which would take {text!r} as {parsed}; write plain digits with an optional "
                "fraction, such as 2 or 1.5",
            )
        ]

    @pytest.mark.parametrize(
        ("value", "kind", "message"),
        [
            (
                float("nan"),
                "number_not_finite",
                "nan is not a finite number; Helicone's grammar has digits only",
            ),
            (
                float("inf"),
                "number_not_finite",
                "inf is not a finite number; Helicone's grammar has digits only",
            ),
            (True, "header_value_type", "expected an int or float, got bool"),
            (
                10**400,
                "number_too_large",
                "an int of about 401 digits is too large for a float, and Helicone reads numbers "
                "as floats; use a number below 1e308",
            ),
            (
                0,
                "number_too_small",
                "0 is not greater than 0: a backoff factor of 0 or less makes no sense; Helicone's default is 2",
            ),
        ],
    )
    def test_bad_python_numbers(self, value: object, kind: str, message: str) -> None:
        with pytest.raises(ValidationError) as exc_info:
            RetryOptions.model_validate({"factor": value})
        assert messages(exc_info) == [
            (("factor",), kind, f"Helicone-Retry-Factor (factor): {message}")
        ]

    def test_numbers_past_float_range_are_refused(self) -> None:
        with pytest.raises(ValidationError) as exc_info:
            RetryOptions.model_validate({"Helicone-Retry-Factor": "9" * 400})
        assert messages(exc_info) == [
            (
                ("Helicone-Retry-Factor",),
                "number_too_large",
                "Helicone-Retry-Factor (factor): a number of 400 digits is too large for a float: "
                "Helicone's parseFloat reads it as Infinity; use a number below 1e308",
            )
        ]

    def test_fractions_round_trip(self) -> None:
        retry = RetryOptions(factor=1.5)
        assert retry.to_headers()["Helicone-Retry-Factor"] == "1.5"
        assert RetryOptions.model_validate({"Helicone-Retry-Factor": "1.5"}) == retry


class TestApiKey:
    @pytest.mark.parametrize("key", [KEY, EU_KEY, RL_KEY, "sk-aaaaaaa-bbbbbbb-ccccccc-ddddddd"])
    def test_helicone_key_formats(self, key: str) -> None:
        for given in (key, f"Bearer {key}", SecretStr(key)):
            assert HeliconeHeaders(api_key=given).to_headers() == {"Helicone-Auth": f"Bearer {key}"}  # type: ignore[arg-type]

    def test_eu_keys_are_told(self) -> None:
        assert HeliconeHeaders(api_key=EU_KEY).is_eu  # type: ignore[arg-type]
        assert not HeliconeHeaders(api_key=KEY).is_eu  # type: ignore[arg-type]
        assert not HeliconeHeaders().is_eu

    @pytest.mark.parametrize(
        ("value", "kind", "message"),
        [
            (
                "sk-helicone-tooshort",
                "auth_key_format",
                "the key is not a Helicone API key (sk-helicone-xxxxxxx-xxxxxxx-xxxxxxx-xxxxxxx, "
                "an EU key sk-helicone-eu-..., or a rate-limited -rl- key); Helicone would forward "
                "the request but skip logging, caching and rate limits (the AI gateway answers "
                "HTTP 401); copy the key from Helicone's API keys page",
            ),
            (
                f"bearer {KEY}",
                "auth_bearer",
                "Helicone requires the exact prefix 'Bearer ' (capital B, one space) and refuses "
                "the key otherwise ('Must included Bearer in API Key'): it forwards the request "
                "but skips logging, caching and rate limits (the AI gateway answers HTTP 401); "
                "write 'Bearer <key>', or pass api_key=<key> and the model writes it",
            ),
            (
                f" {KEY}",
                "header_value_unsafe",
                "the value has leading or trailing spaces, which HTTP strips, so Helicone would "
                "receive the value instead; remove them",
            ),
        ],
    )
    def test_bad_keys_are_refused_without_being_quoted(
        self, value: str, kind: str, message: str
    ) -> None:
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders(api_key=value)  # type: ignore[arg-type]
        assert messages(exc_info) == [(("api_key",), kind, f"Helicone-Auth (api_key): {message}")]
        assert exc_info.value.errors()[0]["input"] == "**********"
        assert "tooshort" not in str(exc_info.value)
        assert KEY not in str(exc_info.value)

    def test_a_key_of_another_type_is_refused(self) -> None:
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders.model_validate({"api_key": 12})
        assert messages(exc_info) == [
            (
                ("api_key",),
                "header_value_type",
                "Helicone-Auth (api_key): expected a str or SecretStr, got int",
            )
        ]


class TestRequestId:
    def test_uuid4_and_its_text(self) -> None:
        request_id = uuid.uuid4()
        expected = {"Helicone-Request-Id": str(request_id)}
        assert HeliconeHeaders(request_id=request_id).to_headers() == expected
        assert HeliconeHeaders.from_headers(expected).request_id == request_id
        upper = {"Helicone-Request-Id": str(request_id).upper()}
        assert HeliconeHeaders.from_headers(upper).request_id == request_id

    @pytest.mark.parametrize(
        "value",
        [
            pytest.param("12345678-1234-1234-1234-123456789abc", id="variant-1"),
            pytest.param("00000000-0000-0000-0000-000000000000", id="nil"),
            pytest.param("0190b6a3-7c4e-7b2d-9f1e-123456789abc", id="v7"),
            pytest.param("{12345678-1234-4234-8234-123456789abc}", id="braces"),
            pytest.param("123456781234423482341234567890ab", id="hex-only"),
        ],
    )
    def test_ids_helicone_replaces_are_refused(self, value: str) -> None:
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders.from_headers({"Helicone-Request-Id": value})
        assert messages(exc_info) == [
            (
                ("Helicone-Request-Id",),
                "request_id_format",
                "Helicone-Request-Id (request_id): Helicone keeps only RFC 4122 UUIDs of versions "
                f"1 to 5 in the 8-4-4-4-12 form and silently replaces {value!r} with a random id, "
                "so you could not find the request by it; use str(uuid.uuid4())",
            )
        ]

    def test_uuid7_objects_are_refused_too(self) -> None:
        with pytest.raises(ValidationError, match="silently replaces"):
            HeliconeHeaders(request_id=uuid.UUID("0190b6a3-7c4e-7b2d-9f1e-123456789abc"))

    def test_a_request_id_of_another_type_is_refused(self) -> None:
        with pytest.raises(ValidationError, match=r"expected a uuid\.UUID or str, got int"):
            HeliconeHeaders.model_validate({"request_id": 5})
