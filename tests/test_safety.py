"""Safe by construction, generated per class: no secret shown, no crash, fix() never worse."""

from __future__ import annotations

import gc
import itertools
import json
import re
import string
import tracemalloc
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from helicone_headers import HeliconeHeaders, check, fix

from .conftest import KEY, documented_headers

# The documented bounds of what check(), fix() and from_headers() read.
MAX_HEADERS = 2000
MAX_HEADER_BYTES = 128 * 1024
# Every registered code, as the diagnostics reference lists them.
CODES = frozenset(
    re.findall(r"^\| `(\w+)` \|", Path("docs/diagnostics.md").read_text(), flags=re.MULTILINE)
)
# Headers whose values are secret: near misses of these names are secret too.
SECRET_NAMES = [
    "Helicone-Auth",
    "Helicone-Posthog-Key",
    "Helicone-Fallbacks",
    "Helicone-JWT",
    "Helicone-Lytix-Key",
    "Helicone-Manual-Access-Key",
    "Authorization",
    "Proxy-Authorization",
    "X-Api-Key",
    "Api-Key",
]


def near_misses(name: str) -> st.SearchStrategy[str]:
    """*name* as people misspell it: another case, ``_`` for ``-``, or two edits away."""
    letters = string.ascii_letters + "-_"

    def edit(text: str, data: tuple[int, int, str]) -> str:
        kind, at, char = data[0] % 3, data[1] % len(text), data[2]
        if kind == 0:
            return text[:at] + char + text[at + 1 :]
        if kind == 1:
            return text[:at] + char + text[at:]
        return text[:at] + text[at + 1 :] or text

    edits = st.tuples(st.integers(0, 2), st.integers(0, 99), st.sampled_from(letters))
    return st.one_of(
        st.just(name.lower()),
        st.just(name.upper()),
        st.just(name.replace("-", "_")),
        st.lists(edits, min_size=1, max_size=2).map(lambda changes: _apply(name, changes, edit)),
    )


def _apply(name: str, changes: list[tuple[int, int, str]], edit: object) -> str:
    for change in changes:
        name = edit(name, change)  # type: ignore[operator]
    return name


secret_names = st.sampled_from(SECRET_NAMES).flatmap(lambda name: st.just(name) | near_misses(name))
markers = st.from_regex(r"zq[a-z0-9]{12}", fullmatch=True)
# Ways a secret value is written wrongly, each still holding the marker.
wrappings = st.sampled_from(
    [
        "{}",
        " {} ",
        "Bearer {}",
        "bearer  {}",
        "{}\r\nEvil: 1",
        "{}\x00",
        "{}é",
        "\t{}",
        '[{{"target-url": "https://a.io", "headers": {{"k": "{}"}}, "onCodes": [500]}}]',
        '[{{"target_url": "https://a.io", "headers": {{"k": "{}"}}, "onCodes": [500]}}]',
    ]
)
others = st.dictionaries(
    st.sampled_from([*documented_headers(), "Helicone-Rate-Limit-Policy", "X-Other"]),
    st.sampled_from(["true", "True", "21", " x ", "10;w=30", "", "maybe"]),
    max_size=4,
)


def shown(headers: list[tuple[str, str]] | dict[str, str]) -> str:
    """Everything the library may show of a dict: check()'s findings, fix()'s report, errors."""
    fixed = fix(headers)
    texts = [repr(check(headers)), repr(fixed.changes), repr(fixed.unfixed), repr(fixed.model)]
    try:
        HeliconeHeaders.from_headers(headers)
    except ValidationError as exc:
        texts += [str(exc), repr(exc.errors()), exc.json()]
    return "\n".join(texts)


@settings(max_examples=300, deadline=None)
@given(secret_names, markers, wrappings, others, st.booleans())
def test_no_secret_value_is_ever_shown(
    name: str, marker: str, wrapping: str, rest: dict[str, str], twice: bool
) -> None:
    value = wrapping.format(marker)
    pairs = [*rest.items(), (name, value)] + ([(name.lower(), value)] if twice else [])
    assert marker not in shown(pairs)


