"""Classes of hostile input, generated: nothing crashes, nothing leaks a secret."""

from __future__ import annotations

import json
import subprocess
import sys
import traceback
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr, ValidationError

from helicone_headers import (
    CacheOptions,
    Fallback,
    HeliconeHeaders,
    PosthogOptions,
    RateLimitPolicy,
    RetryOptions,
    check,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from pydantic import BaseModel

secrets = st.from_regex(r"sk-[A-Za-z0-9]{24}", fullmatch=True)


def texts_of(build: Callable[[], object]) -> list[str]:
    """Everything a user may print of the outcome: the model, or the error."""
    try:
        built = build()
    except ValidationError as exc:
        return [
            str(exc),
            repr(exc),
            repr(exc.errors()),
            exc.json(),
            "".join(traceback.format_exception(exc)),
        ]
    model: BaseModel = built  # type: ignore[assignment]
    return [repr(model), str(model), str(model.model_dump()), model.model_dump_json()]


def secret_slots(secret: str) -> dict[str, Callable[[], object]]:
    """Every place a secret can be put, each as a way to build something from it."""
    auth = {"Authorization": f"Bearer {secret}"}
    entry = {"target-url": "https://x.io", "headers": auth}
    return {
        "bad key": lambda: HeliconeHeaders(api_key=secret),  # type: ignore[arg-type]
        "bad key with scheme": lambda: HeliconeHeaders(api_key=f"bearer {secret}"),  # type: ignore[arg-type]
        "key with line break": lambda: HeliconeHeaders.from_headers(
            {"Helicone-Auth": f"Bearer {secret}\n"}
        ),
        "misspelled auth header": lambda: HeliconeHeaders.from_headers(
            {"Helicone-Auht": f"Bearer {secret}"}
        ),
        "misspelled posthog header": lambda: HeliconeHeaders.from_headers(
            {"Helicone-Posthog-Kee": secret}
        ),
        "posthog key": lambda: PosthogOptions(key=secret + " "),  # type: ignore[arg-type]
        "jwt in extra headers": lambda: HeliconeHeaders(extra_headers={"Helicone-JWT": secret}),
        "bad jwt in extra headers": lambda: HeliconeHeaders(
            extra_headers={"Helicone-JWT": secret + "\r\n"}
        ),
        "fallback headers": lambda: HeliconeHeaders(
            fallbacks=[Fallback(target_url="https://x.io", headers=auth, on_codes=[500])]
        ),
        "fallback entry without codes": lambda: HeliconeHeaders(fallbacks=[entry]),  # type: ignore[list-item]
        "nested fallback entry": lambda: HeliconeHeaders(fallbacks=[[entry]]),  # type: ignore[list-item]
        "fallback entry as text": lambda: HeliconeHeaders(fallbacks=[json.dumps(entry)]),  # type: ignore[list-item]
        "fallbacks header": lambda: HeliconeHeaders.from_headers(
            {"Helicone-Fallbacks": json.dumps([[entry]])}
        ),
        "bad fallback header value": lambda: Fallback(
            target_url="https://x.io", headers={"Authorization": secret + "\n"}, on_codes=[500]
        ),
    }


SLOTS = list(secret_slots("sk-x"))


# Explicit counts in this file, whatever the profile: each example renders a model or error every
# way it can show (str, repr, JSON, tracebacks) or builds inputs of thousands of digits, levels or
# bytes, and the tests run once per parameter; the parameters, not the examples, are the breadth.
@pytest.mark.parametrize("slot", SLOTS)
@settings(max_examples=5)
@given(secret=secrets)
def test_a_secret_never_shows(slot: str, secret: str) -> None:
    for text in texts_of(secret_slots(secret)[slot]):
        assert secret not in text


@pytest.mark.parametrize("name", ["Helicone-Auth", "Helicone-Auht", "Helicone-JWT"])
@settings(max_examples=10)
@given(secret=secrets)
def test_check_never_quotes_a_secret(secret: str, name: str) -> None:
    for value in (secret, f"Bearer {secret}", f"bearer {secret}\n"):
        assert [d for d in check({name: value}) if secret in d.message] == []


@pytest.mark.parametrize("field", ["api_key", "user_id"])
@settings(max_examples=10)
@given(secret=secrets)
def test_assigning_to_a_frozen_field_never_shows_the_value(secret: str, field: str) -> None:
    headers = HeliconeHeaders()
    with pytest.raises(ValidationError) as exc_info:
        setattr(headers, field, secret)
    assert exc_info.value.errors()[0]["type"] == "frozen_instance"
    for text in (str(exc_info.value), repr(exc_info.value.errors()), exc_info.value.json()):
        assert secret not in text


def nested(depth: int, kind: str) -> str:
    opening = {"arrays": "[", "objects": '{"a":'}[kind]
    closing = {"arrays": "]", "objects": "}"}[kind]
    return opening * depth + "1" + closing * depth


@pytest.mark.parametrize("header", ["Helicone-Cache-Ignore-Keys", "Helicone-Fallbacks"])
@pytest.mark.parametrize("kind", ["arrays", "objects"])
@settings(max_examples=10)
@given(depth=st.integers(1000, 2700))
@example(depth=2700)  # past Python's recursion limit whatever the kind
def test_deeply_nested_json_is_an_error_not_a_crash(depth: int, kind: str, header: str) -> None:
    headers = {header: nested(depth, kind)}
    codes = {d.code for d in check(headers) if d.severity == "error"}
    # Python reads the shallower ones, which then have the wrong shape.
    assert codes <= {
        "cache_ignore_keys_syntax",
        "fallbacks_syntax",
        "fallback_shape",
        "header_value_unsafe",
    }
    assert codes
    with pytest.raises(ValidationError):
        HeliconeHeaders.from_headers(headers)


@pytest.mark.parametrize("content", ["document", "header"])
def test_the_cli_reports_deep_nesting_in_one_line(tmp_path: Path, content: str) -> None:
    deep = nested(3000, "arrays")
    path = tmp_path / "headers.json"
    path.write_text(deep if content == "document" else json.dumps({"Helicone-Fallbacks": deep}))
    result = subprocess.run(  # noqa: S603 - this interpreter, on a file the test wrote
        [sys.executable, "-m", "helicone_headers", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len((result.stdout + result.stderr).strip().splitlines()) == 1


# Each placeholder a message template of this library fills.
PLACEHOLDERS = ["{value}", "{choices}", "{reason}", "{problem}", "{low}", "{high}", "{header}"]


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
@pytest.mark.parametrize(
    "header",
    [
        "Helicone-Token-Limit-Exception-Handler",
        "Helicone-Prompt-Mode",
        "Helicone-Retry-Num",
        "Helicone-Request-Id",
        "Cache-Control",
        "Helicone-Target-URL",
        "Helicone-RateLimit-Policy",
    ],
)
def test_input_that_looks_like_a_placeholder_is_quoted_as_it_is(
    placeholder: str, header: str
) -> None:
    value = f"x{placeholder}"
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers(
            {header: value, "Helicone-Retry-Enabled": "true", "Helicone-Cache-Enabled": "true"}
        )
    assert [error["msg"] for error in exc_info.value.errors() if repr(value) in error["msg"]]


huge = st.integers(min_value=10**4400, max_value=10**6000) | st.integers(
    min_value=-(10**6000), max_value=-(10**4400)
)
HUGE_FIELDS: list[tuple[Callable[[int], object], str]] = [
    (lambda n: RetryOptions(max_attempts=n), "max_attempts"),
    (lambda n: RetryOptions(min_timeout_ms=n), "min_timeout_ms"),
    (lambda n: RetryOptions(factor=n), "factor"),
    (lambda n: CacheOptions(enabled=True, bucket_max_size=n), "bucket_max_size"),
    (lambda n: CacheOptions(enabled=True, max_age_seconds=n), "max_age_seconds"),
    (lambda n: RateLimitPolicy(quota=n, window_seconds=60), "quota"),
    (lambda n: RateLimitPolicy(quota=1, window_seconds=n), "window_seconds"),
    (lambda n: Fallback(target_url="https://x.io", headers={}, on_codes=[n]), "on_codes"),
    (lambda n: Fallback(target_url="https://x.io", headers={}, on_codes=[(100, n)]), "on_codes"),
]


@pytest.mark.parametrize(("build", "field"), HUGE_FIELDS, ids=[f for _, f in HUGE_FIELDS])
@settings(max_examples=5)
@given(number=huge)
@example(number=10**4400)
@example(number=-(10**4400))
def test_numbers_past_pythons_digit_limit_get_a_message(
    build: Callable[[int], object], field: str, number: int
) -> None:
    with pytest.raises(ValidationError) as exc_info:
        build(number)
    assert field in str(exc_info.value)
    assert "4300" not in str(exc_info.value)


@pytest.mark.parametrize("header", ["Helicone-Retry-Num", "Cache-Control"])
@settings(max_examples=5)
@given(digits=st.integers(4400, 6000))
def test_header_numbers_past_pythons_digit_limit_get_a_message(digits: int, header: str) -> None:
    value = "9" * digits if header != "Cache-Control" else "max-age=" + "9" * digits
    found = check(
        {header: value, "Helicone-Retry-Enabled": "true", "Helicone-Cache-Enabled": "true"}
    )
    assert "number_too_large" in {d.code for d in found}


def long_entry(size: int) -> dict[str, Any]:
    return {
        "target-url": "https://x.io",
        "headers": {},
        "onCodes": [500],
        "bodyKeyOverride": {"p": "x" * size},
    }


@pytest.mark.parametrize("given_as", ["dicts", "models", "header"])
@settings(max_examples=5)
@given(size=st.integers(8200, 12000))
def test_fallbacks_too_long_for_one_header_are_refused_however_given(
    size: int, given_as: str
) -> None:
    entry = long_entry(size)
    build: dict[str, Callable[[], object]] = {
        "dicts": lambda: HeliconeHeaders(fallbacks=[entry]),  # type: ignore[list-item]
        "models": lambda: HeliconeHeaders(fallbacks=[Fallback.model_validate(entry)]),
        "header": lambda: HeliconeHeaders.from_headers({"Helicone-Fallbacks": json.dumps([entry])}),
    }
    with pytest.raises(ValidationError) as exc_info:
        build[given_as]()
    assert [error["type"] for error in exc_info.value.errors()] == ["header_value_unsafe"]


def test_a_secret_str_is_read_from_json_and_kept_secret() -> None:
    posthog = PosthogOptions.model_validate_json('{"key": "phc_secret"}')
    assert posthog.key == SecretStr("phc_secret")
    assert "phc_secret" not in posthog.model_dump_json()
