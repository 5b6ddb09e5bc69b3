"""Models built from plainly valid values skip pydantic's validator: the result must not differ.

Building a model and laying one over another take a fast path (``_build_fast``, the header overlay
in ``merge``). These tests hold them to the full validation and to headers written from scratch.
"""

from __future__ import annotations

import collections
import enum
import uuid
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ConfigDict, Field, PrivateAttr, SecretStr, ValidationError

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
)
from helicone_headers._base import FrozenModel, HeaderModel, _build_fast, _plan
from helicone_headers._types import SLOW

from .test_policy import policies
from .test_roundtrip import caches, keys, prompts, properties, request_ids, retries, sessions, text

if TYPE_CHECKING:
    from collections.abc import Callable

KEY = "sk-helicone-aaaaaaa-bbbbbbb-ccccccc-ddddddd"


class _Word(str, enum.Enum):
    USER = "user"
    CENTS = "cents"


class _Number(enum.IntEnum):
    THREE = 3
    SIXTY = 60


class _Text(str):
    __slots__ = ()


MODELS: list[type[FrozenModel]] = [
    SessionOptions,
    CacheOptions,
    RetryOptions,
    RateLimitPolicy,
    PromptOptions,
    SecurityOptions,
    HeliconeHeaders,
]

# Values of every kind a field may be handed, valid for some fields and wrong for others.
ODD_VALUES: list[object] = [
    None,
    True,
    False,
    0,
    1,
    3,
    20,
    21,
    59,
    60,
    3600,
    -1,
    2**53,
    10**400,
    2.5,
    0.0,
    float("nan"),
    float("inf"),
    "",
    " x",
    "x\n",
    "ü",
    "true",
    "True",
    "false",
    "3",
    "max-age=3600",
    "user",
    "cents",
    "CENTS",
    "truncate",
    "OPENAI",
    "10;w=60",
    "10;w=30",
    "https://api.example.com",
    KEY,
    f"Bearer {KEY}",
    f"bearer {KEY}",
    SecretStr(KEY),
    SecretStr(f"Bearer {KEY}"),
    SecretStr("nope"),
    uuid.UUID("8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b"),
    uuid.UUID("8a4b2b8e-5b7d-7c1e-9f3a-2d6c8e0f1a2b"),  # version 7: Helicone replaces it
    uuid.UUID("8a4b2b8e-5b7d-4c1e-cf3a-2d6c8e0f1a2b"),  # Microsoft variant
    "8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b",
    {"App": "web"},
    {"a": "1", "A": "2"},
    {"App": 1},
    {1: "web"},
    {"": "web"},
    {"Äpp": "web"},
    {"App": " web"},
    {"N" * 300: "web"},
    {"App": _Text("web")},
    collections.OrderedDict(App="web"),
    {"id": "s"},
    ["request_id"],
    [],
    SessionOptions(id="s"),
    CacheOptions(enabled=True),
    RetryOptions(),
    RateLimitPolicy(quota=10, window_seconds=60),
    PromptOptions(id="p"),
    SecurityOptions(llm_security=True),
    _Word.USER,
    _Word.CENTS,
    _Number.THREE,
    _Number.SIXTY,
    _Text("agent"),
    object(),
]
values = st.sampled_from(ODD_VALUES) | text | st.integers() | st.floats()


@st.composite
def model_and_input(draw: st.DrawFn) -> tuple[type[FrozenModel], dict[str, Any]]:
    model = draw(st.sampled_from(MODELS))
    names = draw(st.lists(st.sampled_from(sorted(model.model_fields)), unique=True, max_size=4))
    return model, {name: draw(values) for name in names}


def _outcome(build: Callable[[], FrozenModel]) -> FrozenModel | list[Any]:
    try:
        return build()
    except ValidationError as exc:
        return exc.errors(include_url=False)