@pytest.mark.parametrize(
    "header", ["Helicone-Target-URL", "Helicone-OpenAI-Api-Base", "Helicone-Posthog-Host"]
)
@pytest.mark.parametrize(
    "url",
    [
        "https://user:{}@api.openai.com/v1/chat",
        "https://user:{}@api.openai.com:99999",
        "https://u:{}@a@api.example.com",
        "ftp://user:{}@api.example.com",
        "https://:{}@api.openai.com.evil.example/",
    ],
)
def test_a_url_password_is_never_shown(header: str, url: str) -> None:
    marker = "zqpassword0001"
    assert marker not in shown({header: url.format(marker)})
    fallback = [{"target-url": url.format(marker), "headers": {}, "onCodes": [500]}]
    assert marker not in shown({"Helicone-Fallbacks": json.dumps(fallback)})


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("a\r\nEvil: 1", "contains a line break (CR or LF)"),
        ("a\nb", "contains a line break (CR or LF)"),
        ("a\x00", "contains the control character"),
        ("a\x7f", "contains the control character"),
        ("café", "contains the non-ASCII character"),
    ],
)
@pytest.mark.parametrize("name", ["X-Trace", "Authorization", "x-api-key"])
def test_a_header_that_is_not_helicones_is_checked_for_what_clients_send(
    name: str, value: str, problem: str
) -> None:
    (finding,) = check({name: value, "Helicone-User-Id": "u"})
    assert (finding.code, finding.severity, finding.header) == (
        "header_value_unsafe",
        "error",
        name,
    )
    assert finding.message.startswith(f"{name}: the value {problem}")
    if name != "X-Trace":  # a key: not even one character of it is quoted
        assert "'" not in finding.message
    fixed = fix({name: value, "Helicone-User-Id": "u"})
    assert fixed.headers == {"Helicone-User-Id": "u"}
    assert [d.code for d in fixed.unfixed] == ["header_value_unsafe"]


def test_a_tab_inside_a_foreign_value_and_a_bad_foreign_name() -> None:
    assert check({"X-Trace": "a\tb"}) == []
    (finding,) = check({"X Trace": "a"})
    assert (finding.code, finding.header) == ("header_name", "X Trace")


# Values that once made fix() or check() raise, or that are hostile by nature.
HOSTILE = st.sampled_from(
    [
        "0;w=30",
        "9" * 309 + ";w=30",
        "10;W=30;u=CENTS;s=user",
        "\tplan",
        " plan",
        "p" * 8192,
        "1" * 5000 + "x",
        "-" + "1" * 5000,
        "0x" + "1" * 4000,
        "\u0663",
        "\ud800",
        "[" * 5000,
        "max-age=30",
        "no-store",
        "TRUNCATE",
        '[{"target-url": "https://a.io", "headers": {}, "onCodes": [500], "x": 1}]',
        "6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
    ]
)
VALUES: st.SearchStrategy[object] = st.one_of(
    HOSTILE,
    st.text(max_size=12),
    st.integers(),
    st.sampled_from([10**5000, -(10**400)]),
    st.floats(),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
)
NAMES = st.sampled_from(
    [*documented_headers(), "Helicone-Rate-Limit-Policy", "Helicone-\ud800", "X-\u202e"]
).flatmap(lambda name: st.sampled_from([name, name.lower(), name.upper(), name.replace("-", "_")]))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(NAMES, VALUES), max_size=8))
def test_fix_and_check_never_raise_and_fix_is_stable(pairs: list[tuple[str, object]]) -> None:
    found = check(pairs)
    assert all(d.code in CODES or d.code.startswith(("missing", "extra")) for d in found)
    result = fix(pairs)
    assert [d for d in check(result.headers) if d.severity == "error"] == []
    assert all(isinstance(value, str) for value in result.headers.values())
    assert fix(result.headers).headers == result.headers
    # Nothing changes silently: a header whose value or name changed is named in changes.
    named = {change.header.lower() for change in result.changes}
    for name, value in pairs:
        kept = result.headers.get(name) if isinstance(name, str) else None
        helicone = isinstance(name, str) and name.lower().startswith(("helicone", "cache-control"))
        if kept is not None and kept != value and helicone:
            assert name.lower() in named, (name, value, kept)


