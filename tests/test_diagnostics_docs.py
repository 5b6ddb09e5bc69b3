"""docs/diagnostics.md is written from the registry of codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pydantic import ValidationError

from helicone_headers import CacheOptions, HeliconeHeaders, RateLimitPolicy, check

from .test_cli import run

if TYPE_CHECKING:
    from collections.abc import Callable

DOCS = Path(__file__).parent.parent / "docs" / "diagnostics.md"


def registry(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """Each registered code and its severity, as the command line lists them."""
    code, out, _ = run(["docs", "--diagnostics", "--format", "json"], capsys)
    assert code == 0
    return {entry["code"]: entry["severity"] for entry in json.loads(out)}


def test_the_committed_page_matches_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    # Regenerate with: python -m helicone_headers docs --diagnostics > docs/diagnostics.md
    code, out, _ = run(["docs", "--diagnostics"], capsys)
    assert (code, out) == (0, DOCS.read_text())


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"Helicone-Cache-Bucket-Max-Size": "21"}, "number_too_large"),
        ({"Helicone-Rate-Limit-Policy": "10;w=60"}, "header_name_unknown"),
        ({"Helicone-Cache-Enabled": "TRUE"}, "flag_case"),
    ],
)
def test_errors_and_findings_carry_registered_codes(
    headers: dict[str, str], code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    severities = registry(capsys)
    assert code in {diagnostic.code for diagnostic in check(headers)}
    if severities[code] == "error":
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders.from_headers(headers)
        assert code in {error["type"] for error in exc_info.value.errors()}


@pytest.mark.parametrize(
    ("build", "kind", "message"),
    [
        pytest.param(
            lambda: HeliconeHeaders.model_validate({"rate_limit": 3}),
            "model_type",
            "Helicone-RateLimit-Policy (rate_limit): Input should be a valid dictionary or "
            "instance of RateLimitPolicy",
            id="a-field-with-a-header",
        ),
        pytest.param(
            lambda: RateLimitPolicy.model_validate({"quota": 1}),
            "missing",
            "window_seconds: Field required",
            id="a-field-without-one",
        ),
        pytest.param(
            lambda: CacheOptions.model_validate({"enabled": True, "ttl": 3600}),
            "extra_forbidden",
            "'ttl' is not an option of CacheOptions; did you mean max_age_seconds?",
            id="an-unknown-keyword",
        ),
    ],
)
def test_pydantic_own_errors_read_as_the_page_says(
    build: Callable[[], object], kind: str, message: str
) -> None:
    with pytest.raises(ValidationError) as exc_info:
        build()
    assert [(e["type"], e["msg"]) for e in exc_info.value.errors()] == [(kind, message)]
    # The page shows the start of each form.
    assert message.split(": ", 1)[0] in " ".join(DOCS.read_text().split())
