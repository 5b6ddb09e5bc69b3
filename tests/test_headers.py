from __future__ import annotations

import copy
import json
import pickle
import uuid
from typing import TYPE_CHECKING, get_type_hints

import httpx
import pytest
from pydantic import SecretStr, ValidationError

from helicone_headers import (
    CacheOptions,
    Fallback,
    HeliconeHeaders,
    HeliconeHeadersError,
    HeliconeHeadersFields,
    MetadataRouteError,
    PosthogOptions,
    PromptOptions,
    RateLimitPolicy,
    RetryOptions,
    SecurityOptions,
    SessionOptions,
)

from .conftest import KEY, messages

if TYPE_CHECKING:
    from collections.abc import Callable

# The "Advanced Usage" dict of LiteLLM's Helicone page, minus its Helicone-Fallbacks line.
LITELLM_PAGE = {
    "Helicone-Auth": f"Bearer {KEY}",
    "Helicone-User-Id": "user-abc",
    "Helicone-Property-App": "web",
    "Helicone-Property-Custom": "any-value",
    "Helicone-Prompt-Id": "prompt-supreme-court",
    "Helicone-Cache-Enabled": "true",
    "Cache-Control": "max-age=3600",
    "Helicone-RateLimit-Policy": "10;w=60;s=user",
    "Helicone-Retry-Enabled": "true",
    "helicone-retry-num": "3",
    "helicone-retry-factor": "2",
    "Helicone-Model-Override": "gpt-3.5-turbo-0613",
    "Helicone-Session-Id": "session-abc-123",
    "Helicone-Session-Path": "parent-trace/child-trace",
    "Helicone-Omit-Response": "false",
    "Helicone-Omit-Request": "false",
    "Helicone-LLM-Security-Enabled": "true",
    "Helicone-Moderations-Enabled": "true",
}


def full_example() -> HeliconeHeaders:
    """The example of design section 2, with a well-formed key."""
    return HeliconeHeaders(
        api_key=KEY,  # type: ignore[arg-type]
        user_id="user-abc",
        properties={"App": "web", "Custom": "any-value"},
        session=SessionOptions(
            id="session-abc-123", path="/parent-trace/child-trace", name="Agent"
        ),
        prompt=PromptOptions(id="prompt-supreme-court"),
        cache=CacheOptions(
            enabled=True,
            max_age_seconds=3600,
            bucket_max_size=3,
            seed="v1",
            ignore_keys=["request_id"],
        ),
        rate_limit=RateLimitPolicy(quota=10, window_seconds=60, segment="user"),
        retry=RetryOptions(max_attempts=3, factor=2, min_timeout_ms=1000, max_timeout_ms=10000),
        fallbacks=[
            Fallback(
                target_url="https://api.openai.com",
                headers={"Authorization": "Bearer sk-..."},
                on_codes=[429, (500, 599)],
            )
        ],
        security=SecurityOptions(llm_security=True, moderations=True),
        model_override="gpt-3.5-turbo-0613",
        omit_request=False,
        omit_response=False,
        request_id=uuid.UUID("8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b"),
        token_limit_handler="truncate",
        posthog=PosthogOptions(key="phc_secret", host="https://app.posthog.com"),  # type: ignore[arg-type]
        stream_usage=True,
        target_url="https://api.lemonfox.ai",
        openai_api_base="https://my.openai.azure.com",
        extra_headers={"Helicone-Something-New": "x"},
    )