@given(st.sampled_from(documented_headers()), HOSTILE)
def test_constructors_report_only_registered_codes(header: str, value: str) -> None:
    try:
        HeliconeHeaders.from_headers({header: value, "Helicone-Cache-Enabled": "true"})
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        assert {error["type"] for error in errors} <= set(CODES) | {"missing", "extra_forbidden"}
        assert all("set_int_max_str_digits" not in error["msg"] for error in errors)
        assert all(len(error["msg"]) < 1200 for error in errors)


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("1" * 5000 + "x", "a number of 5000 digits"),
        ("-" + "1" * 5000, "a negative number of 5000 digits"),
        ("\u0663", "NaN"),
        ("\u30003", "3"),
    ],
)
def test_numbers_are_read_as_parseint_reads_them(value: str, parsed: str) -> None:
    (finding,) = check({"Helicone-Cache-Enabled": "true", "Helicone-Cache-Bucket-Max-Size": value})
    assert finding.code == "number_syntax"
    assert f" as {parsed}; write a whole number" in finding.message


def test_a_hex_number_of_thousands_of_digits_is_described() -> None:
    value = "0x" + "1" * 4000
    (finding,) = check({"Helicone-Cache-Enabled": "true", "Helicone-Cache-Bucket-Max-Size": value})
    assert finding.message.endswith(
        "'0x1111111111111111111111111111'... (4002 characters) as a number of 4000 digits; "
        "write a whole number in plain digits"
    )
    (finding,) = check({"Helicone-Retry-Enabled": "true", "Helicone-Retry-Factor": "9" * 400})
    assert finding.code == "number_too_large"


def test_a_lone_surrogate_in_a_name_is_reported_escaped() -> None:
    (finding,) = check({"Helicone-\ud800": "x"})
    assert (finding.code, finding.header) == ("header_name_unknown", "Helicone-\ud800")
    assert finding.message.startswith("Helicone-\\ud800: ")
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders(properties={"\ud800": "x"})
    assert [error["type"] for error in exc_info.value.errors()] == ["header_name"]


def test_input_past_the_bound_is_not_read() -> None:
    many = (("X-Trace-" + str(n), "v") for n in itertools.count())
    (finding,) = check(many)
    assert (finding.code, finding.severity, finding.header) == ("input_too_large", "error", None)
    assert finding.message == (
        f"the headers hold more than {MAX_HEADERS} headers; no request with headers this large "
        "reaches Helicone (Cloudflare, in front of its hosted proxy, documents a limit of 128 KB), "
        "so they are not read"
    )
    big = {"X-Trace": "v" * MAX_HEADER_BYTES, "Helicone-Auth": f"Bearer {KEY}"}
    (finding,) = check(big)
    assert finding.code == "input_too_large"
    assert KEY not in finding.message
    fixed = fix(big)
    assert (fixed.headers, fixed.changes, [d.code for d in fixed.unfixed]) == (
        {},
        [],
        ["input_too_large"],
    )
    with pytest.raises(ValidationError, match="input_too_large"):
        HeliconeHeaders.from_headers(big)


def test_many_unrelated_headers_are_read_once_each() -> None:
    headers = {f"X-Trace-{n}": "v" for n in range(MAX_HEADERS - 1)}
    headers["Helicone-Cache-Enabled"] = "True"
    result = fix(headers)
    assert result.headers["Helicone-Cache-Enabled"] == "true"
    assert len(result.headers) == MAX_HEADERS


