"""One validator: every way of making a model is pydantic's validation of its own schema."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Annotated, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

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

from .conftest import KEY
from .strategies import everything

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic import BaseModel


class ShortNames(SessionOptions):
    """A library field with a constraint of the subclass's own."""

    name: Annotated[str | None, Field(alias="Helicone-Session-Name", max_length=8)] = None


class Shouting(HeliconeHeaders):
    """An after-validator beside a library field, and one that takes ``info``."""

    user_id: Annotated[
        str | None, Field(alias="Helicone-User-Id"), AfterValidator(lambda v: v and v.upper())
    ] = None

    @field_validator("model_override")
    @classmethod
    def _no_gpt2(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value == "gpt-2":
            msg = f"{info.field_name} may not be gpt-2"
            raise ValueError(msg)
        return value


class Defaulted(SessionOptions):
    """A before-validator that fills None, and a default made from the other values."""

    id: Annotated[
        str | None, Field(alias="Helicone-Session-Id"), BeforeValidator(lambda v: v or "anon")
    ] = None
    tag: str = Field(default_factory=lambda data: f"tag-{data['id']}")


class Counted(HeliconeHeaders):
    """model_post_init state made from the values."""

    _summary: str = PrivateAttr(default="")

    def model_post_init(self, context: Any, /) -> None:  # noqa: ARG002 - pydantic passes it
        self._summary = f"user={self.user_id}"


class Audited(HeliconeHeaders):
    """A model validator of the subclass's own, around pydantic's model schema."""

    @model_validator(mode="after")
    def _user_with_key(self) -> Audited:
        if self.api_key is not None and self.user_id is None:
            msg = "a keyed request names its user"
            raise ValueError(msg)
        return self


class Mutable(SessionOptions):
    model_config = ConfigDict(frozen=False, validate_assignment=True)


MODELS: list[type[BaseModel]] = [
    HeliconeHeaders,
    SessionOptions,
    CacheOptions,
    RetryOptions,
    RateLimitPolicy,
    PromptOptions,
    SecurityOptions,
    PosthogOptions,
    Fallback,
    ShortNames,
    Shouting,
    Defaulted,
    Counted,
    Audited,
]

# Values of every kind, valid for some fields and wrong for others.
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, 1, 3, 20, 21, 59, 60, 3600, -1, 2**53, 10**400, 0.5, 2.0, float("nan")]),
    st.sampled_from(
        [
            "",
            "true",
            "True",
            "a b",
            " a",
            "a\r\nb",
            "café",
            "long-name-here",
            "gpt-2",
            "user",
            "USER",
            "cents",
            "{choices}",
            "10;w=60",
            "max-age=60",
            "https://x.io",
            "production",
            "truncate",
            KEY,
            f"Bearer {KEY}",
            "sk-not-a-key",
        ]
    ),
    st.just(SecretStr(KEY)),
    st.just(uuid.UUID("8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b")),
    st.just([500, (502, 504)]),
    st.just(["request_id"]),
    st.just({"App": "web"}),
    st.just({"a": "1", "A": "2"}),
    st.just({"Authorization": "Bearer sk-x"}),
)


def keys_of(model: type[BaseModel]) -> list[str]:
    names = list(model.model_fields)
    aliases = [info.alias for info in model.model_fields.values() if info.alias]
    return [*names, *aliases, "unknown_field"]


def outcome(build: Callable[[], BaseModel]) -> tuple[str, object]:
    """What building gives: the dump and the fields set, or each error's place, type and text."""
    try:
        model = build()
    except ValidationError as exc:
        return "error", [
            (error["loc"], error["type"], error["msg"]) for error in exc.errors(include_url=False)
        ]
    written = model.to_headers() if hasattr(model, "to_headers") else None
    return "built", (type(model), model.model_dump(), model.model_fields_set, written)


@st.composite
def inputs(draw: st.DrawFn) -> tuple[type[BaseModel], dict[str, object]]:
    model = draw(st.sampled_from(MODELS))
    data = draw(st.dictionaries(st.sampled_from(keys_of(model)), VALUES, max_size=5))
    return model, data


@given(inputs())
def test_init_and_model_validate_agree(case: tuple[type[BaseModel], dict[str, object]]) -> None:
    model, data = case
    assert outcome(lambda: model(**data)) == outcome(lambda: model.model_validate(data))


@given(inputs())
def test_validating_json_agrees_with_validating_the_same_values(
    case: tuple[type[BaseModel], dict[str, object]],
) -> None:
    model, data = case
    try:
        text = json.dumps(data, allow_nan=False)
    except (TypeError, ValueError):
        return  # not JSON: a SecretStr, a UUID, a tuple or NaN
    assert outcome(lambda: model.model_validate_json(text)) == outcome(
        lambda: model.model_validate(json.loads(text))
    )


