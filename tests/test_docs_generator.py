from __future__ import annotations

import json
from pathlib import Path

from helicone_headers import HeliconeHeaders, render_header_docs
from helicone_headers._docs import SECTIONS, field_docs, header_rows, models
from helicone_headers._names import routes

DOCS = Path(__file__).parent.parent / "docs" / "headers.md"


def test_the_committed_reference_matches_the_models() -> None:
    # Regenerate with: python -m helicone_headers docs > docs/headers.md
    assert DOCS.read_text() == render_header_docs()


def test_every_field_is_in_exactly_one_section() -> None:
    placed = [name for _, names in SECTIONS for name in names]
    assert sorted(placed) == sorted(HeliconeHeaders.model_fields)


def test_every_header_has_a_row() -> None:
    documented = {row["header"].lower() for _, rows in header_rows() for row in rows}
    primary = {route.header.lower() for route in routes(HeliconeHeaders).values()}
    # The legacy security name is read but never written, so it has no row of its own.
    assert primary - documented == {"helicone-prompt-security-enabled"}


def test_rows_say_what_helicone_does() -> None:
    rows = {row["header"]: row for _, section in header_rows() for row in section}
    bucket = rows["Helicone-Cache-Bucket-Max-Size"]
    assert bucket["range"] == "1 … 20"
    assert bucket["default"] == "1"
    assert "HTTP 500" in bucket["odd_values"]
    assert rows["Helicone-Retry-Enabled"]["odd_values"] == (
        "any value, even `false` or empty, turns `retry` on"
    )
    assert rows["Helicone-Omit-Request"]["default"] == "off"
    assert (
        rows["Helicone-Prompt-Mode"]["type"]
        == "`'production' or 'testing' or 'deactivated' or None`"
    )


def test_json_has_the_rows_and_the_schema_by_alias() -> None:
    data = json.loads(render_header_docs("json"))
    assert [section["title"] for section in data["sections"]] == [title for title, _ in SECTIONS]
    assert "Helicone-Auth" in data["schema"]["properties"]
    retry = data["schema"]["$defs"]["RetryOptions"]["properties"]["Helicone-Retry-Num"]
    assert retry["x-helicone-default"] == "5"


def test_every_field_of_every_model_has_a_docstring() -> None:
    undocumented = [
        f"{name}.{field}"
        for name, model in models(HeliconeHeaders).items()
        for field in model.model_fields
        if not field_docs(model).get(field)
    ]
    assert undocumented == []
    assert set(models(HeliconeHeaders)) >= {"RetryOptions", "Fallback", "RateLimitPolicy"}
