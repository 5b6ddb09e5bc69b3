"""docs/diagnostics.md is written from the registry of codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from helicone_headers import HeliconeHeaders, check

from .test_cli import run

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