def test_reading_new_names_keeps_no_memory() -> None:
    # A service reading its clients' headers must not keep every name it ever saw.
    def read(batch: int) -> None:
        check(
            {f"Helicone-X{batch}-{n}": "v" for n in range(500)}
            | {f"X-{batch}-{n}": "v" for n in range(500)}
        )

    read(0)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for batch in range(1, 21):
            read(batch)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # 20 000 new names: a cache of them would hold megabytes.
    assert grown < 200_000


@pytest.mark.parametrize(
    ("broken", "fixed", "changed"),
    [
        pytest.param(
            {
                "Helicone-Cache-Enabled": "true",
                "Cache-Control": "max-age=30",
                "Helicone-User-Id": "u",
            },
            {"Helicone-User-Id": "u"},
            [
                "Helicone-Cache-Enabled: left out, and cache with it (without Cache-Control, "
                "Helicone would apply its default, max-age=604800 (7 days), more than it asked for)",
                "Cache-Control: left out, and cache with it (without Cache-Control, Helicone would "
                "apply its default, max-age=604800 (7 days), more than it asked for)",
            ],
            id="max-age-30-turns-the-cache-off-not-to-7-days",
        ),
        pytest.param(
            {"Helicone-Retry-Enabled": "true", "Helicone-Retry-Num": "0"},
            {},
            [
                "Helicone-Retry-Enabled: left out, and retry with it (without Helicone-Retry-Num, "
                "Helicone would apply its default, 5, more than it asked for)",
                "Helicone-Retry-Num: left out, and retry with it (without Helicone-Retry-Num, "
                "Helicone would apply its default, 5, more than it asked for)",
            ],
            id="zero-retries-turn-retries-off-not-to-5",
        ),
        pytest.param(
            {"Helicone-Retry-Num": "0"},
            {},
            ["Helicone-Retry-Num: left out, and retry with it (Helicone-Retry-Enabled is missing)"],
            id="retry-options-alone-never-turn-retries-on",
        ),
        pytest.param(
            {"Helicone-Retry-Enabled": "true", "Helicone-Retry-Num": "1000"},
            {"Helicone-Retry-Enabled": "true"},
            ["Helicone-Retry-Num: '1000' left out; Helicone then applies its default, 5"],
            id="too-many-retries-narrow-to-the-default",
        ),
        pytest.param(
            [("Helicone-Auth", f"Bearer {KEY}"), ("helicone-auth", f"Bearer {KEY}")],
            {"Helicone-Auth": f"Bearer {KEY}"},
            ["helicone-auth: sent twice with the same value; left out the second"],
            id="the-same-key-twice-is-sent-once",
        ),
        pytest.param(
            {"helicone-ratelimit-policy": "10;w=30", "helicone-cache-enabled": "True"},
            {"helicone-ratelimit-policy": "20;w=60", "helicone-cache-enabled": "true"},
            [
                "helicone-ratelimit-policy: '10;w=30' -> '20;w=60'",
                "helicone-cache-enabled: 'True' -> helicone-cache-enabled: 'true'",
            ],
            id="lowercase-names-are-repaired-and-kept-lowercase",
        ),
        pytest.param(
            {"Helicone-Session-Id": "s", "Helicone-Session-Path": " plan"},
            {"Helicone-Session-Id": "s", "Helicone-Session-Path": "/plan"},
            ["Helicone-Session-Path: ' plan' -> '/plan'"],
            id="a-path-with-an-outer-space",
        ),
        pytest.param(
            {
                "Helicone-Request-Id": "6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
                "Helicone-Token-Limit-Exception-Handler": "TRUNCATE",
                "Helicone-RateLimit-Policy": "10.0;W=60;u=request",
            },
            {
                "Helicone-Request-Id": "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                "Helicone-Token-Limit-Exception-Handler": "truncate",
                "Helicone-RateLimit-Policy": "10;w=60",
            },
            [
                "Helicone-Request-Id: '6BA7B810-9DAD-11D1-80B4-00C04FD430C8' -> "
                "Helicone-Request-Id: '6ba7b810-9dad-11d1-80b4-00c04fd430c8'",
                "Helicone-Token-Limit-Exception-Handler: 'TRUNCATE' -> "
                "Helicone-Token-Limit-Exception-Handler: 'truncate'",
                "Helicone-RateLimit-Policy: '10.0;W=60;u=request' -> "
                "Helicone-RateLimit-Policy: '10;w=60'",
            ],
            id="rewrites-are-listed",
        ),
        pytest.param(
            {"Cache-Control": "no-store", "Helicone-User-Id": "u"},
            {"Cache-Control": "no-store", "Helicone-User-Id": "u"},
            [],
            id="the-clients-own-cache-control-stays",
        ),
        pytest.param(
            {
                "Helicone-Fallbacks": '[{"target-url":"https://api.openai.com","headers":{},'
                '"onCodes":[429],"model":"gpt-4o"}]'
            },
            {
                "Helicone-Fallbacks": '[{"target-url":"https://api.openai.com","headers":{},'
                '"onCodes":[429]}]'
            },
            [
                "Helicone-Fallbacks: rewritten as Helicone-Fallbacks (its value is secret, not shown)"
            ],
            id="a-fallback-keeps-its-entry-without-the-key-helicone-ignores",
        ),
        pytest.param(
            {"Helicone-RateLimit-Policy": "0;w=30"},
            {},
            [
                "Helicone-RateLimit-Policy: '0;w=30' left out; Helicone then goes without it",
            ],
            id="a-window-repair-that-would-need-a-quota-of-0",
        ),
        pytest.param(
            {"Helicone-Retry-Enabled": "true", "Helicone-Retry-Num": 10**5000},
            {},
            [
                "Helicone-Retry-Enabled: left out, and retry with it (without Helicone-Retry-Num, "
                "Helicone would apply its default, 5, more than it asked for)",
                "Helicone-Retry-Num: left out, and retry with it (without Helicone-Retry-Num, "
                "Helicone would apply its default, 5, more than it asked for)",
            ],
            id="a-python-int-of-5000-digits",
        ),
    ],
)
def test_fix_never_makes_a_request_worse(
    broken: object, fixed: dict[str, str], changed: list[str]
) -> None:
    result = fix(broken)
    assert result.headers == fixed
    assert [change.message for change in result.changes] == changed


