from __future__ import annotations

import re

import pytest

from helicone_headers import check

from .conftest import HEADER_MODELS

HEADER_NAME = re.compile(r"(Helicone-[A-Za-z0-9-]+|Cache-Control)")


def test_every_alias_is_unique_and_well_formed() -> None:
    aliases = [
        info.alias
        for model in HEADER_MODELS
        for info in model.model_fields.values()
        if info.alias is not None
    ]
    assert len(aliases) == len({alias.lower() for alias in aliases})
    assert all(HEADER_NAME.fullmatch(alias) for alias in aliases), aliases


@pytest.mark.parametrize(
    "header",
    [
        "Helicone-Auth",
        "Helicone-User-Id",
        "Helicone-Session-Id",
        "Helicone-Session-Path",
        "Helicone-Session-Name",
        "Helicone-Prompt-Id",
        "Helicone-Prompt-Version",
        "Helicone-Prompt-Mode",
        "Helicone-Cache-Enabled",
        "Helicone-Cache-Save",
        "Helicone-Cache-Read",
        "Helicone-Cache-Seed",
        "Helicone-Cache-Bucket-Max-Size",
        "Helicone-Cache-Ignore-Keys",
        "Cache-Control",
        "Helicone-RateLimit-Policy",
        "Helicone-Retry-Enabled",
        "Helicone-Retry-Num",
        "Helicone-Retry-Factor",
        "Helicone-Retry-Min-Timeout",
        "Helicone-Retry-Max-Timeout",
        "Helicone-Fallbacks",
        "Helicone-Target-URL",
        "Helicone-OpenAI-Api-Base",
        "Helicone-Gateway-Body-Mapping",
        "Helicone-Request-Id",
        "Helicone-Model-Override",
        "Helicone-Omit-Request",
        "Helicone-Omit-Response",
        "Helicone-LLM-Security-Enabled",
        "Helicone-Prompt-Security-Enabled",
        "Helicone-LLM-Security-Advanced",
        "Helicone-Moderations-Enabled",
        "Helicone-Token-Limit-Exception-Handler",
        "Helicone-Stream-Usage",
        "Helicone-Stream-Force-Format",
        "Helicone-Increase-Timeout",
        "Helicone-Posthog-Key",
        "Helicone-Posthog-Host",
    ],
)
def test_every_client_facing_header_of_the_spec_is_modeled(header: str) -> None:
    # A value of any kind: only whether the name is one the library reads is asked here.
    for name in (header, header.lower()):
        codes = {diagnostic.code for diagnostic in check({name: "x"})}
        assert not codes & {"header_name_unknown", "header_unknown"}, codes
