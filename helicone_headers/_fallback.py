"""Gateway fallbacks: the JSON value of Helicone-Fallbacks.

Helicone parses it in ``worker/src/lib/models/HeliconeHeaders.ts:229-279`` and applies it in
``worker/src/routers/gatewayRouter.ts:199-240, 270-273``.
"""

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Annotated, Any, cast

from pydantic import (
    Field,
    GetCoreSchemaHandler,
    JsonValue,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_core import core_schema

from helicone_headers._base import FrozenModel
from helicone_headers._codec import Canonical, Codec, Description, HeaderMap, Url
from helicone_headers._codes import problem
from helicone_headers._frozen import FROZEN, FROZEN_JSON
from helicone_headers._numbers import JS_MAX_SAFE, js_json_loads
from helicone_headers._text import (
    TOO_DEEP,
    long_value_problem,
    quoted,
    token_problem,
    without_password,
)

__all__ = ["FALLBACKS", "Fallback"]

_SHAPE = (
    '[{"target-url": "https://api.openai.com", "headers": {"Authorization": "Bearer sk-..."}, '
    '"onCodes": [429, {"from": 500, "to": 599}]}]'
)
_LOWEST_STATUS, _HIGHEST_STATUS = 100, 599
# HeliconeHeaders.getFallBacks throws this for an entry without one of the three keys.
_MUST_HAVE = (
    "Helicone answers every request with HTTP 500 ('helicone-fallbacks must have target-url, "
    "headers, and onCodes')"
)
_NOT_AN_OBJECT = (
    "fallback_headers",
    (
        "headers must be an object of header names to str values, got {got}; Helicone answers "
        "HTTP 500 with a TypeError for anything else"
    ),
)


class Fallback(FrozenModel):
    """One provider to try when the previous one answers with one of *on_codes*.

    Helicone (gateway.helicone.ai) tries the entries in order; each one replaces the request's
    headers with its own *headers* (the original provider key is dropped) and sends the request to
    *target_url*. The response of the last entry is returned whatever its status.
    """

    target_url: Annotated[
        str,
        Field(
            alias="target-url",
            description="The provider's base URL, such as ``https://api.openai.com``.",
        ),
        Url(),
    ]

    headers: Annotated[
        Mapping[str, str],
        Field(
            description=(
                "The headers sent to this provider instead of the original ones, usually its "
                "auth. Their values are hidden in ``repr`` and dumps as ``**********``, as they "
                "usually hold a provider key."
            )
        ),
        # The values usually hold a provider key: problems are described, never quoted.
        HeaderMap(token_problem, hidden=True, not_a_map=_NOT_AN_OBJECT),
        FROZEN,
    ]

    on_codes: Annotated[
        Sequence[int | tuple[int, int]],
        Field(
            alias="onCodes",
            min_length=1,
            description=(
                "The statuses that move on to the next entry: codes like ``429`` or inclusive "
                'ranges like ``(500, 599)``, written ``{"from": 500, "to": 599}``.'
            ),
        ),
        FROZEN,
    ]

    body_key_override: Annotated[
        Mapping[str, JsonValue] | None,
        Field(
            alias="bodyKeyOverride",
            description=(
                'Top-level body keys replaced for this provider only, such as ``{"model": '
                '"gpt-4o-mini"}``.'
            ),
        ),
        FROZEN_JSON,
    ] = None

    @field_validator("body_key_override")
    @classmethod
    def _check_json_numbers(
        cls, value: Mapping[str, JsonValue] | None
    ) -> Mapping[str, JsonValue] | None:
        # Helicone reads the header with JSON.parse: NaN and Infinity are not JSON (HTTP 500),
        # and a number is a float, exact for whole numbers up to 2**53 - 1 only.
        inexact = _inexact_number(cast("JsonValue", value))  # a dict, validated as one
        if inexact is not None:
            raise problem(
                "fallback_body_override",
                "bodyKeyOverride holds {number}, which {fate}; write a finite number, a whole number "
                "within ±9007199254740991, or a string",
                {"number": inexact[0], "fate": inexact[1]},
            )
        return value

    @model_validator(mode="before")
    @classmethod
    def _check_shape(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise problem(
                "fallback_shape",
                "a fallback is an object with target-url, headers and onCodes, not a {kind}; "
                "Helicone answers every request with HTTP 500 for a list of model names; write "
                "{shape}, or build it with Fallback(...)",
                # The value may hold a provider key: only its type is named.
                {"kind": type(data).__name__, "shape": _SHAPE},
            )
        missing = [
            info.alias or name
            for name, info in cls.model_fields.items()
            if info.is_required() and name not in data and info.alias not in data
        ]
        if missing:
            raise problem(
                "fallback_shape",
                "a fallback needs target-url, headers and onCodes (missing {missing}); {fails}; "
                "write {shape}",
                {"missing": ", ".join(missing), "fails": _MUST_HAVE, "shape": _SHAPE},
            )
        return cast("dict[str, object]", data)

    @field_validator("on_codes", mode="before")
    @classmethod
    def _check_codes(cls, value: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            raise problem(
                "fallback_codes",
                "onCodes must be a list of status codes and ranges, got {got}; Helicone answers "
                "HTTP 500 with a TypeError for anything else",
                {"got": type(value).__name__},
            )
        return [_status_or_range(code) for code in cast("list[object]", value)]

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # A password in the URL is a secret: repr and str never show it.
        for name, value in super().__repr_args__():
            yield name, without_password(value) if name == "target_url" else value

    @field_serializer("on_codes", when_used="json")
    def _codes_as_written(
        self, codes: Sequence[int | tuple[int, int]]
    ) -> list[int | dict[str, int]]:
        # As Helicone reads them, so that a JSON dump reads back: JSON has no tuple.
        return [
            code if isinstance(code, int) else {"from": code[0], "to": code[1]} for code in codes
        ]

    def wire(self) -> dict[str, Any]:
        """The JSON object Helicone reads for this entry."""
        entry: dict[str, Any] = {
            "target-url": self.target_url,
            "headers": self.headers,
            "onCodes": self._codes_as_written(self.on_codes),
        }
        if self.body_key_override is not None:
            entry["bodyKeyOverride"] = self.body_key_override
        return entry


# The Python names of the JSON keys: the model takes them, Helicone's header does not.
_PYTHON_NAMES = {"target_url": "target-url", "on_codes": "onCodes"}
# The keys Helicone reads of an entry, and those that make it throw when used for them.
_WIRE_KEYS = frozenset({"target-url", "headers", "onCodes", "bodyKeyOverride"})
_THROWN_KEYS = frozenset({*_PYTHON_NAMES, "body_key_override"})


def _check_json_names(entry: dict[str, object]) -> None:
    """Refuse an entry of the header that uses the Python names of Helicone's keys."""
    wrong = sorted(
        name for name in _PYTHON_NAMES if name in entry and _PYTHON_NAMES[name] not in entry
    )
    if wrong:
        raise problem(
            "fallback_shape",
            "Helicone reads the keys target-url, headers and onCodes, not {names}; {fails}; write "
            "{shape}",
            {"names": ", ".join(wrong), "fails": _MUST_HAVE, "shape": _SHAPE},
        )
    if "body_key_override" in entry and "bodyKeyOverride" not in entry:
        raise problem(
            "fallback_shape",
            "Helicone reads bodyKeyOverride, not body_key_override, and would silently override "
            "no body key; write bodyKeyOverride",
        )


def _inexact_number(value: JsonValue) -> tuple[object, str] | None:
    """The first number in *value* that JSON.parse cannot read exactly, and what becomes of it."""
    if isinstance(value, float) and not math.isfinite(value):
        return (
            value,
            (
                "Python writes as NaN or Infinity, which JSON.parse refuses: Helicone answers every "
                "request with HTTP 500"
            ),
        )
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > JS_MAX_SAFE:
        return (
            value,
            "JSON.parse rounds to the nearest float, so the provider would get another number",
        )
    children = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    )
    return next(
        (found for child in children if (found := _inexact_number(child)) is not None), None
    )


def _status(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise problem(
            "fallback_codes",
            "{value} is not a status code; use whole numbers from 100 to 599",
            {"value": repr(value)},
        )
    if not _LOWEST_STATUS <= value <= _HIGHEST_STATUS:
        raise problem(
            "fallback_codes",
            "{value} is not an HTTP status; use 100 to 599",
            {"value": value},
        )
    return value


def _status_or_range(code: object) -> int | tuple[int, int]:
    if isinstance(code, dict):
        bounds = cast("dict[object, object]", code)
        if set(bounds) != {"from", "to"}:
            raise problem(
                "fallback_codes",
                'a range is written {"from": 500, "to": 599}, got keys {keys}',
                {"keys": ", ".join(sorted(map(repr, bounds)))},
            )
        low, high = _status(bounds["from"]), _status(bounds["to"])
    elif isinstance(code, tuple) and len(cast("tuple[object, ...]", code)) == 2:  # noqa: PLR2004 - (from, to)
        pair = cast("tuple[object, object]", code)
        low, high = _status(pair[0]), _status(pair[1])
    else:
        return _status(code)  # pyright: ignore[reportUnknownArgumentType]
    if low > high:
        raise problem(
            "fallback_codes",
            "the range {low}..{high} is empty; write it low to high",
            {"low": low, "high": high},
        )
    return (low, high)


class _FallbacksCodec(Codec):
    """The header codec: a JSON array of fallback objects."""

    # The entries' headers usually hold provider keys: the text is described, never quoted.
    secret = True

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # The written header must fit, however its entries were given.
        return core_schema.no_info_after_validator_function(
            self._check_length, super().__get_pydantic_core_schema__(source, handler)
        )

    def _check_length(self, value: list[Fallback] | None) -> list[Fallback] | None:
        too_long = None if value is None else long_value_problem(self.write(value))
        if too_long is not None:
            raise problem("header_value_unsafe", "the value {problem}", {"problem": too_long})
        return value

    def read(self, text: str) -> object:
        super().read(text)
        try:
            entries = js_json_loads(text)
        except RecursionError:
            raise problem("fallbacks_syntax", TOO_DEEP, {"shape": _SHAPE}) from None
        except ValueError:
            raise problem(
                "fallbacks_syntax",
                "the value is not JSON, and Helicone answers every request with HTTP 500 (JSON "
                "SyntaxError); write {shape}",
                {"shape": _SHAPE},
            ) from None
        if not isinstance(entries, list):
            raise problem(
                "fallbacks_syntax",
                "the value must be a JSON array, and Helicone answers every request with HTTP 500 "
                "('helicone-fallbacks must be an array'); write {shape}",
                {"shape": _SHAPE},
            )
        items = cast("list[object]", entries)
        for entry in items:
            if isinstance(entry, dict):
                _check_json_names(cast("dict[str, object]", entry))
        return items

    def canonical(self, text: str) -> Canonical | None:
        """The entries without the keys Helicone ignores (a typo such as ``bodyKeyOveride``)."""
        try:
            entries = js_json_loads(text)
        except (ValueError, RecursionError):
            return None  # read() explains
        if not isinstance(entries, list):
            return None
        items = cast("list[object]", entries)
        ignored = sorted(
            {
                key
                for entry in items
                if isinstance(entry, dict)
                for key in cast("dict[str, object]", entry)
                if key not in _WIRE_KEYS and key not in _THROWN_KEYS
            }
        )
        if not ignored:
            return None
        import json  # only for fallbacks: keep it off import time

        kept = [
            {
                key: each
                for key, each in cast("dict[str, object]", entry).items()
                if key not in ignored
            }
            if isinstance(entry, dict)
            else entry
            for entry in items
        ]
        names = ", ".join(quoted(key) for key in ignored)
        return Canonical(
            "fallback_extra_key",
            json.dumps(kept, separators=(",", ":")),
            f"Helicone reads only target-url, headers, onCodes and bodyKeyOverride of an entry and "
            f"ignores {names}; leave it out",
        )

    def accept(self, value: object) -> object:
        if isinstance(value, (list, tuple)):
            return list(cast("list[object]", value))
        raise problem(
            "header_value_type",
            "expected a list of Fallback, got {got}",
            {"got": type(value).__name__},
        )

    def check(self, value: list[object]) -> object:
        if not value:
            raise problem(
                "fallbacks_empty",
                "the list is empty, and Helicone treats an empty list as no fallbacks; leave "
                "fallbacks unset instead",
            )
        return value

    def describe(self) -> Description:
        return Description(
            'compact JSON array of `{"target-url", "headers", "onCodes", "bodyKeyOverride"?}`',
            "codes 100 … 599 or `{from, to}` ranges",
            "not JSON, not an array, a missing key or a list of model names: HTTP 500 on every "
            "request; `[]`: ignored",
        )

    def write(self, value: list[Fallback]) -> str:
        # Compact ASCII JSON: the value must stay visible ASCII to be a safe header value.
        import json  # only for fallbacks: keep it off import time

        return json.dumps([entry.wire() for entry in value], separators=(",", ":"))


FALLBACKS = _FallbacksCodec()
