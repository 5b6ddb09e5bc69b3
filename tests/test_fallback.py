from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from helicone_headers import Fallback, HeliconeHeaders

from .conftest import messages

SHAPE = (
    '[{"target-url": "https://api.openai.com", "headers": {"Authorization": "Bearer sk-..."}, '
    '"onCodes": [429, {"from": 500, "to": 599}]}]'
)


def test_written_as_compact_json_with_helicone_keys() -> None:
    fallback = Fallback(
        target_url="https://api.openai.com",
        headers={"Authorization": "Bearer sk-1"},
        on_codes=[429, (500, 599)],
        body_key_override={"model": "gpt-4o-mini"},
    )
    headers = HeliconeHeaders(fallbacks=[fallback]).to_headers()
    assert headers == {
        "Helicone-Fallbacks": '[{"target-url":"https://api.openai.com","headers":'
        '{"Authorization":"Bearer sk-1"},"onCodes":[429,{"from":500,"to":599}],'
        '"bodyKeyOverride":{"model":"gpt-4o-mini"}}]'
    }
    assert HeliconeHeaders.from_headers(headers).fallbacks == [fallback]


def test_headers_are_hidden_from_repr() -> None:
    fallback = Fallback(
        target_url="https://x.io", headers={"Authorization": "Bearer sk-1"}, on_codes=[429]
    )
    assert "sk-1" not in repr(fallback)


def test_non_ascii_in_the_body_override_is_escaped() -> None:
    fallback = Fallback(
        target_url="https://x.io", headers={}, on_codes=[500], body_key_override={"p": "é"}
    )
    value = HeliconeHeaders(fallbacks=[fallback]).to_headers()["Helicone-Fallbacks"]
    assert value.isascii()
    assert json.loads(value)[0]["bodyKeyOverride"] == {"p": "é"}


def test_the_model_name_list_from_litellms_docs_is_refused() -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers({"Helicone-Fallbacks": '["gpt-3.5-turbo", "gpt-4"]'})
    assert messages(exc_info) == [
        (
            ("Helicone-Fallbacks", index),
            "fallback_shape",
            "Helicone-Fallbacks (fallbacks): a fallback is an object with target-url, headers and "
            "onCodes, not a str; Helicone answers every request with HTTP 500 for a list of "
            f"model names; write {SHAPE}, or build it with Fallback(...)",
        )
        for index in range(2)
    ]


