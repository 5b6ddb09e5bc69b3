from __future__ import annotations

import pytest
from pydantic import ValidationError

from helicone_headers import CacheOptions, HeliconeHeaders

from .conftest import messages


def test_every_cache_option_is_written() -> None:
    cache = CacheOptions(
        enabled=True,
        max_age_seconds=3600,
        bucket_max_size=3,
        seed="v1",
        ignore_keys=["request_id", "ts"],
    )
    assert cache.to_headers() == {
        "Helicone-Cache-Enabled": "true",
        "Cache-Control": "max-age=3600",
        "Helicone-Cache-Bucket-Max-Size": "3",
        "Helicone-Cache-Seed": "v1",
        "Helicone-Cache-Ignore-Keys": '"request_id","ts"',
    }
    assert HeliconeHeaders.from_headers(cache.to_headers()).cache == cache


def test_save_and_read_alone() -> None:
    assert CacheOptions(save=True).to_headers() == {"Helicone-Cache-Save": "true"}
    assert CacheOptions(read=True).to_headers() == {"Helicone-Cache-Read": "true"}


def test_nothing_switched_on_is_refused() -> None:
    with pytest.raises(ValidationError) as exc_info:
        CacheOptions(max_age_seconds=3600)
    assert messages(exc_info) == [
        (
            (),
            "cache_not_enabled",
            "CacheOptions turns no caching on, and Helicone ignores the other cache options "
            "without Helicone-Cache-Enabled (or -Save / -Read); set enabled=True, or leave cache "
            "unset",
        )
    ]


@pytest.mark.parametrize(
    ("field", "value", "loc", "kind", "message"),
    [
        pytest.param(
            "max_age_seconds",
            59,
            "max_age_seconds",
            "number_too_small",
            "Cache-Control (max_age_seconds): 59 is below 60: Helicone's cache store refuses "
            "lifetimes under 60 seconds, so nothing would be cached; use 60 or more",
            id="max-age-short",
        ),
        pytest.param(
            "max_age_seconds",
            31_536_001,
            "max_age_seconds",
            "number_too_large",
            "Cache-Control (max_age_seconds): 31536001 is above 31536000: Helicone silently caps "
            "the cache lifetime at 31536000 seconds (one year); use 31536000 or less",
            id="max-age-long",
        ),
        pytest.param(
            "bucket_max_size",
            21,
            "bucket_max_size",
            "number_too_large",
            "Helicone-Cache-Bucket-Max-Size (bucket_max_size): 21 is above 20: Helicone answers "
            "every request with HTTP 500 ('Cache bucket size cannot be greater than 20'), even "
            "with caching off; use 1 to 20",
            id="bucket-21",
        ),
        pytest.param(
            "bucket_max_size",
            0,
            "bucket_max_size",
            "number_too_small",
            "Helicone-Cache-Bucket-Max-Size (bucket_max_size): 0 is below 1: Helicone accepts "
            "it, but then every cache read and save fails silently; use 1 to 20",
            id="bucket-0",
        ),
        pytest.param(
            "ignore_keys",
            [],
            "ignore_keys",
            "cache_ignore_keys_empty",
            "Helicone-Cache-Ignore-Keys (ignore_keys): the list is empty; an empty header is "
            "ignored by Helicone, so leave ignore_keys unset instead",
            id="ignore-keys-empty",
        ),
        pytest.param(
            "ignore_keys",
            ["a", ""],
            "ignore_keys",
            "cache_ignore_keys_syntax",
            "Helicone-Cache-Ignore-Keys (ignore_keys): every key must be a non-empty str naming "
            "a top-level body field, got ''",
            id="ignore-keys-blank",
        ),
        pytest.param(
            "ignore_keys",
            "a",
            "ignore_keys",
            "cache_ignore_keys_syntax",
            "Helicone-Cache-Ignore-Keys (ignore_keys): Helicone parses this header as "
            "comma-separated JSON strings and answers every request with HTTP 500 for 'a' (the "
            'bare form its docs show); write "request_id","timestamp" with the quotes, which '
            'ignore_keys=["request_id", "timestamp"] writes for you',
            id="ignore-keys-bare-string",
        ),
        pytest.param(
            "ignore_keys",
            {"a"},
            "ignore_keys",
            "header_value_type",
            "Helicone-Cache-Ignore-Keys (ignore_keys): expected a list of str, got set",
            id="ignore-keys-set",
        ),
    ],
)
def test_python_values_out_of_range(
    field: str, value: object, loc: str, kind: str, message: str
) -> None:
    with pytest.raises(ValidationError) as exc_info:
        CacheOptions.model_validate({"enabled": True, field: value})
    assert messages(exc_info) == [((loc,), kind, message)]