@given(everything)
def test_every_valid_model_validates_again_from_its_own_values(headers: HeliconeHeaders) -> None:
    values = {name: getattr(headers, name) for name in headers.model_fields_set}
    assert HeliconeHeaders.model_validate(values) == headers
    assert HeliconeHeaders(**values).to_headers() == headers.to_headers()


class TestSubclasses:
    def test_a_constraint_beside_a_library_field_holds_however_the_model_is_made(self) -> None:
        builds: list[Callable[[], object]] = [
            lambda: ShortNames(name="much-too-long"),
            lambda: ShortNames.model_validate({"name": "much-too-long"}),
            lambda: ShortNames.model_validate_json('{"Helicone-Session-Name": "much-too-long"}'),
            lambda: ShortNames(name="ok") | ShortNames(name="much-too-long"),
            lambda: ShortNames(name="ok").model_copy(update={"name": "much-too-long"}),
        ]
        for build in builds:
            with pytest.raises(ValidationError) as exc_info:
                build()
            assert [error["type"] for error in exc_info.value.errors()] == ["string_too_long"]

    def test_validators_of_the_subclass_run_on_a_merge(self) -> None:
        merged = Shouting(user_id="ann") | Shouting(properties={"App": "web"})
        assert merged.to_headers() == {"Helicone-User-Id": "ANN", "Helicone-Property-App": "web"}
        with pytest.raises(ValidationError) as exc_info:
            Shouting(user_id="ann") | Shouting(model_override="gpt-2")
        assert exc_info.value.errors(include_url=False)[0]["msg"] == (
            "Helicone-Model-Override (model_override): Value error, model_override may not be gpt-2"
        )

    def test_a_model_validator_of_the_subclass_runs_on_every_build(self) -> None:
        keyed = Audited(api_key=KEY, user_id="ann")  # type: ignore[arg-type]
        builds: list[Callable[[], object]] = [
            lambda: Audited(api_key=KEY),  # type: ignore[arg-type]
            lambda: Audited.model_validate({"Helicone-Auth": KEY}),
            lambda: keyed.model_copy(update={"user_id": None}),
            lambda: Audited() | Audited(api_key=KEY),  # type: ignore[arg-type]
        ]
        for build in builds:
            with pytest.raises(ValidationError) as exc_info:
                build()
            assert exc_info.value.errors(include_url=False)[0]["msg"] == (
                "Value error, a keyed request names its user"
            )

    def test_a_before_validator_sees_a_value_given_as_none(self) -> None:
        assert Defaulted(id=None).id == "anon"
        assert Defaulted.model_validate({"id": None}).id == "anon"

    def test_a_default_factory_taking_the_data_sees_the_values(self) -> None:
        assert Defaulted(id="s1").tag == "tag-s1"
        assert Defaulted.model_validate({"Helicone-Session-Id": "s1"}).tag == "tag-s1"

    def test_model_post_init_state_follows_a_merge(self) -> None:
        merged = Counted(user_id="ann") | Counted(user_id="bob")
        assert merged._summary == "user=bob"
        assert Counted(user_id="ann").model_copy(update={"user_id": "cy"})._summary == "user=cy"

    def test_a_mutable_subclass_writes_what_it_holds_now(self) -> None:
        options = Mutable(id="a")
        assert options.to_headers() == {"Helicone-Session-Id": "a"}
        options.id = "b"
        assert options.to_headers() == {"Helicone-Session-Id": "b"}
        with pytest.raises(ValidationError):
            options.id = "b\r\nX-Injected: 1"

    def test_a_base_model_merges_into_a_subclass(self) -> None:
        merged = Shouting(user_id="ann") | HeliconeHeaders(user_id="bob")
        assert type(merged) is Shouting
        assert merged.user_id == "BOB"


class TestModelCopy:
    def test_an_update_is_validated(self) -> None:
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders(user_id="a").model_copy(update={"user_id": "a\r\nX-Injected: 1"})
        assert exc_info.value.errors()[0]["type"] == "header_value_unsafe"

    def test_an_update_by_header_name_sets_the_field(self) -> None:
        copied = HeliconeHeaders(user_id="a").model_copy(update={"Helicone-User-Id": "b"})
        assert copied.to_headers() == {"Helicone-User-Id": "b"}

    def test_a_copy_without_update_is_equal(self) -> None:
        headers = HeliconeHeaders(user_id="a", properties={"App": "web"})
        assert headers.model_copy() == headers
        assert headers.model_copy(deep=True).to_headers() == headers.to_headers()

    def test_a_deep_copy_with_update_does_not_share_maps(self) -> None:
        headers = HeliconeHeaders(properties={"App": "web"})
        copied = headers.model_copy(update={"user_id": "u"}, deep=True)
        assert copied.properties == headers.properties
        assert copied.properties is not headers.properties

    def test_an_update_of_a_rule_across_fields_is_checked(self) -> None:
        with pytest.raises(ValidationError) as exc_info:
            RetryOptions(max_timeout_ms=5000).model_copy(update={"min_timeout_ms": 6000})
        assert exc_info.value.errors()[0]["type"] == "retry_timeout_order"


