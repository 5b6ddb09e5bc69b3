"""Response caching: Helicone-Cache-*, and Cache-Control for the lifetime (spec §5)."""

from typing import Annotated

from pydantic import Field, model_validator
from typing_extensions import Self

from helicone_headers._base import HeaderModel
from helicone_headers._types import CACHE_CONTROL, TEXT, Flag, IgnoreKeys, Integer, problem

__all__ = ["CacheOptions"]


class CacheOptions(HeaderModel):
    """Serve repeated requests from Helicone's cache.

    Examples:
        >>> CacheOptions(enabled=True, max_age_seconds=3600).to_headers()
        {'Helicone-Cache-Enabled': 'true', 'Cache-Control': 'max-age=3600'}
    """

    enabled: Annotated[bool, Field(alias="Helicone-Cache-Enabled"), Flag("caseless")] = False
    """Read from and save to the cache."""

    save: Annotated[bool, Field(alias="Helicone-Cache-Save"), Flag("caseless")] = False
    """Only save responses to the cache (without enabled)."""

    read: Annotated[bool, Field(alias="Helicone-Cache-Read"), Flag("caseless")] = False
    """Only read responses from the cache (without enabled)."""

    max_age_seconds: Annotated[
        int | None,
        Field(
            alias="Cache-Control",
            json_schema_extra={"x-helicone-default": "`max-age=604800` (7 days)"},
        ),
        CACHE_CONTROL,
    ] = None
    """How long a cached response lives, 60 to 31536000 seconds; Helicone's default is 7 days.
    Sent as the standard ``Cache-Control: max-age=N`` header, which is also forwarded to the
    provider."""

    bucket_max_size: Annotated[
        int | None,
        Field(
            alias="Helicone-Cache-Bucket-Max-Size", json_schema_extra={"x-helicone-default": "1"}
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
    """Keep up to this many responses per request (1 to 20; Helicone's default is 1); a cached
    response is served, at random, once all slots are full."""

    seed: Annotated[str | None, Field(alias="Helicone-Cache-Seed"), TEXT] = None
    """Partition the cache: requests with different seeds never share entries."""

    ignore_keys: Annotated[
        list[str] | None, Field(alias="Helicone-Cache-Ignore-Keys"), IgnoreKeys()
    ] = None
    """Top-level JSON body keys left out of the cache key, such as ``["request_id"]``. Written as
    ``"request_id"``, the only form Helicone parses (its documented bare form causes HTTP 500)."""

    @model_validator(mode="after")
    def _check_switched_on(self) -> Self:
        if not (self.enabled or self.save or self.read):
            raise problem(
                "cache_not_enabled",
                "CacheOptions turns no caching on, and Helicone ignores the other cache options "
                "without Helicone-Cache-Enabled (or -Save / -Read); set enabled=True, or leave "
                "cache unset",
            )
        return self
