"""Hostile input: every header and every text field, fed what should never reach the wire."""

from __future__ import annotations

import contextlib
import copy
import logging
import math
import pickle
import types
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, SecretStr, ValidationError

from helicone_headers import (
    CacheOptions,
    Fallback,
    HeliconeHeaders,
    PosthogOptions,
    PromptOptions,
    RateLimitPolicy,
    RetryOptions,
    SecurityOptions,
    SessionOptions,
    check,
)

from .conftest import KEY, SECRET_HEADERS, documented_headers
from .strategies import everything

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

HOSTILE = {
    "cr": "a\rb",
    "lf": "a\nb",
    "crlf-second-header": "a\r\nX-Injected: 1",
    "nul": "a\x00b",
    "del": "a\x7fb",
    "vertical-tab": "a\x0bb",
    "latin-1": "café",
    "cjk": "東京",
    "emoji": "🚀",
    "leading-space": " a",
    "trailing-space": "a ",
    "empty": "",
    "very-long": "a" * 9000,
}
HEADERS = sorted(documented_headers())
# The smallest valid arguments of each model, so one field at a time can be made hostile.
MODELS: dict[type[BaseModel], dict[str, Any]] = {
    HeliconeHeaders: {},
    SessionOptions: {"id": "s"},
    PromptOptions: {"id": "p"},
    CacheOptions: {"enabled": True},
    RetryOptions: {},
    SecurityOptions: {"llm_security": True},
    PosthogOptions: {"key": "phc_x"},
    RateLimitPolicy: {"quota": 1, "window_seconds": 60},
    Fallback: {"target_url": "https://x.io", "headers": {}, "on_codes": [500]},
}


_GIVEN_AS: dict[object, object] = {Mapping: dict, Sequence: list}


