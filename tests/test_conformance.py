"""Conformance corpus: header dicts, what Helicone's code does with them, and where it decides.

Each case holds facts read from Helicone's worker code (the fork ryoma-bookrack/helicone at
commit 386924fb0, which holds the same worker code as Helicone/helicone; the approved-domain list
is Helicone/helicone's own at commit 0003b753): the headers, what Helicone does (``500``: every
request fails; ``dropped``: the setting is ignored; ``misread``: something else than meant is
applied; ``applied``: applied as written), and the ``file:line`` that decides it. The library
must report an error exactly when Helicone does not apply the value as meant. Lines are counted
at 386924fb0, the commit the package models (README, docs/index.md); tests/test_citations.py
checks each against tests/helicone-manifest.txt.

Paths: ``HH`` worker/src/lib/models/HeliconeHeaders.ts, ``RW`` worker/src/lib/RequestWrapper.ts,
``HPR`` worker/src/lib/models/HeliconeProxyRequest.ts, ``MAP`` packages/cost/providers/mappings.ts,
``PC`` worker/src/lib/clients/ProviderClient.ts, ``GR`` worker/src/routers/gatewayRouter.ts,
``PP`` worker/src/lib/rate-limit/policyParser.ts, ``CS`` worker/src/lib/util/cache/cacheSettings.ts,
``CF`` worker/src/lib/util/cache/cacheFunctions.ts,
``SE`` worker/src/lib/rate-limit/segmentExtractor.ts.
"""

from __future__ import annotations

import json
from typing import Literal, NamedTuple

import pytest
from pydantic import ValidationError

from helicone_headers import HeliconeHeaders, check

from .conftest import KEY

Outcome = Literal["500", "dropped", "misread", "applied"]


class Case(NamedTuple):
    headers: dict[str, str]
    helicone: Outcome
    errors: tuple[str, ...]
    """The error codes check() reports: none exactly when Helicone applies the value as meant."""
    source: str


CACHE_ON = {"Helicone-Cache-Enabled": "true"}
RETRY_ON = {"Helicone-Retry-Enabled": "true"}
AUTH = {"Helicone-Auth": f"Bearer {KEY}"}


def fallbacks(*entries: dict[str, object]) -> dict[str, str]:
    return {"Helicone-Fallbacks": json.dumps(list(entries))}


ENTRY: dict[str, object] = {"target-url": "https://api.openai.com", "headers": {}, "onCodes": [500]}

# Origins on Helicone's approved list (MAP:31-99, tested in HPR:211-216), each with a path that
# Helicone drops (PC:180, new URL(apiBase).origin).
APPROVED = [
    "https://api.openai.com",
    "https://api.anthropic.com",
    "https://api.llama.com",
    "https://integrate.api.nvidia.com",
    "https://my-resource.openai.azure.com",
    "https://my-resource.azure-api.net",
    "https://my-resource.cognitiveservices.azure.com",
    "https://my-resource.services.ai.azure.com",
    "https://api.tokenfactory.nebius.com",
    "https://oai.hconeai.com",
    "https://inference.helicone.ai",
    "https://x.amdbartek.dev",
    "https://api.endpoints.anyscale.com",
    "https://gateway.ai.cloudflare.com",
    "https://api.x.ai",
    "https://api.2yfv.com",
    "https://api.together.xyz",
    "https://api.lemonfox.ai",
    "https://api.fireworks.ai",
    "https://api.perplexity.ai",
    "https://generativelanguage.googleapis.com",
    "https://openrouter.ai",
    "https://api.openrouter.ai",
    "https://api.wisdominanutshell.academy",
    "https://api.groq.com",
    "https://api.cohere.ai",
    "https://api.mistral.ai",
    "https://api.deepinfra.com",
    "https://qstash.upstash.io",
    "https://api.firecrawl.dev",
    "https://api.deepseek.com",
    "https://api.avian.io",
    "https://api.novita.ai",
    "https://api.openpipe.ai",
    "https://chutes.com",
    "https://llm.chutes.com",
    "https://ai-gateway.vercel.sh",
    "https://api.cerebras.ai",
]
NOT_APPROVED = [
    "https://api.example.com",
    "https://my-resource.openai.azure.co",
    "http://api.openai.com",
    "https://openai.com",
    "https://api.anthropic.co",
]
# Text that Python's urlsplit takes but the WHATWG URL parser of new URL() refuses.
NOT_WHATWG = [
    "https://api example.com",
    "https://api|example.com",
    "https://api.example.com:65536",
    "https://999.1.1.1",
    "https://",
    "api.example.com",
]