@settings(max_examples=600, deadline=None)
@given(model_and_input())
def test_building_agrees_with_full_validation(
    case: tuple[type[FrozenModel], dict[str, Any]],
) -> None:
    model, data = case
    built = _outcome(lambda: model(**data))
    validated = _outcome(lambda: model.model_validate(data))
    if isinstance(validated, list):
        assert built == validated
        return
    assert isinstance(built, model)
    assert built == validated
    assert built.model_fields_set == validated.model_fields_set
    for name in model.model_fields:
        assert type(getattr(built, name)) is type(getattr(validated, name)), name
    if isinstance(built, HeaderModel):
        assert isinstance(validated, HeaderModel)
        assert list(built.to_headers().items()) == list(validated.to_headers().items())
    else:
        assert str(built) == str(validated)


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (SessionOptions, {"id": "session-1", "path": "/a/b", "name": "Agent"}),
        (CacheOptions, {"enabled": True, "max_age_seconds": 3600, "bucket_max_size": 3}),
        (RetryOptions, {"max_attempts": 3, "factor": 2, "min_timeout_ms": 0}),
        (RateLimitPolicy, {"quota": 10, "window_seconds": 60, "segment": "user"}),
        (RateLimitPolicy, {"quota": 0.5, "window_seconds": 60, "unit": "cents"}),
        (PromptOptions, {"id": "p", "version": "2", "mode": "production"}),
        (SecurityOptions, {"llm_security": True, "moderations": True}),
        (
            HeliconeHeaders,
            {
                "api_key": KEY,
                "user_id": "u",
                "properties": {"App": "web"},
                "session": SessionOptions(id="s"),
                "rate_limit": "10;w=60;s=user",
                "request_id": uuid.UUID("8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b"),
                "omit_request": False,
                "model_override": None,
            },
        ),
    ],
)
def test_plainly_valid_values_take_the_fast_path(
    model: type[FrozenModel], data: dict[str, Any]
) -> None:
    plan = _plan(model)
    assert plan is not None
    assert _build_fast(model.model_construct(), plan, data) is True
    assert model(**data) == model.model_validate(data)


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (SessionOptions, {"Helicone-Session-Id": "s"}),  # by alias
        (SessionOptions, {"id": "s", "nmae": "x"}),  # not a field
        (RetryOptions, {"max_attempts": "3"}),  # text to read
        (RateLimitPolicy, {"quota": 1, "window_seconds": 60, "segment": "User"}),  # to lowercase
        (RetryOptions, {"min_timeout_ms": 5000, "max_timeout_ms": 10}),  # a rule across fields
        (CacheOptions, {"max_age_seconds": 3600}),  # caching left off
        (SessionOptions, {}),  # sends nothing
        (RateLimitPolicy, {"quota": None, "window_seconds": 60}),  # None where none is taken
        (HeliconeHeaders, {"session": {"id": "s"}}),  # a group as a dict
        (HeliconeHeaders, {"properties": {"A b": "c"}}),  # a map with a bad name
        (HeliconeHeaders, {"properties": {"app": "a", "App": "b"}}),  # names alike but for case
        (HeliconeHeaders, {"properties": {"N" * 300: "v"}}),  # a long name, weighed with its value
    ],
)
def test_anything_else_is_left_to_pydantic(model: type[FrozenModel], data: dict[str, Any]) -> None:
    plan = _plan(model)
    assert plan is not None
    assert _build_fast(model.model_construct(), plan, data) is False


@pytest.mark.parametrize("model", [Fallback, PosthogOptions])
def test_models_with_checks_before_validation_always_use_pydantic(
    model: type[FrozenModel],
) -> None:
    assert _plan(model) is None


class _Counted(HeliconeHeaders):
    _count: int = PrivateAttr(default=5)


class _Noted(HeliconeHeaders):
    def model_post_init(self, context: object, /) -> None:  # noqa: ARG002 - pydantic hook
        object.__setattr__(self, "_noted", True)


class _Lowered(SessionOptions):
    model_config = ConfigDict(str_to_lower=True)


class _Checked(SessionOptions):
    tag: str = Field(default="x", validate_default=True, max_length=0)


def test_subclasses_with_their_own_init_steps_get_them() -> None:
    assert _Counted(user_id="u").__pydantic_private__ == {"_count": 5}
    assert vars(_Noted(user_id="u"))["_noted"] is True
    assert _Lowered(id="ABC").id == "abc"
    with pytest.raises(ValidationError):
        _Checked(id="s")
    assert [_plan(model) for model in (_Counted, _Noted, _Lowered, _Checked)] == [None] * 4
    merged = _Counted(user_id="u", properties={"A": "1"}) | _Counted(properties={"B": "2"})
    assert merged.__pydantic_private__ == {"_count": 5}
    assert merged.to_headers() == {
        "Helicone-User-Id": "u",
        "Helicone-Property-A": "1",
        "Helicone-Property-B": "2",
    }


def test_a_subclass_gets_a_plan_of_its_own() -> None:
    class Tagged(HeliconeHeaders):
        tag: str | None = None

    tagged = Tagged(tag="x", user_id="u")
    assert (tagged.tag, tagged.to_headers()) == ("x", {"Helicone-User-Id": "u"})


# Sparse models set a few options, as real client-wide and per-request models do; many of
# them send every option they set, so a merge lays their kept headers over the first.
sparse = st.builds(
    lambda fields: HeliconeHeaders(**fields),
    st.fixed_dictionaries(
        {},
        optional={
            "api_key": keys,
            "user_id": text,
            "properties": properties,
            "session": sessions,
            "prompt": prompts,
            "rate_limit": policies,
            "cache": caches,
            "retry": retries,
            "request_id": request_ids,
            "omit_request": st.booleans(),
            "model_override": st.none() | text,
            "extra_headers": st.dictionaries(
                st.sampled_from(["Helicone-Node-Id", "helicone-node-id", "Helicone-Brand-New"]),
                text,
                max_size=1,
            ),
        },
    ),
)