def test_the_full_example_writes_every_header() -> None:
    assert full_example().to_headers() == {
        "Helicone-Auth": f"Bearer {KEY}",
        "Helicone-User-Id": "user-abc",
        "Helicone-Session-Id": "session-abc-123",
        "Helicone-Session-Path": "/parent-trace/child-trace",
        "Helicone-Session-Name": "Agent",
        "Helicone-Prompt-Id": "prompt-supreme-court",
        "Helicone-RateLimit-Policy": "10;w=60;s=user",
        "Helicone-Cache-Enabled": "true",
        "Cache-Control": "max-age=3600",
        "Helicone-Cache-Bucket-Max-Size": "3",
        "Helicone-Cache-Seed": "v1",
        "Helicone-Cache-Ignore-Keys": '"request_id"',
        "Helicone-Retry-Enabled": "true",
        "Helicone-Retry-Num": "3",
        "Helicone-Retry-Factor": "2",
        "Helicone-Retry-Min-Timeout": "1000",
        "Helicone-Retry-Max-Timeout": "10000",
        "Helicone-Fallbacks": '[{"target-url":"https://api.openai.com","headers":'
        '{"Authorization":"Bearer sk-..."},"onCodes":[429,{"from":500,"to":599}]}]',
        "Helicone-LLM-Security-Enabled": "true",
        "Helicone-Moderations-Enabled": "true",
        "Helicone-Model-Override": "gpt-3.5-turbo-0613",
        "Helicone-Request-Id": "8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b",
        "Helicone-Token-Limit-Exception-Handler": "truncate",
        "Helicone-Posthog-Key": "phc_secret",
        "Helicone-Posthog-Host": "https://app.posthog.com",
        "Helicone-Stream-Usage": "true",
        "Helicone-Target-URL": "https://api.lemonfox.ai",
        "Helicone-OpenAI-Api-Base": "https://my.openai.azure.com",
        "Helicone-Property-App": "web",
        "Helicone-Property-Custom": "any-value",
        "Helicone-Something-New": "x",
    }


def test_the_full_example_reads_back_equal() -> None:
    headers = full_example()
    assert HeliconeHeaders.from_headers(headers.to_headers()) == headers


def test_the_litellm_page_dict_reads_back_equal() -> None:
    headers = HeliconeHeaders.from_headers(LITELLM_PAGE)
    assert headers == HeliconeHeaders(
        api_key=KEY,  # type: ignore[arg-type]
        user_id="user-abc",
        properties={"App": "web", "Custom": "any-value"},
        prompt=PromptOptions(id="prompt-supreme-court"),
        cache=CacheOptions(enabled=True, max_age_seconds=3600),
        rate_limit=RateLimitPolicy.per_minute(10, segment="user"),
        retry=RetryOptions(max_attempts=3, factor=2),
        model_override="gpt-3.5-turbo-0613",
        session=SessionOptions(id="session-abc-123", path="parent-trace/child-trace"),
        security=SecurityOptions(llm_security=True, moderations=True),
    )
    written = {k.lower(): v for k, v in headers.to_headers().items()}
    # Only the false omit flags are left out.
    assert written == {
        k.lower(): v for k, v in LITELLM_PAGE.items() if not k.startswith("Helicone-Omit")
    }


def test_other_headers_are_skipped_and_names_match_in_any_case() -> None:
    headers = HeliconeHeaders.from_headers(
        {
            "Authorization": "Bearer sk-openai",
            "content-type": "application/json",
            "HELICONE-USER-ID": "u",
        }
    )
    assert headers == HeliconeHeaders(user_id="u")


def test_httpx_headers_and_pairs_are_read() -> None:
    wire = httpx.Headers({"Helicone-User-Id": "u", "Helicone-Property-App": "web"})
    assert HeliconeHeaders.from_headers(wire) == HeliconeHeaders(
        user_id="u", properties={"app": "web"}
    )
    pairs = [("helicone-user-id", "u")]
    assert HeliconeHeaders.from_headers(pairs) == HeliconeHeaders(user_id="u")