CASES: list[Case] = [
    # Helicone-OpenAI-Api-Base: approved origins apply; paths are dropped; others fail.
    *(
        Case({"Helicone-OpenAI-Api-Base": origin}, "applied", (), "HPR:211-216, MAP:345")
        for origin in APPROVED
    ),
    *(
        Case({"Helicone-OpenAI-Api-Base": f"{origin}/v1"}, "misread", ("url_path",), "PC:180")
        for origin in APPROVED
        if "azure" not in origin and "amdbartek" not in origin
    ),
    Case(
        {"Helicone-OpenAI-Api-Base": "https://my-resource.openai.azure.com/openai/deployments/x"},
        "misread",
        ("url_path",),
        "PC:180",
    ),
    *(
        Case({"Helicone-OpenAI-Api-Base": base}, "500", ("api_base_not_approved",), "HPR:226-231")
        for base in NOT_APPROVED
    ),
    Case(
        {"Helicone-OpenAI-Api-Base": "my-resource.openai.azure.com"},
        "500",
        ("url_syntax",),
        "MAP:34-35 approves it, PC:177 new URL() throws",
    ),
    # URLs that new URL() cannot parse.
    *(
        Case({"Helicone-Target-URL": url}, "500", ("url_syntax",), "GR:107")
        for url in NOT_WHATWG
        if url != "https://"
    ),
    *(
        Case(fallbacks({**ENTRY, "target-url": url}), "500", ("url_syntax",), "GR:107")
        for url in NOT_WHATWG
    ),
    Case({"Helicone-Target-URL": "https://api.lemonfox.ai"}, "applied", (), "GR:107"),
    Case({"Helicone-Target-URL": "https://api.lemonfox.ai/v1"}, "misread", ("url_path",), "GR:107"),
    # Helicone-Fallbacks: JSON.parse (HH:234) and the key checks (HH:236-246).
    Case(fallbacks(ENTRY), "applied", (), "HH:229-275"),
    Case(
        fallbacks({"target_url": "https://api.openai.com", "headers": {}, "onCodes": [500]}),
        "500",
        ("fallback_shape",),
        "HH:241",
    ),
    Case(
        fallbacks({"target-url": "https://api.openai.com", "headers": {}, "on_codes": [500]}),
        "500",
        ("fallback_shape",),
        "HH:241",
    ),
    Case(
        fallbacks({**ENTRY, "body_key_override": {"model": "gpt-4o-mini"}}),
        "dropped",
        ("fallback_shape",),
        "HH:229-275 reads bodyKeyOverride only",
    ),
    Case(
        fallbacks({**ENTRY, "bodyKeyOverride": {"model": "gpt-4o-mini"}}),
        "applied",
        (),
        "HH:229-275",
    ),
    *(
        Case(
            {
                "Helicone-Fallbacks": json.dumps([ENTRY])[:-2]
                + f', "bodyKeyOverride": {{"t": {c}}}}}]'
            },
            "500",
            ("fallbacks_syntax",),
            "HH:234 JSON.parse",
        )
        for c in ("NaN", "Infinity", "-Infinity")
    ),
    *(
        Case(
            fallbacks({**ENTRY, "bodyKeyOverride": {"seed": number}}),
            "misread",
            ("fallback_body_override",),
            "HH:234 JSON.parse rounds past 2**53",
        )
        for number in (2**53, -(2**53), 2**64, 10**30)
    ),
    Case(fallbacks({**ENTRY, "bodyKeyOverride": {"seed": 2**53 - 1}}), "applied", (), "HH:234"),
    Case({"Helicone-Fallbacks": "{}"}, "500", ("fallbacks_syntax",), "HH:236"),
    Case({"Helicone-Fallbacks": "gpt-4"}, "500", ("fallbacks_syntax",), "HH:234"),
    Case({"Helicone-Fallbacks": '["gpt-4"]'}, "500", ("fallback_shape",), "HH:241"),
    # Helicone-Auth: RW:558-565.
    Case(AUTH, "applied", (), "RW:558-565"),
    Case({"Helicone-Auth": KEY}, "dropped", ("auth_bearer",), "RW:558-559"),
    Case({"Helicone-Auth": f"bearer {KEY}"}, "dropped", ("auth_bearer",), "RW:558-559"),
    Case({"Helicone-Auth": f"BEARER {KEY}"}, "dropped", ("auth_bearer",), "RW:558-559"),
    Case({"Helicone-Auth": "Bearer sk-not-a-key"}, "dropped", ("auth_key_format",), "RW:562-565"),
    Case(
        {**AUTH, "Authorization": "Bearer sk-helicone-a, Bearer pk-helicone-b"},
        "500",
        ("auth_conflict",),
        "RW:96-131",
    ),
    Case(
        {**AUTH, "Authorization": "Bearer sk-provider, Bearer sk-helicone-a"},
        "applied",
        (),
        "RW:96-101 splits only with both key kinds",
    ),
    # Helicone-Retry-Num: parseInt (HH:449), then the retry library's table (PC:184-229).
    *(
        Case({**RETRY_ON, "Helicone-Retry-Num": str(n)}, "applied", (), "HH:449, PC:205")
        for n in (1, 5, 100)
    ),
    *(
        Case(
            {**RETRY_ON, "Helicone-Retry-Num": str(n)},
            "misread",
            ("number_too_large",),
            "HH:449, PC:192 builds every delay first",
        )
        for n in (101, 3_000_000)
    ),
    # Helicone-RateLimit-Policy: JavaScript's trim() (PP:59) keeps what Python's strip() drops.
    Case({"Helicone-RateLimit-Policy": "10;w=60"}, "applied", (), "PP:59-78"),
    Case({"Helicone-RateLimit-Policy": "10;w=30"}, "dropped", ("number_too_small",), "PP:100"),
    Case(
        {"Helicone-RateLimit-Policy": "10;w=31536001"}, "dropped", ("number_too_large",), "PP:109"
    ),
    Case({"Helicone-RateLimit-Policy": "0;w=60"}, "dropped", ("number_too_small",), "PP:85"),
    Case(
        {"Helicone-RateLimit-Policy": "10;s=user;w=60"},
        "dropped",
        ("rate_limit_policy_syntax",),
        "PP:65-69",
    ),
    # Helicone-Cache-Ignore-Keys: JSON.parse("[" + v + "]") (HH:381), then delete json[key]
    # with each item as a property name (CF:21-31).
    Case({**CACHE_ON, "Helicone-Cache-Ignore-Keys": '"a","b"'}, "applied", (), "HH:381, CF:25"),
    Case(
        {**CACHE_ON, "Helicone-Cache-Ignore-Keys": "a,b"},
        "500",
        ("cache_ignore_keys_syntax",),
        "HH:381",
    ),
    Case(
        {**CACHE_ON, "Helicone-Cache-Ignore-Keys": "NaN"},
        "500",
        ("cache_ignore_keys_syntax",),
        "HH:381",
    ),
    *(
        Case(
            {**CACHE_ON, "Helicone-Cache-Ignore-Keys": value},
            "misread",
            ("cache_ignore_keys_syntax",),
            "CF:25 delete json[key]",
        )
        for value in ("1", "true", '["a","b"]', '{"a":1}', "null", "1.5", "1e21", "[null,2]")
    ),
    # Cache bucket size (CS:78) and the exact-true flags (HH:389-390, 413, 467-469).
    *(
        Case({**CACHE_ON, "Helicone-Cache-Bucket-Max-Size": str(n)}, "applied", (), "CS:78")
        for n in (1, 20)
    ),
    Case(
        {**CACHE_ON, "Helicone-Cache-Bucket-Max-Size": "21"},
        "500",
        ("number_too_large",),
        "CS:78",
    ),
    *(
        Case({header: "true"}, "applied", (), source)
        for header, source in (
            ("Helicone-Omit-Request", "HH:390"),
            ("Helicone-Omit-Response", "HH:389"),
            ("Helicone-Moderations-Enabled", "HH:413"),
            ("Helicone-Stream-Force-Format", "HH:467"),
            ("Helicone-Increase-Timeout", "HH:468"),
            ("Helicone-Stream-Usage", "HH:469"),
        )
    ),
    *(
        Case({header: value}, "dropped", ("flag_value",), source)
        for header, source in (
            ("Helicone-Omit-Request", "HH:390"),
            ("Helicone-Omit-Response", "HH:389"),
            ("Helicone-Moderations-Enabled", "HH:413"),
            ("Helicone-Stream-Force-Format", "HH:467"),
            ("Helicone-Increase-Timeout", "HH:468"),
            ("Helicone-Stream-Usage", "HH:469"),
        )
        for value in ("True", "TRUE", "yes", "on", "1")
    ),
    # LLM-Security-Advanced is on for any non-empty value (HH:411): an off word turns it ON.
    *(
        Case({"Helicone-LLM-Security-Advanced": value}, "misread", ("flag_value",), "HH:411")
        for value in ("false", "0", "no", "off")
    ),
    # Whole numbers: parseInt reads a numeric prefix (HH:449-455, bucket without radix HH:377).
    *(
        Case({**RETRY_ON, header: value}, "misread", ("number_syntax",), source)
        for header, source in (
            ("Helicone-Retry-Num", "HH:449"),
            ("Helicone-Retry-Min-Timeout", "HH:451"),
            ("Helicone-Retry-Max-Timeout", "HH:455"),
        )
        for value in ("5abc", "10.5", "1e3", "five", "0x10")
    ),
    *(
        Case(
            {**CACHE_ON, "Helicone-Cache-Bucket-Max-Size": value},
            "misread",
            ("number_syntax",),
            "HH:377",
        )
        for value in ("0x10", "3abc", "2.5", "three")
    ),
    *(
        Case({**RETRY_ON, "Helicone-Retry-Factor": value}, "misread", ("number_syntax",), "HH:450")
        for value in ("2x", "x", "1.5.2")
    ),
    # Policies out of Helicone's grammar (PP:65-69) or range (PP:85-112).
    *(
        Case({"Helicone-RateLimit-Policy": text}, "dropped", (code,), source)
        for text, code, source in (
            ("10;w=59", "number_too_small", "PP:100"),
            ("10;w=60;u=dollars", "rate_limit_policy_syntax", "PP:65-69"),
            ("10;w=60;s=my tenant", "rate_limit_policy_syntax", "PP:65-69"),
            ("10; w=60", "rate_limit_policy_syntax", "PP:65-69"),
            ("10;w=60;", "rate_limit_policy_syntax", "PP:65-69"),
            ("basic-100", "rate_limit_policy_syntax", "PP:65-69"),
            ("-1;w=60", "rate_limit_policy_syntax", "PP:65-69"),
        )
    ),
    *(
        Case({"Helicone-RateLimit-Policy": text}, "applied", (), "PP:59-78")
        for text in ("10;w=60;u=cents", "10;W=60;U=CENTS", "0.5;w=3600;s=user", "100;w=31536000")
    ),
    # Identity, sessions, model override: taken as given (HH:387-402); the request id only if it
    # is a UUID of versions 1 to 5 (HH:350, 543-547), else replaced by a random one.
    Case({"Helicone-User-Id": "user-1"}, "applied", (), "HH:387"),
    Case(
        {"Helicone-Session-Id": "s-1", "Helicone-Session-Path": "/a/b"}, "applied", (), "HH:394-395"
    ),
    Case({"Helicone-Session-Name": "Agent"}, "applied", (), "HH:396"),
    Case({"Helicone-Model-Override": "gpt-4o"}, "applied", (), "HH:402"),
    Case(
        {"Helicone-Property-App": "web", "Helicone-Property-my_team": "a"},
        "applied",
        (),
        "HH:480-490",
    ),
    Case({"Helicone-Posthog-Key": "phc_x"}, "applied", (), "HH:416"),
    Case(
        {"Helicone-Posthog-Key": "phc_x", "Helicone-Posthog-Host": "https://eu.posthog.com"},
        "applied",
        (),
        "HH:416-419",
    ),
    Case(
        {"Helicone-Posthog-Host": "https://eu.posthog.com"},
        "dropped",
        ("posthog_key_missing",),
        "HH:493 sends events only with a key",
    ),
    *(
        Case({"Helicone-Request-Id": text}, "applied", (), "HH:543-547")
        for text in (
            "8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b",
            "8A4B2B8E-5B7D-4C1E-9F3A-2D6C8E0F1A2B",
            "c232ab00-9414-11ec-b3c8-9f6bdeced846",
        )
    ),
    *(
        Case({"Helicone-Request-Id": text}, "dropped", ("request_id_format",), "HH:543-547")
        for text in (
            "0190b3a2-7c4e-7d9a-8f3b-2c1d0e9f8a7b",
            "00000000-0000-0000-0000-000000000000",
            "8a4b2b8e-5b7d-4c1e-cf3a-2d6c8e0f1a2b",
            "request-1",
            "8a4b2b8e5b7d4c1e9f3a2d6c8e0f1a2b",
        )
    ),
    # Token-limit handler: lowercased, looked up, else ignored (HH:433-439).
    *(
        Case({"Helicone-Token-Limit-Exception-Handler": word}, "applied", (), "HH:438-439")
        for word in ("truncate", "middle-out", "fallback", "TRUNCATE")
    ),
    *(
        Case(
            {"Helicone-Token-Limit-Exception-Handler": word},
            "dropped",
            ("choice_value",),
            "HH:439",
        )
        for word in ("drop", "middle_out")
    ),
    # Gateway body mapping: exact words, anything else is OPENAI (HH:340-342).
    *(
        Case({"Helicone-Gateway-Body-Mapping": word}, "applied", (), "HH:341-342")
        for word in ("OPENAI", "NO_MAPPING", "RESPONSES")
    ),
    *(
        Case({"Helicone-Gateway-Body-Mapping": word}, "misread", ("choice_value",), "HH:340-343")
        for word in ("no_mapping", "Responses")
    ),
    # Prompt mode: only a non-empty unknown word throws (RW:197).
    Case({"Helicone-Prompt-Mode": "production"}, "applied", (), "RW:197"),
    Case({"Helicone-Prompt-Mode": "Production"}, "500", ("choice_value",), "RW:197"),
]


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{i}-{next(iter(c.headers))}" for i, c in enumerate(CASES)]
)
def test_check_reports_an_error_exactly_when_helicone_does_not_apply_it(case: Case) -> None:
    found = {d.code for d in check(case.headers) if d.severity == "error"}
    assert found == set(case.errors), (case.helicone, case.source, check(case.headers))
    assert (case.helicone == "applied") == (not case.errors)


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case.helicone == "applied"],
    ids=lambda case: next(iter(case.headers)),
)
def test_what_helicone_applies_is_read_and_written_back(case: Case) -> None:
    relevant = {
        name: value
        for name, value in case.headers.items()
        if name.lower().startswith("helicone") or name.lower() == "cache-control"
    }
    model = HeliconeHeaders.from_headers(relevant)
    assert HeliconeHeaders.from_headers(model.to_headers()) == model


