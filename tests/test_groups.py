"""The small option groups: session, prompt, security, PostHog."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from helicone_headers import (
    HeliconeHeaders,
    PosthogOptions,
    PromptOptions,
    SecurityOptions,
    SessionOptions,
)

from .conftest import messages


@pytest.mark.parametrize(
    ("group", "headers"),
    [
        (
            SessionOptions(id="s-1", path="/plan/search", name="Agent"),
            {
                "Helicone-Session-Id": "s-1",
                "Helicone-Session-Path": "/plan/search",
                "Helicone-Session-Name": "Agent",
            },
        ),
        (
            PromptOptions(id="p", version="2", mode="testing"),
            {
                "Helicone-Prompt-Id": "p",
                "Helicone-Prompt-Version": "2",
                "Helicone-Prompt-Mode": "testing",
            },
        ),
        (
            SecurityOptions(llm_security=True, advanced=True, moderations=True),
            {
                "Helicone-LLM-Security-Enabled": "true",
                "Helicone-LLM-Security-Advanced": "true",
                "Helicone-Moderations-Enabled": "true",
            },
        ),
        (
            PosthogOptions(key="phc_abc", host="https://eu.posthog.com"),  # type: ignore[arg-type]
            {"Helicone-Posthog-Key": "phc_abc", "Helicone-Posthog-Host": "https://eu.posthog.com"},
        ),
    ],
)
def test_groups_write_their_headers(group: object, headers: dict[str, str]) -> None:
    assert group.to_headers() == headers  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("model", "kind", "message"),
    [
        (
            SessionOptions,
            "session_empty",
            "SessionOptions sets no header; set id, path or name, or leave session unset",
        ),
        (
            PromptOptions,
            "prompt_empty",
            "PromptOptions sets no header; set id, version or mode, or leave prompt unset",
        ),
        (
            SecurityOptions,
            "security_empty",
            "SecurityOptions turns nothing on; set llm_security, advanced or moderations to True, "
            "or leave security unset",
        ),
    ],
)
def test_empty_groups_are_refused(model: type[SessionOptions], kind: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        model()
    assert messages(exc_info) == [((), kind, message)]


@pytest.mark.parametrize("mode", ["Production", "prod", "PRODUCTION"])
def test_prompt_mode_helicone_answers_with_500(mode: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers({"Helicone-Prompt-Mode": mode})
    assert messages(exc_info) == [
        (
            ("prompt", "Helicone-Prompt-Mode"),
            "choice_value",
            f"Helicone-Prompt-Mode (mode): {mode!r} is not one of production, testing, "
            "deactivated: Helicone answers every request with HTTP 500 ('Invalid prompt mode') "
            "for any other value, including other capitalisations",
        )
    ]


def test_legacy_security_name_is_read_and_written_under_the_new_one() -> None:
    headers = HeliconeHeaders.from_headers({"Helicone-Prompt-Security-Enabled": "true"})
    assert headers.security == SecurityOptions(llm_security=True)
    assert headers.to_headers() == {"Helicone-LLM-Security-Enabled": "true"}


def test_both_security_names_are_refused() -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers(
            {"Helicone-LLM-Security-Enabled": "false", "Helicone-Prompt-Security-Enabled": "true"}
        )
    assert messages(exc_info) == [
        (
            ("Helicone-Prompt-Security-Enabled",),
            "header_repeated",
            "Helicone-Prompt-Security-Enabled (security.llm_security): sets the same option as "
            "'Helicone-LLM-Security-Enabled'; Helicone reads only one of them when both are "
            "sent; send only the current name",
        ),
    ]


def test_posthog_key_is_secret() -> None:
    posthog = PosthogOptions(key="phc_secret")  # type: ignore[arg-type]
    assert "phc_secret" not in repr(posthog)
    assert "phc_secret" not in str(posthog.model_dump())
    assert "phc_secret" not in posthog.model_dump_json()
    assert posthog.to_headers() == {"Helicone-Posthog-Key": "phc_secret"}


def test_posthog_key_problems_do_not_quote_it() -> None:
    with pytest.raises(ValidationError) as exc_info:
        PosthogOptions(key=" phc_secret")  # type: ignore[arg-type]
    assert "phc_secret" not in str(exc_info.value)
    assert exc_info.value.errors()[0]["input"] == "**********"
    with pytest.raises(ValidationError, match="expected a str or SecretStr, got int"):
        PosthogOptions.model_validate({"key": 5})


@pytest.mark.parametrize(
    ("field", "value", "kind", "message"),
    [
        (
            "target_url",
            "https://api.lemonfox.ai/v1",
            "url_path",
            "Helicone-Target-URL (target_url): Helicone sends the request to the origin "
            "'https://api.lemonfox.ai' only and silently drops the rest of "
            "'https://api.lemonfox.ai/v1'; write 'https://api.lemonfox.ai' and put the path in "
            "the request URL",
        ),
        (
            "target_url",
            "ftp://x.io",
            "url_syntax",
            "Helicone-Target-URL (target_url): 'ftp://x.io' is not an http(s) URL, so Helicone "
            "cannot forward the request to it; write it like 'https://api.example.com'",
        ),
        (
            "openai_api_base",
            5,
            "header_value_type",
            "Helicone-OpenAI-Api-Base (openai_api_base): expected a str, got int",
        ),
        (
            "gateway_body_mapping",
            "responses",
            "choice_value",
            "Helicone-Gateway-Body-Mapping (gateway_body_mapping): 'responses' is not one of "
            "OPENAI, NO_MAPPING, RESPONSES: Helicone reads exactly these uppercase words and "
            "treats anything else as OPENAI",
        ),
        (
            "token_limit_handler",
            "cut",
            "choice_value",
            "Helicone-Token-Limit-Exception-Handler (token_limit_handler): 'cut' is not one of "
            "truncate, middle-out, fallback: Helicone silently ignores any other value and "
            "applies no handling",
        ),
        (
            "token_limit_handler",
            1,
            "header_value_type",
            "Helicone-Token-Limit-Exception-Handler (token_limit_handler): expected a str, got int",
        ),
    ],
)
def test_routing_and_choice_fields(field: str, value: object, kind: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.model_validate({field: value})
    assert messages(exc_info) == [((field,), kind, message)]


def test_choices_and_urls_that_work() -> None:
    headers = HeliconeHeaders(
        target_url="https://api.lemonfox.ai/",
        openai_api_base="https://my.openai.azure.com",
        gateway_body_mapping="NO_MAPPING",
        token_limit_handler="MIDDLE-OUT",  # type: ignore[arg-type]
        stream_force_format=True,
        increase_timeout=True,
    )
    assert headers.to_headers() == {
        "Helicone-Token-Limit-Exception-Handler": "middle-out",
        "Helicone-Stream-Force-Format": "true",
        "Helicone-Increase-Timeout": "true",
        "Helicone-Target-URL": "https://api.lemonfox.ai/",
        "Helicone-OpenAI-Api-Base": "https://my.openai.azure.com",
        "Helicone-Gateway-Body-Mapping": "NO_MAPPING",
    }


def test_a_posthog_host_without_a_key_is_refused() -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers({"Helicone-Posthog-Host": "https://eu.posthog.com"})
    assert messages(exc_info) == [
        (
            ("posthog",),
            "posthog_key_missing",
            "Helicone sends events to PostHog only when Helicone-Posthog-Key is given, so "
            "Helicone-Posthog-Host alone does nothing; add the key (posthog=PosthogOptions(key=...)) "
            "or leave the host out",
        )
    ]
