from __future__ import annotations

import compileall
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import helicone_headers
from helicone_headers import HeliconeHeaders, render_header_docs

from .conftest import HEADER_MODELS, documented_headers

DOCS = Path(__file__).parent.parent / "docs" / "headers.md"


def rows() -> dict[str, dict[str, str]]:
    sections = json.loads(render_header_docs("json"))["sections"]
    return {row["header"]: row for section in sections for row in section["headers"]}


def test_the_committed_reference_matches_the_models() -> None:
    # Regenerate with: python -m helicone_headers docs > docs/headers.md
    assert DOCS.read_text() == render_header_docs()


def test_every_field_has_exactly_one_row_or_group_of_rows() -> None:
    fields = [row["field"].split(".")[0] for row in rows().values()]
    assert set(fields) == set(HeliconeHeaders.model_fields)


def test_every_header_the_models_read_has_a_row() -> None:
    aliases = {
        info.alias
        for model in HEADER_MODELS
        for info in model.model_fields.values()
        if info.alias is not None
    }
    assert aliases - set(documented_headers()) == set()


def test_rows_say_what_helicone_does() -> None:
    documented = rows()
    bucket = documented["Helicone-Cache-Bucket-Max-Size"]
    assert bucket["range"] == "1 … 20"
    assert bucket["default"] == "1"
    assert "HTTP 500" in bucket["odd_values"]
    assert documented["Helicone-Retry-Enabled"]["odd_values"] == (
        "any value, even `false` or empty, turns `retry` on"
    )
    assert documented["Helicone-Omit-Request"]["default"] == "off"
    assert (
        documented["Helicone-Prompt-Mode"]["type"]
        == "`'production' or 'testing' or 'deactivated' or None`"
    )


def test_json_has_the_rows_and_the_schema_by_alias() -> None:
    data = json.loads(render_header_docs("json"))
    titles = [section["title"] for section in data["sections"]]
    assert titles[:3] == ["Authentication", "User and custom properties", "Sessions"]
    assert "Helicone-Auth" in data["schema"]["properties"]
    retry = data["schema"]["$defs"]["RetryOptions"]["properties"]["Helicone-Retry-Num"]
    assert retry["x-helicone-default"] == "5"
    assert retry["description"].startswith("The number of attempts Helicone waits for")


def test_every_field_of_every_model_has_a_description() -> None:
    schema: dict[str, Any] = json.loads(render_header_docs("json"))["schema"]
    definitions = [schema, *(each for each in schema["$defs"].values() if "properties" in each)]
    undocumented = [
        f"{definition['title']}.{name}"
        for definition in definitions
        for name, field in definition["properties"].items()
        if not field.get("description")
    ]
    assert undocumented == []
    assert {"RetryOptions", "Fallback", "RateLimitPolicy"} <= set(schema["$defs"])


def test_the_reference_is_rendered_from_compiled_modules_alone(tmp_path: Path) -> None:
    # An install may ship bytecode only: nothing may read the package's source.
    package = tmp_path / "helicone_headers"
    shutil.copytree(Path(helicone_headers.__file__).parent, package)
    assert compileall.compile_dir(package, legacy=True, quiet=1)
    for source in package.glob("*.py"):
        source.unlink()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import helicone_headers as h; print(h.render_header_docs(), end='')",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.stdout == render_header_docs()


def test_a_reader_finds_one_short_block_per_header() -> None:
    """In a browser, each header is a heading with a few short lines, not a wide table row."""
    page = render_header_docs()
    assert "| --- |" not in page  # no table to wrap at the site's width
    for header in documented_headers():
        assert f"\n### `{header}`\n" in page
    blocks = page.split("\n### ")[1:]
    assert all(max(len(line) for line in block.splitlines()) < 600 for block in blocks)
    # What every text and number shares is said once, at the top, not in every block.
    assert page.count("visible ASCII") == 1
    assert page.count("9007199254740991") == 1


def test_each_header_says_whether_the_logging_callback_carries_it() -> None:
    documented = rows()
    assert documented["Helicone-User-Id"]["route"] == (
        "Helicone's proxy or LiteLLM's logging callback"
    )
    assert documented["Helicone-Cache-Enabled"]["route"] == "Helicone's proxy only"
    assert documented["Helicone-Retry-Enabled"]["type"] == "sent when `retry` is not `None`"
    assert documented["Helicone-Retry-Num"]["range"] == "1 … 100"
    assert documented["Helicone-Cache-Bucket-Max-Size"]["range"] == "1 … 20"


def test_the_response_headers_are_in_the_reference() -> None:
    page = render_header_docs()
    response = page.split("\n## Response headers\n", 1)[1]
    for header in ("Helicone-Id", "Helicone-Cache", "Helicone-RateLimit-Remaining"):
        assert f"\n### `{header}`\n" in response
    assert "`HeliconeResponse.rate_limit_remaining` (`int or float or None`)" in response