@pytest.mark.parametrize(
    ("header", "text", "kind", "message"),
    [
        pytest.param(
            "Helicone-Cache-Ignore-Keys",
            "request_id,timestamp",
            "cache_ignore_keys_syntax",
            "Helicone-Cache-Ignore-Keys (ignore_keys): Helicone parses this header as "
            "comma-separated JSON strings and answers every request with HTTP 500 for "
            "'request_id,timestamp' (the bare form its docs show); write "
            '"request_id","timestamp" with the quotes, which ignore_keys=["request_id", '
            '"timestamp"] writes for you',
            id="documented-bare-form",
        ),
        pytest.param(
            "Helicone-Cache-Ignore-Keys",
            '["a","b"]',
            "cache_ignore_keys_syntax",
            'Helicone-Cache-Ignore-Keys (ignore_keys): \'["a","b"]\' does not parse to quoted '
            "key names; Helicone turns each parsed item into a key name as JavaScript does, so it "
            "leaves 'a,b' out of the cache key; write quoted names separated by commas, such as "
            '"request_id","timestamp"',
            id="json-array",
        ),
        pytest.param(
            "Cache-Control",
            "no-cache",
            "cache_control_syntax",
            "Cache-Control (max_age_seconds): Helicone reads the cache lifetime only from "
            "max-age=<seconds> (or s-maxage, matched anywhere in the text) and caches for 7 days "
            "when it finds neither, so 'no-cache' would not do what it says; write 'max-age=3600'",
            id="no-cache",
        ),
        pytest.param(
            "Cache-Control",
            "max-age=abc",
            "cache_control_syntax",
            "Cache-Control (max_age_seconds): Helicone reads the cache lifetime only from "
            "max-age=<seconds> (or s-maxage, matched anywhere in the text) and caches for 7 days "
            "when it finds neither, so 'max-age=abc' would not do what it says; write "
            "'max-age=3600'",
            id="max-age-not-a-number",
        ),
        pytest.param(
            "Helicone-Cache-Bucket-Max-Size",
            "0x10",
            "number_syntax",
            "Helicone-Cache-Bucket-Max-Size (bucket_max_size): Helicone reads numbers with "
            "parseInt, which would take '0x10' as 16; write a whole number in plain digits",
            id="bucket-hex",
        ),
        pytest.param(
            "Helicone-Cache-Bucket-Max-Size",
            "-0x2",
            "number_syntax",
            "Helicone-Cache-Bucket-Max-Size (bucket_max_size): Helicone reads numbers with "
            "parseInt, which would take '-0x2' as -2; write a whole number in plain digits",
            id="bucket-negative-hex",
        ),
        pytest.param(
            "Helicone-Cache-Bucket-Max-Size",
            "many",
            "number_syntax",
            "Helicone-Cache-Bucket-Max-Size (bucket_max_size): Helicone reads numbers with "
            "parseInt, which would take 'many' as NaN; write a whole number in plain digits",
            id="bucket-word",
        ),
    ],
)
def test_header_values_helicone_misreads(header: str, text: str, kind: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        HeliconeHeaders.from_headers({"Helicone-Cache-Enabled": "true", header: text})
    assert messages(exc_info) == [(("cache", header), kind, message)]


def test_ignore_keys_are_json_escaped_ascii() -> None:
    cache = CacheOptions(enabled=True, ignore_keys=['we"ird', "clé"])
    assert cache.to_headers()["Helicone-Cache-Ignore-Keys"] == '"we\\"ird","cl\\u00e9"'
    assert HeliconeHeaders.from_headers(cache.to_headers()).cache == cache


def test_uppercase_true_enables_caching() -> None:
    cache = HeliconeHeaders.from_headers({"Helicone-Cache-Enabled": "TRUE"}).cache
    assert cache == CacheOptions(enabled=True)
