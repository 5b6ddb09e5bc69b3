"""docs/diagnostics.md is written from the registry of codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from helicone_headers import HeliconeHeaders, check
from helicone_headers._codes import CODES, diagnostics_markdown

DOCS = Path(__file__).parent.parent / "docs" / "diagnostics.md"


def test_the_committed_page_matches_the_registry() -> None:
    # Regenerate with: python -c "from helicone_headers._codes import diagnostics_markdown as d;
    # print(d(), end='')" > docs/diagnostics.md
    assert DOCS.read_text() == diagnostics_markdown()


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"Helicone-Cache-Bucket-Max-Size": "21"}, "number_too_large"),
        ({"Helicone-Rate-Limit-Policy": "10;w=60"}, "header_name_unknown"),
        ({"Helicone-Cache-Enabled": "TRUE"}, "flag_case"),
    ],
)
def test_errors_and_findings_carry_registered_codes(headers: dict[str, str], code: str) -> None:
    assert code in CODES
    assert code in {diagnostic.code for diagnostic in check(headers)}
    if CODES[code].severity == "error":
        with pytest.raises(ValidationError) as exc_info:
            HeliconeHeaders.from_headers(headers)
        assert code in {error["type"] for error in exc_info.value.errors()}