# Applied as meant, though not written as to_headers() writes it: read, with one warning.
APPLIED_WITH_WARNING: list[tuple[dict[str, str], str, str]] = [
    *(
        ({**CACHE_ON, "Cache-Control": text}, "cache_control_form", "CS:18-19")
        for text in ("public, max-age=3600", "max-age=3600, must-revalidate", "s-maxage=120")
    ),
    *(
        ({header: word}, "flag_off", source)
        for header, source in (
            ("Helicone-Omit-Request", "HH:390"),
            ("Helicone-Stream-Usage", "HH:469"),
            ("Helicone-Moderations-Enabled", "HH:413"),
        )
        for word in ("false", "0", "no", "off", "False")
    ),
    *(
        ({"Helicone-LLM-Security-Advanced": word}, "flag_case", "HH:411 any non-empty value")
        for word in ("TRUE", "1", "yes", "on")
    ),
    ({"Helicone-LLM-Security-Enabled": "TRUE"}, "flag_case", "HH:406-409 toLowerCase()"),
    *(
        ({"Helicone-Retry-Enabled": word}, "switch_form", "HH:448, PC:192 presence only")
        for word in ("1", "TRUE", "yes", "on")
    ),
    *(
        ({**RETRY_ON, "Helicone-Retry-Num": text}, "number_form", "HH:449 parseInt")
        for text in ("+5", "05", "+05")
    ),
    ({**CACHE_ON, "Helicone-Cache-Bucket-Max-Size": "03"}, "number_form", "HH:377 parseInt"),
    ({**RETRY_ON, "Helicone-Retry-Min-Timeout": "-0"}, "number_form", "HH:451 parseInt"),
    *(
        ({**RETRY_ON, "Helicone-Retry-Factor": text}, "number_form", "HH:450 parseFloat")
        for text in (".5", "5.", "1e3", "+2", "2.50")
    ),
    ({"Helicone-Auth": f"Bearer  {KEY}"}, "auth_form", "RW:562 replace, then trim"),
    (
        {"Helicone-User-Id": " user-1 "},
        "outer_space",
        "https://fetch.spec.whatwg.org/#concept-header-value-normalize",
    ),
]