def test_a_fallback_entry_with_a_key_helicone_ignores_is_a_warning() -> None:
    text = '[{"target-url":"https://api.openai.com","headers":{},"onCodes":[429],"x":1}]'
    (finding,) = check({"Helicone-Fallbacks": text})
    assert (finding.code, finding.severity) == ("fallback_extra_key", "warning")
    assert finding.message == (
        "Helicone-Fallbacks: Helicone reads only target-url, headers, onCodes and bodyKeyOverride "
        "of an entry and ignores 'x'; leave it out"
    )
    for broken in ("[1", "{}", '["gpt-4o"]'):
        assert [d.code for d in check({"Helicone-Fallbacks": broken})] != ["fallback_extra_key"]


def test_a_cache_control_with_a_lifetime_and_no_switch_stays_reported() -> None:
    assert [d.code for d in check({"Cache-Control": "max-age=3600"})] == ["cache_not_enabled"]
    assert [d.code for d in check({"Cache-Control": "no-store\r\n"})] == ["header_value_unsafe"]
    codes = [d.code for d in check({"Cache-Control": "no-cache", "Helicone-Cache-Enabled": "true"})]
    assert codes == ["cache_control_syntax"]


def test_httpx_headers_are_read_with_each_spelling() -> None:
    headers = httpx.Headers([("Helicone-User-Id", "a"), ("helicone-user-id", "b")])
    assert [d.code for d in check(headers)] == ["header_repeated"]


def test_a_foreign_header_sent_twice_is_joined_as_http_joins_it() -> None:
    result = fix([("X-Trace", "a"), ("X-Trace", "b")])
    assert result.headers == {"X-Trace": "a, b"}
    assert [change.message for change in result.changes] == [
        "X-Trace: sent twice; the values joined"
    ]
