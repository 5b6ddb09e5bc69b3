"""Every Python block of README.md runs, and the quickstart example prints a valid header dict."""

from __future__ import annotations

import json
import re
import runpy
from pathlib import Path

import pytest

from helicone_headers import HeliconeHeaders

ROOT = Path(__file__).parent.parent
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.DOTALL)


def test_the_readme_has_python_blocks() -> None:
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block-{i}" for i in range(len(BLOCKS))])
def test_readme_block_runs(source: str) -> None:
    exec(compile(source, "README.md", "exec"), {})  # noqa: S102 - our own documentation


def test_quickstart_prints_headers_that_read_back(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(ROOT / "examples" / "quickstart.py"), run_name="__main__")
    printed = json.loads(capsys.readouterr().out)
    assert printed["Helicone-RateLimit-Policy"] == "100;w=3600;s=user"
    assert HeliconeHeaders.from_headers(printed).to_headers() == printed


def test_the_readme_opens_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    commands = re.findall(r"```bash\n(.*?)\n```", text, flags=re.DOTALL)[:2]
    assert commands[0].endswith("examples/quickstart.py")
    assert commands[1].endswith("python -m pytest")
    assert text.index(commands[1]) < text.index("```python")