@pytest.mark.parametrize(("headers", "warning", "source"), APPLIED_WITH_WARNING)
def test_what_helicone_applies_as_meant_is_read_with_a_warning(
    headers: dict[str, str], warning: str, source: str
) -> None:
    found = check(headers)
    assert [(d.severity, d.code) for d in found] == [("warning", warning)], source
    model = HeliconeHeaders.from_headers(headers)
    assert check(model.to_headers()) == []


# What works, but likely not as meant: check() warns (the codes are warnings, not errors).
WARNING_CASES: list[tuple[dict[str, str], str | None, str]] = [
    (
        {"Helicone-RateLimit-Policy": "10;w=60;s=helicone-session-id", "Helicone-Session-Id": "s"},
        None,
        "Helicone adds the session id to the properties it limits by",
    ),
    (
        {"Helicone-RateLimit-Policy": "10;w=60;s=helicone-session-id"},
        "rate_limit_property_missing",
        "without a session id no limit applies",
    ),
    ({"Helicone-RateLimit-Policy": "10;w=60;s=user"}, "rate_limit_user_missing", "SE:63-72"),
    ({"Helicone-Session-Path": "plan"}, "session_path_form", "HH:395 taken as given"),
    ({"Helicone-Prompt-Id": "p-1"}, "deprecated_header", "HH:365"),
    ({"Helicone-Prompt-Version": "v1"}, "deprecated_header", "HH:367"),
    ({**CACHE_ON, "Helicone-Cache-Seed": "v1"}, "cache_seed_not_logged", "HH:373-374 parseInt"),
    ({**CACHE_ON, "Helicone-Cache-Seed": "42"}, None, "HH:373-374"),
    ({"Helicone-Prompt-Security-Enabled": "true"}, "legacy_header", "HH:406-409"),
    ({"Helicone-Node-Id": "n-1"}, None, "HH:398: legacy nodes, read"),
]


@pytest.mark.parametrize(("headers", "warning", "source"), WARNING_CASES)
def test_warnings_follow_what_helicone_applies(
    headers: dict[str, str], warning: str | None, source: str
) -> None:
    found = check(headers)
    assert [d.code for d in found if d.severity == "warning"] == ([warning] if warning else [])
    assert [d for d in found if d.severity == "error"] == [], source


def test_a_fallback_built_in_python_is_held_to_json_parse() -> None:
    # json.dumps writes NaN, which JSON.parse refuses (HH:234): the model refuses to write it.
    for number in (float("nan"), float("inf"), 2**53):
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders(fallbacks=[{**ENTRY, "bodyKeyOverride": {"t": number}}])  # type: ignore[list-item]
        assert [error["type"] for error in exc_info.value.errors()] == ["fallback_body_override"]


def test_the_corpus_is_large_and_covers_each_outcome() -> None:
    assert len(CASES) + len(APPLIED_WITH_WARNING) + len(WARNING_CASES) >= 250
    assert {case.helicone for case in CASES} == {"500", "dropped", "misread", "applied"}