LITELLM_PROXY = (
    " (LiteLLM's proxy copies helicone_* request headers into its callback's log under this very "
    "name, which Helicone does not read either)"
)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param(
            "Helicone-Rate-Limit-Policy",
            "Helicone does not read 'Helicone-Rate-Limit-Policy' and silently drops it before the "
            "provider; did you mean 'Helicone-RateLimit-Policy'?",
            id="rate-limit-hyphen",
        ),
        pytest.param(
            "Helicone-Cache-Enable",
            "Helicone does not read 'Helicone-Cache-Enable' and silently drops it before the "
            "provider; did you mean 'Helicone-Cache-Enabled'?",
            id="cache-enable",
        ),
        pytest.param(
            "Helicone-Retry-Number",
            "Helicone does not read 'Helicone-Retry-Number' and silently drops it before the "
            "provider; did you mean 'Helicone-Retry-Num'?",
            id="retry-number",
        ),
        pytest.param(
            "HeliconeAuth",
            "Helicone does not read 'HeliconeAuth' and silently drops it before the provider; did "
            "you mean 'Helicone-Auth'?",
            id="no-hyphen",
        ),
        pytest.param(
            "helicone_session_id",
            "'helicone_session_id' has '_', which many proxies drop and Helicone never reads as "
            f"one of its headers{LITELLM_PROXY}; write 'Helicone-Session-Id'",
            id="underscores",
        ),
        pytest.param(
            "helicone_whatever",
            "'helicone_whatever' has '_', which many proxies drop and Helicone never reads as one "
            f"of its headers{LITELLM_PROXY}; use hyphens",
            id="underscores-unknown",
        ),
        pytest.param(
            "Helicone-Target-Provider",
            "Helicone never reads Helicone-Target-Provider, though its docs show it; it infers "
            "the provider from Helicone-Target-URL (target_url), so leave it out",
            id="target-provider",
        ),
        pytest.param(
            "Helicone-RateLimit-Cost-Cents",
            "no such header exists; to limit cost, use a policy with u=cents, such as "
            "RateLimitPolicy(quota=500, window_seconds=3600, unit='cents')",
            id="cost-cents",
        ),
        pytest.param(
            "HeliconeZZZ",
            "'HeliconeZZZ' is not a Helicone-* header; only those can be sent through "
            "extra_headers",
            id="not-helicone-prefixed",
        ),
        pytest.param(
            "Helicone-A b",
            "'Helicone-A b' is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ "
            "only), so HTTP clients refuse to send it",
            id="not-a-token",
        ),
    ],
)
def test_unknown_names_that_helicone_would_miss(name: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers({name: "x"})
    assert messages(exc_info) == [((name,), "header_name_unknown", f"{name}: {message}")]


@pytest.mark.parametrize(
    "name", ["Helicone-Something-New", "Helicone-Prompt-Format", "helicone-node-id"]
)
def test_other_helicone_names_are_kept_in_extra_headers(name: str) -> None:
    headers = HeliconeHeaders.from_headers({name: "x"})
    assert headers.extra_headers == {name: "x"}
    assert headers.to_headers() == {name: "x"}


def test_names_repeated_in_another_case_are_refused() -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers([("Helicone-User-Id", "a"), ("helicone-user-id", "b")])
    assert messages(exc_info) == [
        (
            ("helicone-user-id",),
            "header_repeated",
            "helicone-user-id (user_id): is sent twice, also as 'Helicone-User-Id'; HTTP joins "
            "repeated headers with ', ', which Helicone would read as one garbled value; send it "
            "once",
        )
    ]


@pytest.mark.parametrize(
    ("value", "got"), [(True, "bool"), (3, "int"), (None, "NoneType"), ({"a": 1}, "dict")]
)
def test_non_str_values_are_refused(value: object, got: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers({"Helicone-Cache-Enabled": value})  # type: ignore[arg-type]
    assert messages(exc_info)[0] == (
        ("Helicone-Cache-Enabled",),
        "header_value_type",
        f"Helicone-Cache-Enabled (cache.enabled): header values must be str, got {got}; httpx, "
        "the OpenAI SDK and LiteLLM refuse anything else, so write it as text such as 'true' or "
        "'3'",
    )


def test_non_str_names_are_refused() -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers({b"Helicone-User-Id": "u"})  # type: ignore[arg-type]
    assert messages(exc_info) == [
        (
            ("b'Helicone-User-Id'",),
            "header_name_type",
            "b'Helicone-User-Id': header names must be str, got bytes",
        )
    ]


def test_the_auth_value_is_never_echoed_when_reading() -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers(
            [("Helicone-Auth", "Bearer sk-helicone-leak"), ("helicone-auth", "x-leak")]
        )
    assert "leak" not in str(exc_info.value)
    assert "leak" not in repr(exc_info.value.errors())


class TestProperties:
    def test_written_with_the_prefix(self) -> None:
        headers = HeliconeHeaders(properties={"App": "web", "tenant_id": "t-1"})
        assert headers.to_headers() == {
            "Helicone-Property-App": "web",
            "Helicone-Property-tenant_id": "t-1",
        }

    @pytest.mark.parametrize(
        ("properties", "kind", "message"),
        [
            pytest.param(
                {"App": "a", "app": "b"},
                "header_name_case",
                "Helicone-Property-app and Helicone-Property-App differ only in case; header names "
                "are case-insensitive (and Helicone lowercases property names), so one would "
                "overwrite the other or both would be joined into one value; keep one",
                id="case-duplicate",
            ),
            pytest.param(
                {"": "a"},
                "header_name",
                "Helicone-Property-: a property needs a name after 'Helicone-Property-'; Helicone "
                "ignores it without one",
                id="empty-name",
            ),
            pytest.param(
                {"My App": "a"},
                "header_name",
                "Helicone-Property-My App: 'My App' is not a valid property name: it becomes part "
                "of a header name, which allows letters, digits and !#$%&'*+-.^_`|~ only",
                id="space-in-name",
            ),
            pytest.param(
                {"App": "we\nb"},
                "header_value_unsafe",
                "Helicone-Property-App: the value contains a line break (CR or LF), which would "
                "end the header early and could inject another one; remove it",
                id="newline-in-value",
            ),
            pytest.param(
                {"App": " web"},
                "header_value_unsafe",
                "Helicone-Property-App: the value has leading or trailing spaces, which HTTP "
                "strips, so Helicone would receive 'web' instead; remove them",
                id="space-in-value",
            ),
            pytest.param(
                {"App": 1},
                "header_value_type",
                "Helicone-Property-App: expected a str value, got int",
                id="int-value",
            ),
            pytest.param(
                {1: "a"}, "header_value_type", "names must be str, got int", id="int-name"
            ),
            pytest.param(
                ["App"], "header_value_type", "expected a dict of str to str, got list", id="list"
            ),
            pytest.param(
                {"Helicone-Property-App": "web"},
                "header_name",
                "Helicone-Property-Helicone-Property-App: 'Helicone-Property-App' holds the header "
                "prefix, so it would be sent as Helicone-Property-Helicone-Property-App; give the "
                "name alone: properties={'App': ...}",
                id="header-prefix",
            ),
        ],
    )
    def test_properties_that_cannot_be_sent_are_refused(
        self, properties: object, kind: str, message: str
    ) -> None:
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders.model_validate({"properties": properties})
        # The header at fault is named in the error's location too; the message starts with it.
        header = message.split(":", maxsplit=1)[0].split(" and ", maxsplit=1)[0]
        loc = ("properties", header) if header.startswith("Helicone-") else ("properties",)
        assert messages(exc_info) == [(loc, kind, f"properties: {message}")]

    def test_a_property_header_without_a_name_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="a property needs a name"):
            HeliconeHeaders.from_headers({"Helicone-Property-": "x"})


class TestExtraHeaders:
    @pytest.mark.parametrize(
        ("name", "message"),
        [
            (
                "Helicone-Cache-Enabled",
                "Helicone-Cache-Enabled: this header is modeled; set cache.enabled instead",
            ),
            (
                "helicone-auth",
                "helicone-auth: this header is modeled; set api_key instead",
            ),
            (
                "Helicone-Property-App",
                "Helicone-Property-App: this is a custom property; set properties={'App': ...} "
                "instead",
            ),
            (
                "Helicone-Rate-Limit-Policy",
                "Helicone-Rate-Limit-Policy: Helicone does not read 'Helicone-Rate-Limit-Policy' "
                "and silently drops it before the provider; did you mean "
                "'Helicone-RateLimit-Policy'?",
            ),
            (
                "X-Custom",
                "X-Custom: 'X-Custom' is not a Helicone-* header; only those can be sent through "
                "extra_headers",
            ),
        ],
    )
    def test_names_that_have_a_better_home(self, name: str, message: str) -> None:
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders(extra_headers={name: "x"})
        assert messages(exc_info) == [
            (("extra_headers", name), "header_name", f"extra_headers: {message}")
        ]

    def test_values_are_checked_without_quoting_them(self) -> None:
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders(extra_headers={"Helicone-Lytix-Key": " secret"})
        assert messages(exc_info) == [
            (
                ("extra_headers", "Helicone-Lytix-Key"),
                "header_value_unsafe",
                "extra_headers: Helicone-Lytix-Key: the value has leading or trailing spaces, "
                "which HTTP strips, so Helicone would receive the value instead; remove them",
            )
        ]


class TestMerge:
    def test_later_wins_and_groups_merge_option_by_option(self) -> None:
        base = HeliconeHeaders(
            api_key=KEY,  # type: ignore[arg-type]
            properties={"App": "web", "Env": "prod"},
            session=SessionOptions(id="s-1", name="Agent"),
            omit_request=True,
            extra_headers={"Helicone-Node-Id": "n1"},
        )
        request = HeliconeHeaders(
            properties={"app": "mobile"},
            session=SessionOptions(path="/plan"),
            omit_request=False,
            request_id=uuid.UUID("8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b"),
        )
        merged = base | request
        assert merged == base.merge(request)
        assert merged.to_headers() == {
            "Helicone-Auth": f"Bearer {KEY}",
            "Helicone-Session-Id": "s-1",
            "Helicone-Session-Path": "/plan",
            "Helicone-Session-Name": "Agent",
            "Helicone-Request-Id": "8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b",
            "Helicone-Property-Env": "prod",
            "Helicone-Property-app": "mobile",
            "Helicone-Node-Id": "n1",
        }

    def test_the_result_is_validated(self) -> None:
        base = HeliconeHeaders(retry=RetryOptions(max_timeout_ms=2000))
        with pytest.raises(ValidationError, match="retry_timeout_order"):
            (
                base
                | HeliconeHeaders(retry=RetryOptions(min_timeout_ms=5000, max_timeout_ms=6000))
                | HeliconeHeaders(retry=RetryOptions(max_timeout_ms=3000))
            )

    def test_groups_merge_alone(self) -> None:
        merged = CacheOptions(enabled=True, seed="a") | CacheOptions(
            enabled=True, bucket_max_size=2
        )
        assert merged == CacheOptions(enabled=True, seed="a", bucket_max_size=2)


class TestEnv:
    def test_the_typed_keywords_are_the_models_fields(self) -> None:
        # from_env's keywords are typed by HeliconeHeadersFields, written out for type checkers:
        # it must name every option, with the type the model gives it, each one optional.
        hints = get_type_hints(HeliconeHeadersFields)
        fields = {name: info.annotation for name, info in HeliconeHeaders.model_fields.items()}
        assert hints == fields
        assert list(hints) == list(fields)
        assert HeliconeHeadersFields.__optional_keys__ == frozenset(fields)

    def test_key_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HELICONE_API_KEY", KEY)
        assert HeliconeHeaders.from_env(user_id="u") == HeliconeHeaders(api_key=KEY, user_id="u")  # type: ignore[arg-type]

    def test_explicit_key_wins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("HELICONE_API_KEY", raising=False)
        assert HeliconeHeaders.from_env(api_key=SecretStr(KEY)).api_key is not None

    def test_from_env_without_a_key_says_how_to_give_one(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("HELICONE_API_KEY", raising=False)
        with pytest.raises(HeliconeHeadersError) as exc_info:
            HeliconeHeaders.from_env()
        assert (
            str(exc_info.value)
            == "HELICONE_API_KEY is not set; export it, or pass api_key= explicitly"
        )


class TestLitellmMetadata:
    def test_logging_options_pass(self) -> None:
        headers = HeliconeHeaders(
            api_key=KEY,  # type: ignore[arg-type]
            user_id="u",
            properties={"App": "web"},
            session=SessionOptions(id="s"),
            omit_response=True,
        )
        assert headers.to_litellm_metadata() == headers.to_headers()

    def test_proxy_options_are_refused_by_name(self) -> None:
        headers = HeliconeHeaders(
            cache=CacheOptions(enabled=True),
            rate_limit=RateLimitPolicy.per_minute(5),
            stream_usage=True,
        )
        with pytest.raises(MetadataRouteError) as exc_info:
            headers.to_litellm_metadata()
        assert exc_info.value.fields == ("rate_limit", "cache", "stream_usage")
        assert str(exc_info.value) == (
            "rate_limit, cache, stream_usage only take effect when the request passes through "
            "Helicone's proxy; the success_callback route only logs the finished call, so "
            "Helicone would ignore them. Send these as headers with extra_headers=to_headers(), "
            "or leave them out of the metadata"
        )


class TestSecrets:
    def test_keys_never_show(self) -> None:
        headers = full_example()
        for shown in (
            repr(headers),
            str(headers),
            str(headers.model_dump()),
            headers.model_dump_json(),
            json.dumps(HeliconeHeaders.model_json_schema()),
        ):
            assert KEY not in shown
            assert "phc_secret" not in shown

    def test_keys_survive_copy_and_pickle(self) -> None:
        headers = full_example()
        for clone in (
            copy.copy(headers),
            copy.deepcopy(headers),
            pickle.loads(pickle.dumps(headers)),
        ):
            assert clone == headers
            assert clone.to_headers() == headers.to_headers()

    def test_errors_elsewhere_do_not_echo_the_key(self) -> None:
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders.model_validate(
                {"api_key": KEY, "user_id": 5, "cache": {"enabled": False}}
            )
        assert KEY not in str(exc_info.value)
        assert KEY not in repr(exc_info.value.errors())


def test_written_headers_never_go_stale_on_copy() -> None:
    headers = HeliconeHeaders(api_key=KEY, user_id="u")  # type: ignore[arg-type]
    assert headers.to_headers() == {"Helicone-Auth": f"Bearer {KEY}", "Helicone-User-Id": "u"}
    assert headers.model_copy().to_headers() == headers.to_headers()
    changed = headers.model_copy(update={"api_key": None})
    assert changed.to_headers() == {"Helicone-User-Id": "u"}


def test_to_headers_returns_a_fresh_dict() -> None:
    headers = HeliconeHeaders(user_id="u")
    headers.to_headers()["Helicone-User-Id"] = "changed"
    assert headers.to_headers() == {"Helicone-User-Id": "u"}


@pytest.mark.parametrize(
    ("build", "loc", "message"),
    [
        (
            lambda: CacheOptions(enabled=True, ttl=3600),  # type: ignore[call-arg]
            ("ttl",),
            "'ttl' is not an option of CacheOptions; did you mean max_age_seconds?",
        ),
        (
            lambda: RetryOptions(max_attemps=3),  # type: ignore[call-arg]
            ("max_attemps",),
            "'max_attemps' is not an option of RetryOptions; did you mean max_attempts?",
        ),
        (
            lambda: HeliconeHeaders(banana=1),  # type: ignore[call-arg]
            ("banana",),
            "'banana' is not an option of HeliconeHeaders",
        ),
        (
            lambda: HeliconeHeaders(cache=True),  # type: ignore[arg-type]
            ("cache",),
            "cache takes a CacheOptions or a dict of its options; write "
            "cache=CacheOptions(enabled=...)",
        ),
    ],
)
def test_a_mistyped_option_says_what_to_write(
    build: Callable[[], object], loc: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ValidationError) as exc_info:
        build()
    assert [(error["loc"], error["msg"]) for error in exc_info.value.errors()] == [(loc, message)]
