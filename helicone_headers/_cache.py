"""Response caching: Helicone-Cache-*, and Cache-Control for the lifetime.

Helicone reads them in ``worker/src/lib/util/cache/cacheSettings.ts:17-81`` (caching) and
``worker/src/lib/models/HeliconeHeaders.ts:370-384`` (logging, and the ignored keys).
"""

import re
from collections.abc import Sequence
from typing import Annotated, Any, cast

from pydantic import Field

from helicone_headers._base import HeaderModel
from helicone_headers._codec import TEXT, Canonical, Codec, Description, Flag, Integer, type_error
from helicone_headers._codes import problem
from helicone_headers._frozen import FROZEN
from helicone_headers._numbers import DIGITS, js_json_loads, js_key
from helicone_headers._text import TOO_DEEP, long_value_problem, quoted

__all__ = ["CacheOptions"]


# cacheSettings.ts buildCacheControl: s-maxage=(\d+), else max-age=(\d+), matched anywhere.
_S_MAXAGE = re.compile(r"s-maxage=(\d+)", re.ASCII)
_MAX_AGE = re.compile(r"max-age=(\d+)", re.ASCII)


class CacheControl(Integer):
    """``Cache-Control: max-age=<seconds>``, the cache lifetime.

    Helicone: ``worker/src/lib/util/cache/cacheSettings.ts:17-39``.
    """

    def __init__(self) -> None:
        """Helicone caches 60 s to one year."""
        super().__init__(
            60,
            31_536_000,
            below=(
                "Helicone's cache store refuses lifetimes under 60 seconds, so nothing would be "
                "cached; use 60 or more"
            ),
            above=(
                "Helicone silently caps the cache lifetime at 31536000 seconds (one year); use "
                "31536000 or less"
            ),
            render="max-age={}".format,
        )

    def describe(self) -> Description:
        """Document the one form Helicone reads reliably."""
        return Description(
            "`max-age=<seconds>`",
            "60 … 31536000",
            f"below 60: {self.below}; above 31536000: {self.above}; other directives "
            "(`no-cache`, `MAX-AGE=`) fall back to 7 days, and `s-maxage` anywhere wins",
        )

    def canonical(self, text: str) -> Canonical | None:
        """A lifetime Helicone finds anywhere in the text: ``s-maxage`` first, then ``max-age``."""
        found = _S_MAXAGE.search(text) or _MAX_AGE.search(text)
        if found is None or text == f"max-age={found[1]}":
            return None
        return Canonical(
            "cache_control_form",
            f"max-age={found[1]}",
            f"Helicone takes the lifetime {found[1]} from {text!r} ({found[0]!r}: s-maxage wins "
            f"over max-age, each matched anywhere), as meant; write 'max-age={found[1]}'",
        )

    def read(self, text: str) -> object:
        """Take exactly ``max-age=<seconds>``."""
        Codec.read(self, text)  # unsendable text is named as such first
        if not text.startswith("max-age=") or DIGITS.fullmatch(text[8:]) is None:
            raise problem(
                "cache_control_syntax",
                "Helicone reads the cache lifetime only from max-age=<seconds> (or s-maxage, "
                "matched anywhere in the text) and caches for 7 days when it finds neither, so "
                "{value} would not do what it says; write 'max-age=3600'",
                {"value": quoted(text)},
            )
        return self._digits(text[8:])


CACHE_CONTROL = CacheControl()


_QUOTED = '"request_id","timestamp"'