@pytest.mark.parametrize(
    ("text", "loc", "kind", "message"),
    [
        pytest.param(
            "gpt-4",
            (),
            "fallbacks_syntax",
            "the value is not JSON, and Helicone answers every request with HTTP 500 (JSON "
            f"SyntaxError); write {SHAPE}",
            id="not-json",
        ),
        pytest.param(
            '{"target-url": "https://x.io"}',
            (),
            "fallbacks_syntax",
            "the value must be a JSON array, and Helicone answers every request with HTTP 500 "
            f"('helicone-fallbacks must be an array'); write {SHAPE}",
            id="not-an-array",
        ),
        pytest.param(
            "[]",
            (),
            "fallbacks_empty",
            "the list is empty, and Helicone treats an empty list as no fallbacks; leave "
            "fallbacks unset instead",
            id="empty",
        ),
        pytest.param(
            '[{"target-url": "https://x.io", "onCodes": [500]}]',
            (0,),
            "fallback_shape",
            "a fallback needs target-url, headers and onCodes (missing headers); Helicone answers "
            "every request with HTTP 500 ('helicone-fallbacks must have target-url, headers, and "
            f"onCodes'); write {SHAPE}",
            id="missing-headers",
        ),
        pytest.param(
            '[{"target-url": "https://x.io", "headers": 500, "onCodes": [500]}]',
            (0, "headers"),
            "fallback_headers",
            "headers: headers must be an object of header names to str values, got int; Helicone "
            "answers HTTP 500 with a TypeError for anything else",
            id="headers-not-object",
        ),
        pytest.param(
            '[{"target-url": "https://x.io", "headers": {}, "onCodes": "500"}]',
            (0, "onCodes"),
            "fallback_codes",
            "onCodes (on_codes): onCodes must be a list of status codes and ranges, got str; "
            "Helicone answers HTTP 500 with a TypeError for anything else",
            id="codes-not-list",
        ),
        pytest.param(
            '[{"target-url": "https://x.io", "headers": {}, "onCodes": [{"from": 599, "to": 500}]}]',
            (0, "onCodes"),
            "fallback_codes",
            "onCodes (on_codes): the range 599..500 is empty; write it low to high",
            id="range-backwards",
        ),
        pytest.param(
            '[{"target-url": "https://x.io", "headers": {}, "onCodes": [true]}]',
            (0, "onCodes"),
            "fallback_codes",
            "onCodes (on_codes): True is not a status code; use whole numbers from 100 to 599",
            id="code-bool",
        ),
        pytest.param(
            '[{"target-url": "https://x.io", "headers": {}, "onCodes": [99]}]',
            (0, "onCodes"),
            "fallback_codes",
            "onCodes (on_codes): 99 is not an HTTP status; use 100 to 599",
            id="code-too-low",
        ),
        pytest.param(
            '[{"target-url": "https://x.io", "headers": {}, "onCodes": []}]',
            (0, "onCodes"),
            "too_short",
            "onCodes (on_codes): Value should have at least 1 item after validation, not 0",
            id="codes-empty",
        ),
        pytest.param(
            '[{"target-url": "x.io", "headers": {}, "onCodes": [500]}]',
            (0, "target-url"),
            "url_syntax",
            "target-url (target_url): 'x.io' is not a URL by the WHATWG URL standard that "
            "Helicone's JavaScript follows (relative URL without a base): Helicone answers every "
            "request with HTTP 500 when its new URL() cannot parse it; write it like "
            "'https://api.example.com'",
            id="url-without-scheme",
        ),
        pytest.param(
            '[{"target-url": "https://x.io", "headers": {"a b": "c"}, "onCodes": [500]}]',
            (0, "headers", "a b"),
            "header_name",
            "headers: a b: 'a b' is not a valid header name (letters, digits and "
            "!#$%&'*+-.^_`|~ only), so HTTP clients refuse to send it",
            id="bad-header-name",
        ),
        pytest.param(
            '[{"target-url": "https://x.io", "headers": {"A": 1}, "onCodes": [500]}]',
            (0, "headers", "A"),
            "header_value_type",
            "headers: A: expected a str value, got int",
            id="header-value-int",
        ),
        pytest.param(
            '[{"target-url": "https://x.io", "headers": {"A": "sk-1\\n"}, "onCodes": [500]}]',
            (0, "headers", "A"),
            "header_value_unsafe",
            "headers: A: the value contains a line break (CR or LF), which would end the header "
            "early and could inject another one; remove it",
            id="header-value-newline",
        ),
    ],
)
def test_shapes_helicone_answers_with_500(
    text: str, loc: tuple[int | str, ...], kind: str, message: str
) -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers({"Helicone-Fallbacks": text})
    assert messages(exc_info) == [
        (("Helicone-Fallbacks", *loc), kind, f"Helicone-Fallbacks (fallbacks): {message}")
    ]


def test_python_list_required() -> None:
    with pytest.raises(ValidationError, match="expected a list of Fallback, got Fallback"):
        HeliconeHeaders.model_validate(
            {"fallbacks": Fallback(target_url="https://x.io", headers={}, on_codes=[500])}
        )


def test_a_range_needs_from_and_to() -> None:
    with pytest.raises(ValidationError) as exc_info:
        Fallback.model_validate(
            {"target-url": "https://x.io", "headers": {}, "onCodes": [{"from": 500, "until": 599}]}
        )
    assert messages(exc_info) == [
        (
            ("onCodes",),
            "fallback_codes",
            'onCodes (on_codes): a range is written {"from": 500, "to": 599}, got keys \'from\', '
            "'until'",
        )
    ]


def test_non_int_code_in_a_tuple() -> None:
    with pytest.raises(ValidationError, match="'500' is not a status code"):
        Fallback(target_url="https://x.io", headers={}, on_codes=[("500", 599)])  # type: ignore[list-item]


def test_fallback_header_names_are_unique_ignoring_case() -> None:
    with pytest.raises(ValidationError) as exc_info:
        Fallback(
            target_url="https://x.io",
            headers={"Authorization": "a", "authorization": "b"},
            on_codes=[500],
        )
    assert messages(exc_info) == [
        (
            ("headers", "authorization"),
            "header_name_case",
            "headers: authorization and Authorization differ only in case; header names are "
            "case-insensitive (and Helicone lowercases property names), so one would overwrite "
            "the other or both would be joined into one value; keep one",
        )
    ]