def _types(annotation: object) -> set[object]:
    """The types a field takes, unwrapping unions and Literal."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return {each for arg in get_args(annotation) for each in _types(arg)}
    if origin is Literal:
        return {type(arg) for arg in get_args(annotation)}
    # Containers are typed read-only (Mapping, Sequence) and given as dicts and lists.
    return {_GIVEN_AS.get(origin, origin) or annotation}


def fields_taking(*kinds: object) -> list[tuple[type[BaseModel], str]]:
    return [
        (model, name)
        for model in MODELS
        for name, info in model.model_fields.items()
        if _types(info.annotation) & set(kinds)
    ]


def named_in(error: ErrorDetails, header: str) -> bool:
    return header in error["loc"] or header in error["msg"]


# HTTP strips outer spaces on the way to Helicone: read back, they are a warning, not an error.
ON_THE_WIRE = {kind: value for kind, value in HOSTILE.items() if value.strip() == value}


@pytest.mark.parametrize("value", ON_THE_WIRE.values(), ids=ON_THE_WIRE.keys())
@pytest.mark.parametrize("header", HEADERS)
def test_every_header_refuses_hostile_text(header: str, value: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers({header: value})
    errors = exc_info.value.errors()
    assert any(named_in(error, header) for error in errors), errors
    if header in SECRET_HEADERS:
        # Values of one letter stand in any English message.
        assert value not in str(exc_info.value) or len(value.strip()) <= 1
        assert all(error["input"] == "**********" for error in errors if header in error["loc"])


@pytest.mark.parametrize("value", ON_THE_WIRE.values(), ids=ON_THE_WIRE.keys())
def test_property_headers_refuse_hostile_text(value: str) -> None:
    with pytest.raises(ValidationError, match="Helicone-Property-App"):
        HeliconeHeaders.from_headers({"Helicone-Property-App": value})


@pytest.mark.parametrize(
    "header",
    ["Helicone-User-Id", "Helicone-Session-Name", "Helicone-Property-App", "Helicone-Node-Id"],
)
@pytest.mark.parametrize("spaced", [" web", "web ", "\tweb\t"])
def test_outer_spaces_are_stripped_as_http_does_with_a_warning(header: str, spaced: str) -> None:
    assert HeliconeHeaders.from_headers({header: spaced}).to_headers() == {header: "web"}
    assert [(d.code, d.severity, d.message) for d in check({header: spaced})] == [
        (
            "outer_space",
            "warning",
            f"{header}: HTTP strips the spaces around the value, so Helicone receives 'web', as "
            "meant; write it without them",
        )
    ]


TEXT_FIELDS = fields_taking(str, SecretStr, uuid.UUID)


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize(
    ("model", "field"), TEXT_FIELDS, ids=[f"{m.__name__}.{f}" for m, f in TEXT_FIELDS]
)
def test_every_text_field_refuses_hostile_text(
    model: type[BaseModel], field: str, value: str
) -> None:
    with pytest.raises(ValidationError) as exc_info:
        model.model_validate({**MODELS[model], field: value})
    assert exc_info.value.errors()[0]["loc"][0] == field


MAP_FIELDS = [
    ("properties", HeliconeHeaders),
    ("extra_headers", HeliconeHeaders),
    ("headers", Fallback),
]


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize(("field", "model"), MAP_FIELDS, ids=[f for f, _ in MAP_FIELDS])
def test_name_to_value_maps_refuse_hostile_names_and_values(
    field: str, model: type[BaseModel], value: str
) -> None:
    name = "Helicone-Node-Id" if field == "extra_headers" else "App"
    for mapping in ({name: value}, {value: "x"}):
        with pytest.raises(ValidationError) as exc_info:
            model.model_validate({**MODELS[model], field: mapping})
        assert exc_info.value.errors()[0]["loc"][0] == field


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_list_fields_refuse_hostile_items(value: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        CacheOptions(enabled=True, ignore_keys=[value * 2 if value else value, "x" * 9000])
    assert exc_info.value.errors()[0]["loc"] == ("ignore_keys",)


WRONG_TYPES: dict[str, object] = {
    "bool": True,
    "int": 3,
    "float-nan": math.nan,
    "bytes": b"x",
    "nested-dict": {"a": {"b": 1}},
    "none": None,
}


def _of_the_type(model: type[BaseModel], field: str, value: object) -> bool:
    """Whether *value* has a Python type the field takes (its range may still refuse it)."""
    kinds = _types(model.model_fields[field].annotation)
    if value is None:
        return type(None) in kinds
    if value is True:
        return bool in kinds
    if type(value) is int:
        return bool(kinds & {int, float})
    if isinstance(value, dict):
        return dict in kinds
    return False


ALL_FIELDS = [(model, name) for model in MODELS for name in model.model_fields]


@pytest.mark.parametrize("value", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
@pytest.mark.parametrize(
    ("model", "field"), ALL_FIELDS, ids=[f"{m.__name__}.{f}" for m, f in ALL_FIELDS]
)
def test_every_field_refuses_wrong_python_types(
    model: type[BaseModel], field: str, value: object
) -> None:
    if _of_the_type(model, field, value):
        # Either valid, or refused by a range or a rule: never any other exception.
        with contextlib.suppress(ValidationError):
            model.model_validate({**MODELS[model], field: value})
        return
    with pytest.raises(ValidationError) as exc_info:
        model.model_validate({**MODELS[model], field: value})
    assert field in {str(error["loc"][0]) for error in exc_info.value.errors()}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
names = st.one_of(
    st.sampled_from(HEADERS).map(str.lower),
    st.sampled_from(HEADERS),
    st.text(max_size=30),
    st.just("Helicone-Property-x"),
)


@given(st.dictionaries(names, json_values | st.text(max_size=40), max_size=8))
def test_random_dicts_raise_only_validation_errors(headers: dict[str, object]) -> None:
    with contextlib.suppress(ValidationError):  # the only exception allowed
        HeliconeHeaders.from_headers(headers)  # type: ignore[arg-type]
    found = check(headers)
    assert all(diagnostic.severity in {"error", "warning"} for diagnostic in found)


@given(json_values)
def test_check_never_raises_on_any_json_like_input(value: object) -> None:
    assert isinstance(check(value), list)


@given(everything)
def test_check_finds_no_error_in_a_valid_model(headers: HeliconeHeaders) -> None:
    assert [d for d in check(headers) if d.severity == "error"] == []
    assert [d for d in check(headers.to_headers()) if d.severity == "error"] == []


class TestSecrets:
    POSTHOG = "phc_s3cretposthogkey"

    def headers(self) -> HeliconeHeaders:
        return HeliconeHeaders(
            api_key=SecretStr(KEY),
            posthog=PosthogOptions(key=SecretStr(self.POSTHOG)),
            user_id="u",
        )

    def assert_hidden(self, text: str) -> None:
        assert KEY not in text
        assert self.POSTHOG not in text

    def test_not_in_logs(self, caplog: pytest.LogCaptureFixture) -> None:
        headers = self.headers()
        with caplog.at_level(logging.INFO):
            logging.getLogger("app").info("sending %s and %r", headers, headers)
            logging.getLogger("app").info("posthog %s", headers.posthog)
        self.assert_hidden(caplog.text)
        assert "**********" in caplog.text

    def test_not_in_dumps_or_schema(self) -> None:
        headers = self.headers()
        for text in (
            repr(headers),
            str(headers),
            str(headers.model_dump()),
            headers.model_dump_json(),
            str(headers.model_dump(mode="json")),
            str(HeliconeHeaders.model_json_schema()),
        ):
            self.assert_hidden(text)

    def test_survive_copy_pickle_and_merge(self) -> None:
        headers = self.headers()
        expected = {"Helicone-Auth": f"Bearer {KEY}", "Helicone-Posthog-Key": self.POSTHOG}
        merged = headers | HeliconeHeaders(user_id="v")
        copies = (
            copy.copy(headers),
            copy.deepcopy(headers),
            pickle.loads(pickle.dumps(headers)),
            merged,
        )
        for clone in copies:
            written = clone.to_headers()
            assert {name: written[name] for name in expected} == expected
        assert merged.user_id == "v"

    @pytest.mark.parametrize(
        "bad",
        [f" {KEY}", f"{KEY}\n", f"bearer {KEY}", KEY + "x", KEY.replace("-", "_")],
    )
    def test_not_in_any_error(self, bad: str) -> None:
        for attempt in (
            lambda: HeliconeHeaders(api_key=bad),  # type: ignore[arg-type]
            lambda: HeliconeHeaders.from_headers({"Helicone-Auth": bad}),
            lambda: PosthogOptions(key=bad + "\n"),  # type: ignore[arg-type]
        ):
            with pytest.raises(ValidationError) as exc_info:
                attempt()
            self.assert_hidden(str(exc_info.value))
            assert bad.strip() not in str(exc_info.value)
            assert bad not in repr(exc_info.value.errors())
        assert [d.message for d in check({"Helicone-Auth": bad}) if bad.strip() in d.message] == []


LONG = (
    "proxies on the way to Helicone commonly refuse header values over 8192 bytes (the nginx, "
    "Apache and Fastly default), so the request may fail with HTTP 400 or 431; keep it under 8192 "
    "characters"
)


def test_a_policy_too_long_for_one_header_is_refused() -> None:
    with pytest.raises(ValidationError) as exc_info:
        RateLimitPolicy(quota=1, window_seconds=60, unit="cents", segment="s" * 8180)
    assert exc_info.value.errors(include_url=False)[0]["msg"] == (
        f"the policy is {len('1;w=60;u=cents;s=') + 8180} characters long; {LONG}"
    )


def test_fallbacks_too_long_for_one_header_are_refused() -> None:
    entry = Fallback(
        target_url="https://x.io", headers={}, on_codes=[500], body_key_override={"p": "x" * 5000}
    )
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders(fallbacks=[entry, entry])
    message = exc_info.value.errors(include_url=False)[0]["msg"]
    assert message.startswith("Helicone-Fallbacks (fallbacks): the value is ")
    assert message.endswith(LONG)
