"""A built model never changes: its dicts and lists are read-only, and a mask is no secret."""

from __future__ import annotations

import copy
import pickle
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError

from helicone_headers import (
    CacheOptions,
    Fallback,
    HeliconeHeaders,
    PosthogOptions,
    RetryOptions,
    SessionOptions,
)

from .conftest import KEY, messages
from .strategies import everything

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

READ_ONLY = (
    "{kind} of a built model is read-only, so that the model always sends what was checked; "
    "build a new model instead, such as model.model_copy(update={{...}}) or model | other"
)
MASK = "*" * 10
MASKED = (
    "the value is '**********', the mask that dumps and repr() write in place of a secret, not "
    "the secret: sent, it would fail wherever the secret is checked; pass the real secret (to "
    "rebuild a model, read its to_headers() with from_headers(), which carry the real values, or "
    "use model_copy())"
)


def full() -> HeliconeHeaders:
    """Headers with every kind of container filled."""
    return HeliconeHeaders(
        api_key=SecretStr(KEY),
        properties={"App": "web"},
        cache=CacheOptions(enabled=True, ignore_keys=["request_id"]),
        fallbacks=[
            Fallback(
                target_url="https://api.openai.com",
                headers={"Authorization": "Bearer sk-provider"},
                on_codes=[429, (500, 599)],
                body_key_override={"model": "gpt-4o-mini", "tags": ["a", {"b": [1]}]},
            )
        ],
        posthog=PosthogOptions(key=SecretStr("phc_project")),
        extra_headers={"Helicone-JWT": "jwt-token"},
    )