def _written_from_scratch(model: HeliconeHeaders) -> dict[str, str]:
    fresh = HeliconeHeaders.model_construct(
        _fields_set=model.model_fields_set,
        **{name: getattr(model, name) for name in HeliconeHeaders.model_fields},
    )
    return fresh.to_headers()


@settings(max_examples=400, deadline=None)
@given(sparse, sparse, sparse)
def test_merged_headers_match_headers_written_from_scratch(
    first: HeliconeHeaders, second: HeliconeHeaders, third: HeliconeHeaders
) -> None:
    try:
        merged = first | second | third
        nested = first | (second | third)  # a merge laid over: its headers are not laid yet
    except ValidationError:
        return  # retry timeouts that only clash once merged: refused, as tested elsewhere
    expected = _written_from_scratch(merged)
    assert merged.to_headers() == expected
    assert merged.to_headers() == expected  # asked again
    # Not always the same options as `merged`: a group unset by None in the middle is merged
    # option by option with the first one's here.
    assert nested.to_headers() == _written_from_scratch(nested)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (
            HeliconeHeaders(omit_request=True, user_id="u"),
            HeliconeHeaders(omit_request=False),
            {"Helicone-User-Id": "u"},
        ),
        (
            HeliconeHeaders(session=SessionOptions(id="s", name="n"), user_id="u"),
            HeliconeHeaders(session=None),
            {"Helicone-User-Id": "u"},
        ),
        (
            HeliconeHeaders(session=SessionOptions(id="s", name="n")),
            HeliconeHeaders(session=SessionOptions(id="t", name=None)),
            {"Helicone-Session-Id": "t"},
        ),
        (
            HeliconeHeaders(cache=CacheOptions(enabled=True, max_age_seconds=3600)),
            HeliconeHeaders(cache=CacheOptions(enabled=False, save=True)),
            {"Helicone-Cache-Save": "true", "Cache-Control": "max-age=3600"},
        ),
        (
            HeliconeHeaders(properties={"App": "web", "Env": "prod"}),
            HeliconeHeaders(properties={"app": "ios"}),
            {"Helicone-Property-Env": "prod", "Helicone-Property-app": "ios"},
        ),
        (
            HeliconeHeaders(extra_headers={"Helicone-Node-Id": "1"}, user_id="u"),
            HeliconeHeaders(extra_headers={"helicone-node-id": "2"}),
            {"Helicone-User-Id": "u", "helicone-node-id": "2"},
        ),
    ],
    ids=["false-flag", "none-group", "none-option", "cache-switch", "property-case", "extra-case"],
)
def test_what_the_second_turns_off_is_not_sent(
    first: HeliconeHeaders, second: HeliconeHeaders, expected: dict[str, str]
) -> None:
    first.to_headers()  # kept headers of the first must not leak into the merge
    assert (first | second).to_headers() == expected


def test_client_wide_headers_come_first_then_per_request_ones() -> None:
    client = HeliconeHeaders(api_key=SecretStr(KEY), properties={"App": "web"})
    request = HeliconeHeaders(session=SessionOptions(id="s"), properties={"Step": "plan"})
    assert list((client | request).to_headers()) == [
        "Helicone-Auth",
        "Helicone-Property-App",
        "Helicone-Session-Id",
        "Helicone-Property-Step",
    ]


def test_a_changed_copy_writes_again() -> None:
    policy = RateLimitPolicy.parse("10;w=60")
    assert str(policy) == "10;w=60"
    assert str(policy.model_copy(update={"quota": 5.0})) == "5;w=60"
    assert str(policy.model_copy()) == "10;w=60"
    headers = HeliconeHeaders(user_id="u")
    assert headers.to_headers() == {"Helicone-User-Id": "u"}
    assert headers.model_copy(update={"user_id": "v"}).to_headers() == {"Helicone-User-Id": "v"}


def test_a_key_with_its_scheme_inside_a_secret_is_read_in_full() -> None:
    headers = HeliconeHeaders(api_key=SecretStr(f"Bearer {KEY}"))
    assert headers.to_headers() == {"Helicone-Auth": f"Bearer {KEY}"}


def test_the_fast_check_answer_for_undecided_values_reads_slow() -> None:
    assert repr(SLOW) == "SLOW"


@pytest.mark.parametrize(
    ("name", "value"),
    [("N" * 300, "v"), ("App", "v" * 8000), ("N" * 4000, "v" * 4000)],
)
def test_properties_past_the_native_bounds_are_still_taken(name: str, value: str) -> None:
    # The native check bounds names and values apart; the full check weighs the whole line.
    headers = HeliconeHeaders(properties={name: value})
    assert headers.to_headers() == {f"Helicone-Property-{name}": value}
