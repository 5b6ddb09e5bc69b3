"""The benchmark runs (tiny counts), so it cannot rot. Timing is never asserted here."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

# benchmarks/run.py compares with Portkey's SDK and times a mocked LiteLLM call.
pytestmark = [pytest.mark.bench, pytest.mark.integration]

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "run.py"


def test_the_benchmark_prints_every_case(capsys: pytest.CaptureFixture[str]) -> None:
    namespace = runpy.run_path(str(SCRIPT))
    assert namespace["main"](["--quick"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("Python ")
    cases = [line.split("|")[1].strip() for line in table[4:]]
    assert [case.split(" ")[0] for case in cases] == [
        "1.",
        "1'.",
        "1''.",
        "1'''.",
        "2.",
        "3.",
        "3'.",
        "3''.",
        "4.",
        "4'.",
        "5.",
        "6.",
        "7.",
        "7'.",
    ]
    # Every case measured something, and the headers it built are the literal it compares with.
    assert all(line.split("|")[2].strip().endswith(("us", "ms")) for line in table[4:])
    assert namespace["build_14"]() == namespace["literal_14"]() == namespace["floor_14"]()
    assert namespace["plain_pydantic_14"]()["session"]["Helicone-Session-Id"] == "session-abc-123"
    assert namespace["per_request_merged"]() == namespace["literal_per_request"]()
    assert namespace["per_request_built"]() == namespace["literal_per_request"]()
    assert namespace["litellm_call"]().choices[0].message.content == "ok"
