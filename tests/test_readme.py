"""The README opens with its two commands, and the quickstart example prints valid headers."""

from __future__ import annotations

import json
import re
import runpy
from pathlib import Path
from typing import TYPE_CHECKING

from helicone_headers import HeliconeHeaders

if TYPE_CHECKING:
    import pytest

ROOT = Path(__file__).parent.parent


def test_quickstart_prints_headers_that_read_back(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(ROOT / "examples" / "quickstart.py"), run_name="__main__")
    printed = json.loads(capsys.readouterr().out)
    assert printed["Helicone-RateLimit-Policy"] == "100;w=3600;s=user"
    assert HeliconeHeaders.from_headers(printed).to_headers() == printed


def test_the_readme_opens_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    commands = re.findall(r"```bash\n(.*?)\n```", text, flags=re.DOTALL)[:2]
    assert commands[0].endswith("examples/quickstart.py")
    assert commands[1].endswith(
        "HELICONE_HEADERS_REQUIRE_ALL=1 .venv/bin/python -m pytest --cov --hypothesis-profile=ci"
    )
    assert text.index(commands[1]) < text.index("```python")


def test_ci_runs_the_readmes_test_command() -> None:
    text = (ROOT / "README.md").read_text()
    command = re.findall(r"```bash\n(.*?)\n```", text, flags=re.DOTALL)[1]
    test_command = command.split(" && ")[-1]
    assert test_command.startswith("HELICONE_HEADERS_REQUIRE_ALL=1 ")
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()


def test_the_readme_intro_says_what_check_finds() -> None:
    """Each mistake the README's first paragraph names is found by check(), as it says."""
    from helicone_headers import check

    def found(headers: dict[str, str]) -> list[tuple[str, str]]:
        return [(d.severity, d.code) for d in check(headers)]

    intro = (ROOT / "README.md").read_text().split("## ", 1)[0]
    assert '`"True"` leaves moderation off (and caches without logging the hit)' in intro
    moderation = check({"Helicone-Moderations-Enabled": "True"})
    assert [(d.severity, d.code) for d in moderation] == [("error", "flag_value")]
    assert "treats 'True' as off" in moderation[0].message
    cached = check({"Helicone-Cache-Enabled": "True"})
    assert [(d.severity, d.code) for d in cached] == [("warning", "flag_case")]
    assert "logs the request as uncached" in cached[0].message
    assert found({"Helicone-Rate-Limit-Policy": "10;w=60"}) == [("error", "header_name_unknown")]
    assert found({"Helicone-RateLimit-Policy": "10;w=30"}) == [("error", "number_too_small")]
    assert found({"Helicone-Cache-Enabled": "true", "Helicone-Cache-Bucket-Max-Size": "21"}) == [
        ("error", "number_too_large")
    ]
    assert found({"Helicone-Cache-Enabled": "true", "Helicone-Cache-Ignore-Keys": "a,b"}) == [
        ("error", "cache_ignore_keys_syntax")
    ]