class IgnoreKeys(Codec):
    """Helicone-Cache-Ignore-Keys: written ``"a","b"``, the only form Helicone parses.

    Helicone: ``worker/src/lib/models/HeliconeHeaders.ts:380-384``.
    """

    def read(self, text: str) -> object:
        """Parse comma-separated JSON strings, as Helicone does with ``JSON.parse("[" + v + "]")``."""
        super().read(text)
        try:
            keys = js_json_loads(f"[{text}]")
        except RecursionError:
            raise problem("cache_ignore_keys_syntax", TOO_DEEP, {"shape": _QUOTED}) from None
        except ValueError:
            raise problem(
                "cache_ignore_keys_syntax",
                "Helicone parses this header as comma-separated JSON strings and answers every "
                "request with HTTP 500 for {value} (the bare form its docs show); write "
                '"request_id","timestamp" with the quotes, which ignore_keys=["request_id", '
                '"timestamp"] writes for you',
                {"value": quoted(text)},
            ) from None
        items = cast("list[object]", keys)
        if not all(isinstance(key, str) for key in items):
            try:
                names = ", ".join(repr(js_key(key)) for key in items)
            except RecursionError:  # nested too deeply to name
                raise problem("cache_ignore_keys_syntax", TOO_DEEP, {"shape": _QUOTED}) from None
            raise problem(
                "cache_ignore_keys_syntax",
                "{value} does not parse to quoted key names; Helicone turns each parsed item into "
                "a key name as JavaScript does, so it leaves {keys} out of the cache key; write "
                'quoted names separated by commas, such as "request_id","timestamp"',
                {"value": quoted(text), "keys": names},
            )
        return items

    def accept(self, value: object) -> object:
        """Take a list or tuple of key names."""
        if isinstance(value, (list, tuple)):
            return list(cast("list[object]", value))
        raise type_error("a list of str", value)

    def check(self, value: list[object]) -> object:
        """Ask for at least one key, each a non-empty name."""
        if not value:
            raise problem(
                "cache_ignore_keys_empty",
                "the list is empty; an empty header is ignored by Helicone, so leave ignore_keys "
                "unset instead",
            )
        for key in value:
            if not isinstance(key, str) or not key:
                raise problem(
                    "cache_ignore_keys_syntax",
                    "every key must be a non-empty str naming a top-level body field, got {key}",
                    {"key": repr(key)},
                )
        too_long = long_value_problem(self.write(cast("list[str]", value)))
        if too_long is not None:
            raise problem("header_value_unsafe", "the value {problem}", {"problem": too_long})
        return value

    def describe(self) -> Description:
        """Document the only form Helicone parses."""
        return Description(
            'JSON strings separated by commas: `"request_id","timestamp"`',
            "",
            "the documented bare form `request_id,timestamp`: HTTP 500 on every request; a JSON "
            "array: no key is removed",
        )

    def write(self, value: list[str]) -> str:
        """Write each key as a JSON string (ASCII-escaped), separated by commas."""
        import json  # only for this rarely used header: keep it off import time

        return ",".join(json.dumps(key) for key in value)


class CacheOptions(HeaderModel):
    """Serve repeated requests from Helicone's cache.

    Examples:
        >>> CacheOptions(enabled=True, max_age_seconds=3600).to_headers()
        {'Helicone-Cache-Enabled': 'true', 'Cache-Control': 'max-age=3600'}
    """

    enabled: Annotated[
        bool,
        Field(alias="Helicone-Cache-Enabled", description="Read from and save to the cache."),
        Flag(
            "caseless",
            case_note=(
                ", but logs the request as uncached and records no cache property, because its "
                "logging reads only the exact lowercase 'true'"
            ),
        ),
    ] = False

    save: Annotated[
        bool,
        Field(
            alias="Helicone-Cache-Save",
            description="Only save responses to the cache (without enabled).",
        ),
        Flag("caseless"),
    ] = False

    read: Annotated[
        bool,
        Field(
            alias="Helicone-Cache-Read",
            description="Only read responses from the cache (without enabled).",
        ),
        Flag("caseless"),
    ] = False

    max_age_seconds: Annotated[
        int | None,
        Field(
            alias="Cache-Control",
            json_schema_extra={"x-helicone-default": "`max-age=604800` (7 days)"},
            description=(
                "How long a cached response lives, 60 to 31536000 seconds; Helicone's default is "
                "7 days. Sent as the standard ``Cache-Control: max-age=N`` header, which is also "
                "forwarded to the provider."
            ),
        ),
        CACHE_CONTROL,
    ] = None

    bucket_max_size: Annotated[
        int | None,
        Field(
            alias="Helicone-Cache-Bucket-Max-Size",
            json_schema_extra={"x-helicone-default": "1"},
            description=(
                "Keep up to this many responses per request (1 to 20; Helicone's default is 1); a "
                "cached response is served, at random, once all slots are full."
            ),
        ),
        Integer(
            1,
            20,
            below=(
                "Helicone accepts it, but then every cache read and save fails silently; use 1 "
                "to 20"
            ),
            above=(
                "Helicone answers every request with HTTP 500 ('Cache bucket size cannot be "
                "greater than 20'), even with caching off; use 1 to 20"
            ),
            # Helicone calls parseInt without a radix here, so "0x10" would be 16.
            radix10=False,
        ),
    ] = None

    seed: Annotated[
        str | None,
        Field(
            alias="Helicone-Cache-Seed",
            description="Partition the cache: requests with different seeds never share entries.",
        ),
        TEXT,
    ] = None

    ignore_keys: Annotated[
        Sequence[str] | None,
        Field(
            alias="Helicone-Cache-Ignore-Keys",
            description=(
                'Top-level JSON body keys left out of the cache key, such as ``["request_id"]``. '
                'Written as ``"request_id"``, the only form Helicone parses (its documented bare '
                "form causes HTTP 500)."
            ),
        ),
        IgnoreKeys(),
        FROZEN,
    ] = None

    @classmethod
    def _check_across_fields(cls, values: dict[str, Any]) -> None:
        super()._check_across_fields(values)
        if not (values["enabled"] or values["save"] or values["read"]):
            raise problem(
                "cache_not_enabled",
                "CacheOptions turns no caching on, and Helicone ignores the other cache options "
                "without Helicone-Cache-Enabled (or -Save / -Read); set enabled=True, or leave "
                "cache unset",
            )