def containers(value: object, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every dict and list a value holds, at any depth, through models, dicts and lists."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from containers(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            yield from containers(item, f"{path}[{key!r}]")
    elif isinstance(value, (list, tuple)):
        if isinstance(value, list):
            yield path, value
        for index, item in enumerate(value):
            yield from containers(item, f"{path}[{index}]")


# Every way to change a dict or a list in place.
DICT_CHANGES: dict[str, Callable[[dict[Any, Any]], object]] = {
    "setitem": lambda d: d.__setitem__("X\r\nY", "v\r\nEvil: 1"),
    "delitem": lambda d: d.__delitem__(next(iter(d), "x")),
    "ior": lambda d: d.__ior__({"Helicone-Auth": "Bearer x"}),
    "clear": lambda d: d.clear(),
    "pop": lambda d: d.pop(next(iter(d), "x")),
    "popitem": lambda d: d.popitem(),
    "setdefault": lambda d: d.setdefault("Helicone-Auth", "x"),
    "update": lambda d: d.update({"Helicone-Auth": "x"}),
}
LIST_CHANGES: dict[str, Callable[[list[Any]], object]] = {
    "setitem": lambda items: items.__setitem__(0, "x\r\n"),
    "delitem": lambda items: items.__delitem__(0),
    "iadd": lambda items: items.__iadd__(["x"]),
    "imul": lambda items: items.__imul__(2),
    "append": lambda items: items.append("x"),
    "extend": lambda items: items.extend(["x"]),
    "insert": lambda items: items.insert(0, "x"),
    "remove": lambda items: items.remove(items[0]),
    "pop": lambda items: items.pop(),
    "clear": lambda items: items.clear(),
    "sort": lambda items: items.sort(),
    "reverse": lambda items: items.reverse(),
}


@pytest.mark.parametrize("change", DICT_CHANGES.values(), ids=DICT_CHANGES.keys())
@pytest.mark.parametrize(
    "path",
    [
        ".properties",
        ".extra_headers",
        ".fallbacks[0].headers",
        ".fallbacks[0].body_key_override",
        ".fallbacks[0].body_key_override['tags'][1]",
    ],
)
def test_no_map_of_a_built_model_changes(
    path: str, change: Callable[[dict[Any, Any]], object]
) -> None:
    headers = full()
    written = headers.to_headers()
    found = dict(containers(headers))[path]
    with pytest.raises(TypeError) as exc_info:
        change(found)
    assert str(exc_info.value) == READ_ONLY.format(kind="This mapping")
    assert dict(containers(headers))[path] == dict(containers(full()))[path]
    assert headers.to_headers() == written
    assert HeliconeHeaders.from_headers(headers.to_headers()) == full()


@pytest.mark.parametrize("change", LIST_CHANGES.values(), ids=LIST_CHANGES.keys())
@pytest.mark.parametrize(
    "path",
    [
        ".cache.ignore_keys",
        ".fallbacks",
        ".fallbacks[0].on_codes",
        ".fallbacks[0].body_key_override['tags']",
    ],
)
def test_no_list_of_a_built_model_changes(path: str, change: Callable[[list[Any]], object]) -> None:
    headers = full()
    found = dict(containers(headers))[path]
    with pytest.raises(TypeError) as exc_info:
        change(found)
    assert str(exc_info.value) == READ_ONLY.format(kind="This list")
    assert headers == full()
    assert headers.to_headers() == full().to_headers()


def test_the_attack_of_the_issue_is_refused() -> None:
    headers = HeliconeHeaders(properties={"App": "web"})
    with pytest.raises(TypeError):
        headers.properties["X\r\nY"] = "v\r\nEvil: 1"  # type: ignore[index]  # pyright: ignore[reportIndexIssue]
    with pytest.raises(TypeError):
        headers.extra_headers["Helicone-Auth"] = "Bearer x"  # type: ignore[index]  # pyright: ignore[reportIndexIssue]
    assert headers.to_headers() == {"Helicone-Property-App": "web"}


@settings(max_examples=60, deadline=None)
@given(everything)
def test_every_container_of_any_model_is_read_only(headers: HeliconeHeaders) -> None:
    # Whatever a model holds, however deep: no dict or list in it can change.
    for path, found in containers(headers):
        changes = DICT_CHANGES if isinstance(found, dict) else LIST_CHANGES
        for name, change in changes.items():
            with pytest.raises(TypeError):
                change(found)
            assert found == dict(containers(headers))[path], (path, name)
    # Unchanged, still equal to a fresh build of what it sends, and hashable like one.
    again = HeliconeHeaders.from_headers(headers.to_headers())
    assert again == headers
    assert hash(again) == hash(headers)


def test_defaults_are_read_only_too() -> None:
    headers = HeliconeHeaders()
    for found in (headers.properties, headers.extra_headers):
        with pytest.raises(TypeError):
            found["Helicone-Auth"] = "x"  # type: ignore[index]  # pyright: ignore[reportIndexIssue]
    assert headers.to_headers() == {}


def test_read_only_containers_still_read_as_dicts_and_lists() -> None:
    headers = full()
    fallback = headers.fallbacks[0]  # type: ignore[index]  # pyright: ignore[reportOptionalSubscript]
    assert isinstance(headers.properties, dict)
    assert isinstance(fallback.on_codes, list)
    assert headers.properties == {"App": "web"}
    assert fallback.on_codes == [429, (500, 599)]
    assert repr(headers.properties) == "{'App': 'web'}"
    # A copy is the user's to change.
    changed = dict(headers.properties) | {"Env": "prod"}
    assert HeliconeHeaders(properties=changed).properties == {"App": "web", "Env": "prod"}
    # Dumps are plain data, the caller's to change.
    assert type(headers.model_dump()["properties"]) is dict
    assert type(headers.model_dump()["Helicone-Fallbacks"][0]["onCodes"]) is list


@pytest.mark.parametrize(
    "clone",
    [copy.copy, copy.deepcopy, lambda model: pickle.loads(pickle.dumps(model))],
    ids=["copy", "deepcopy", "pickle"],
)
def test_copies_stay_read_only(clone: Callable[[HeliconeHeaders], HeliconeHeaders]) -> None:
    copied = clone(full())
    assert copied == full()
    assert copied.to_headers() == full().to_headers()
    for _, found in containers(copied):
        with pytest.raises(TypeError):
            found.clear()


def test_models_are_hashable_and_equal_models_hash_alike() -> None:
    assert hash(full()) == hash(full())
    assert len({full(), full(), HeliconeHeaders(properties={"App": "api"})}) == 2


class TestHeadersOutput:
    def test_changing_the_returned_dict_never_changes_the_next(self) -> None:
        headers = full()
        first = headers.to_headers()
        first["Helicone-Property-App"] = "changed\r\nEvil: 1"
        first["Helicone-Auth"] = "Bearer stolen"
        first.clear()
        assert headers.to_headers() == full().to_headers()

    def test_a_group_inside_keeps_its_own_headers(self) -> None:
        cache = CacheOptions(enabled=True)
        cache.to_headers()["Helicone-Cache-Enabled"] = "false"
        headers = HeliconeHeaders(cache=cache)
        assert headers.to_headers() == {"Helicone-Cache-Enabled": "true"}
        assert cache.to_headers() == {"Helicone-Cache-Enabled": "true"}


class Mutable(HeliconeHeaders):
    model_config = ConfigDict(frozen=False)


class MutableRetry(RetryOptions):
    model_config = ConfigDict(frozen=False)


class MutableSession(SessionOptions):
    model_config = ConfigDict(frozen=False)


class TestNotFrozen:
    """A subclass with frozen=False checks what is assigned as its constructor checks it."""

    @pytest.mark.parametrize(
        ("field", "value", "error"),
        [
            pytest.param(
                "properties",
                {"X": "v\r\nEvil: 1"},
                (
                    ("properties", "Helicone-Property-X"),
                    "header_value_unsafe",
                    "properties: Helicone-Property-X: the value contains a line break (CR or "
                    "LF), which would end the header early and could inject another one; remove "
                    "it",
                ),
                id="properties-crlf",
            ),
            pytest.param(
                "extra_headers",
                {"Helicone-Auth": "Bearer x"},
                (
                    ("extra_headers", "Helicone-Auth"),
                    "header_name",
                    "extra_headers: Helicone-Auth: this header is modeled; set api_key instead",
                ),
                id="extra-headers-modeled",
            ),
            pytest.param(
                "user_id",
                "u\nv",
                (
                    ("user_id",),
                    "header_value_unsafe",
                    "Helicone-User-Id (user_id): the value contains a line break (CR or LF), "
                    "which would end the header early and could inject another one; remove it",
                ),
                id="text-lf",
            ),
            pytest.param(
                "cache",
                {"enabled": False, "seed": "s"},
                (
                    (),
                    "cache_not_enabled",
                    "CacheOptions turns no caching on, and Helicone ignores the other cache "
                    "options without Helicone-Cache-Enabled (or -Save / -Read); set "
                    "enabled=True, or leave cache unset",
                ),
                id="group-rule",
            ),
        ],
    )
    def test_a_bad_assignment_is_refused_and_changes_nothing(
        self, field: str, value: object, error: tuple[object, ...]
    ) -> None:
        headers = Mutable(properties={"App": "web"}, user_id="u")
        with pytest.raises(ValidationError) as exc_info:
            setattr(headers, field, value)
        assert messages(exc_info)[0][1:] == error[1:]
        assert exc_info.value.errors()[0]["input"] == MASK
        assert headers.to_headers() == {
            "Helicone-User-Id": "u",
            "Helicone-Property-App": "web",
        }

    def test_an_assigned_container_is_read_only_and_sent(self) -> None:
        headers = Mutable()
        headers.properties = {"Env": "prod"}
        with pytest.raises(TypeError):
            headers.properties["X"] = "y"
        assert headers.to_headers() == {"Helicone-Property-Env": "prod"}
        headers.user_id = "u2"
        assert headers.to_headers() == {"Helicone-User-Id": "u2", "Helicone-Property-Env": "prod"}

    def test_rules_across_fields_hold_on_assignment(self) -> None:
        retry = MutableRetry(min_timeout_ms=100)
        with pytest.raises(ValidationError) as exc_info:
            retry.min_timeout_ms = 20_000
        assert [(e["loc"], e["type"]) for e in exc_info.value.errors()] == [
            (("Helicone-Retry-Min-Timeout",), "retry_timeout_order")
        ]
        assert retry.min_timeout_ms == 100
        session = MutableSession(id="s")
        with pytest.raises(ValidationError) as exc_info:
            session.id = None
        assert [e["type"] for e in exc_info.value.errors()] == ["session_empty"]
        assert session.to_headers() == {"Helicone-Session-Id": "s"}


class TestMaskedSecrets:
    """The mask that dumps write for a secret is refused where a secret goes, never sent."""

    # Python dumps keep a SecretStr as it is, with its secret; JSON writes the mask. Maps of
    # secrets are masked in every dump.
    MAPS: frozenset[tuple[int | str, ...]] = frozenset(
        {("Helicone-Fallbacks", 0, "headers", "Authorization"), ("extra_headers", "Helicone-JWT")}
    )
    STRINGS: frozenset[tuple[int | str, ...]] = frozenset(
        {("Helicone-Auth",), ("posthog", "Helicone-Posthog-Key")}
    )

    @pytest.mark.parametrize(
        ("dump", "masked"),
        [
            (lambda h: HeliconeHeaders.model_validate(h.model_dump()), MAPS),
            (
                lambda h: HeliconeHeaders.model_validate(h.model_dump(by_alias=False)),
                {("fallbacks", 0, "headers", "Authorization"), ("extra_headers", "Helicone-JWT")},
            ),
            (
                lambda h: HeliconeHeaders.model_validate(h.model_dump(mode="json")),
                MAPS | STRINGS,
            ),
            (lambda h: HeliconeHeaders.model_validate_json(h.model_dump_json()), MAPS | STRINGS),
        ],
        ids=["python", "by-name", "json-mode", "json"],
    )
    def test_a_dump_is_not_read_back_as_secrets(
        self,
        dump: Callable[[HeliconeHeaders], HeliconeHeaders],
        masked: frozenset[tuple[int | str, ...]],
    ) -> None:
        with pytest.raises(ValidationError) as exc_info:
            dump(full())
        errors = exc_info.value.errors()
        assert {error["type"] for error in errors} == {"secret_masked"}
        assert {error["loc"] for error in errors} == masked

    @pytest.mark.parametrize(
        ("build", "loc", "prefix"),
        [
            pytest.param(
                lambda: HeliconeHeaders(api_key=SecretStr(MASK)),
                ("api_key",),
                "Helicone-Auth (api_key): ",
                id="api-key",
            ),
            pytest.param(
                lambda: HeliconeHeaders.from_headers({"Helicone-Auth": f"Bearer {MASK}"}),
                ("Helicone-Auth",),
                "Helicone-Auth (api_key): ",
                id="api-key-header",
            ),
            pytest.param(
                lambda: PosthogOptions(key=SecretStr(MASK)),
                ("key",),
                "Helicone-Posthog-Key (key): ",
                id="posthog-key",
            ),
            pytest.param(
                lambda: HeliconeHeaders(extra_headers={"Helicone-JWT": MASK}),
                ("extra_headers", "Helicone-JWT"),
                "extra_headers: Helicone-JWT: ",
                id="extra-header",
            ),
            pytest.param(
                lambda: Fallback(
                    target_url="https://api.openai.com", headers={"x-api-key": MASK}, on_codes=[500]
                ),
                ("headers", "x-api-key"),
                "headers: x-api-key: ",
                id="fallback-header",
            ),
        ],
    )
    def test_every_secret_place_refuses_the_mask(
        self, build: Callable[[], object], loc: tuple[str, ...], prefix: str
    ) -> None:
        with pytest.raises(ValidationError) as exc_info:
            build()
        assert messages(exc_info) == [(loc, "secret_masked", prefix + MASKED)]

    def test_the_real_values_round_trip_through_to_headers(self) -> None:
        headers = full()
        assert HeliconeHeaders.from_headers(headers.to_headers()) == headers
        assert headers.model_copy() == headers

    def test_a_property_is_no_secret_and_is_dumped_as_written(self) -> None:
        # Properties are never masked, so ten asterisks there are the user's own value.
        headers = HeliconeHeaders(properties={"Stars": MASK})
        assert HeliconeHeaders.model_validate(headers.model_dump()) == headers
        assert headers.to_headers() == {"Helicone-Property-Stars": MASK}
