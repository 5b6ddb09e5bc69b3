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
    assert commands[1].endswith("python -m pytest")
    assert text.index(commands[1]) < text.index("```python")