class TestWrongKinds:
    def test_merging_with_something_else_is_a_type_error(self) -> None:
        with pytest.raises(TypeError, match="unsupported operand type"):
            HeliconeHeaders() | 5
        with pytest.raises(TypeError, match="unsupported operand type"):
            CacheOptions(enabled=True) | RetryOptions()
        with pytest.raises(
            TypeError,
            match=r"^can only merge HeliconeHeaders with another HeliconeHeaders, got dict$",
        ):
            HeliconeHeaders().merge({"user_id": "x"})  # type: ignore[arg-type]

    @pytest.mark.parametrize("value", [None, 5, "Helicone-User-Id", [("a", "b", "c")]])
    def test_from_headers_names_what_it_takes(self, value: object) -> None:
        with pytest.raises(
            TypeError,
            match=r"^expected a mapping of header names to values, or an iterable of \(name, "
            r"value\) pairs, got ",
        ):
            HeliconeHeaders.from_headers(value)  # type: ignore[arg-type]

    @pytest.mark.parametrize("value", [None, 10, b"10;w=60"])
    def test_parse_takes_only_text(self, value: object) -> None:
        with pytest.raises(
            TypeError,
            match=rf"^RateLimitPolicy\.parse takes the policy as a str, got {type(value).__name__}$",
        ):
            RateLimitPolicy.parse(value)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (
                lambda: RateLimitPolicy("10;w=60"),  # type: ignore[call-arg, arg-type]
                "RateLimitPolicy() takes its options by name, such as RateLimitPolicy(quota=10, "
                "window_seconds=60); for a policy text such as '10;w=60' use "
                "RateLimitPolicy.parse('10;w=60')",
            ),
            (
                lambda: SessionOptions("s-1"),  # type: ignore[call-arg]
                "SessionOptions() takes its options by name, such as SessionOptions(id=...)",
            ),
        ],
    )
    def test_a_positional_argument_says_how_to_write_it(
        self, build: Callable[[], object], message: str
    ) -> None:
        with pytest.raises(TypeError) as exc_info:
            build()
        assert str(exc_info.value) == message

    def test_a_header_mapping_is_merged_as_from_headers_reads_it(self) -> None:
        merged = HeliconeHeaders(user_id="ann") | {"helicone-property-step": "plan"}
        assert merged.to_headers() == {"Helicone-User-Id": "ann", "Helicone-Property-step": "plan"}
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders() | {"Helicone-Rate-Limit-Policy": "10;w=60"}
        assert [error["type"] for error in exc_info.value.errors()] == ["header_name_unknown"]

    def test_a_step_name_must_be_text(self) -> None:
        from helicone_headers import session, step

        with (
            session("agent"),
            pytest.raises(TypeError, match=r"^step\(\) takes the step's name as a str, got int$"),
            step(5),  # type: ignore[arg-type]
        ):
            pass  # pragma: no cover - never entered

    def test_a_secret_holding_none_is_a_validation_error(self) -> None:
        for build in (
            lambda: HeliconeHeaders(api_key=SecretStr(None)),  # type: ignore[arg-type]
            lambda: PosthogOptions(key=SecretStr(None)),  # type: ignore[arg-type]
        ):
            with pytest.raises(ValidationError) as exc_info:
                build()
            assert exc_info.value.errors()[0]["msg"].endswith(
                "expected a SecretStr holding a str, got NoneType"
            )


def test_a_valid_key_is_taken_from_json() -> None:
    headers = HeliconeHeaders.model_validate_json(json.dumps({"api_key": KEY}))
    assert headers.to_headers() == {"Helicone-Auth": f"Bearer {KEY}"}
    posthog = PosthogOptions.model_validate_json('{"Helicone-Posthog-Key": "phc_x"}')
    assert posthog.to_headers() == {"Helicone-Posthog-Key": "phc_x"}


def test_a_redeclared_header_field_must_keep_its_header_name() -> None:
    with pytest.raises(
        TypeError,
        match=r"^Renamed\.user_id replaces a field sent as Helicone-User-Id; keep "
        r"Field\(alias='Helicone-User-Id'\) in its annotation$",
    ):

        class Renamed(HeliconeHeaders):
            user_id: str | None = None
