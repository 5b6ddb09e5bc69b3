"""docs/diagnostics.md lists exactly the codes the package can produce."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
SNAKE = r'"([a-z]+(?:_[a-z]+)+)"'
# Every way the package names an error type or diagnostic code.
PATTERNS = (
    rf"(?:PydanticCustomError|custom_error|Diagnostic|_warning)\(\s*{SNAKE}",
    rf"return \(\s*{SNAKE},",
    rf"empty_error[^=]*=\s*\(\s*{SNAKE}",
    rf"_error\([^()]*?(?:\([^()]*\))?[^()]*?{SNAKE}",
)


def codes_in_source() -> set[str]:
    source = "\n".join(path.read_text() for path in (ROOT / "helicone_headers").glob("*.py"))
    return {code for pattern in PATTERNS for code in re.findall(pattern, source, re.DOTALL)}


def codes_in_docs() -> set[str]:
    text = (ROOT / "docs" / "diagnostics.md").read_text()
    return {
        code
        for row in re.findall(r"^\| (`[^|]+`) \|", text, re.MULTILINE)
        for code in re.findall(r"`([a-z_]+)`", row)
    }


def test_every_code_is_documented_and_every_documented_code_exists() -> None:
    assert codes_in_source() == codes_in_docs()


def test_the_source_scan_finds_codes() -> None:
    assert {"flag_value", "switch_missing", "session_empty", "input_type"} <= codes_in_source()
