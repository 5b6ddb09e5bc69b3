"""Every Python block in README.md and docs/ runs, page by page, against loopback fakes."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import KEY
from .fakes import fake_openai

if TYPE_CHECKING:
    from .fakes import Recorder

# The pages use LiteLLM, the OpenAI SDK and PyYAML; the pinned clients' guides only what they
# name, and run in an environment of their own (see conftest).
pytestmark = [pytest.mark.integration, pytest.mark.yaml]

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
# A client's guide names the modules it imports; without them the page is skipped (.ci/run installs
# every one, some in a second environment).
REQUIRES = re.compile(r"^<!-- requires: (.+) -->$", re.MULTILINE)


def blocks(page: Path) -> list[str]:
    return BLOCK.findall(page.read_text())


def required_modules(page: Path) -> list[str]:
    return [name for line in REQUIRES.findall(page.read_text()) for name in line.split()]


def test_pages_have_examples() -> None:
    with_code = [page.relative_to(ROOT).as_posix() for page in PAGES if blocks(page)]
    assert len(with_code) >= 9, with_code


# The modules of the pinned-clients extra: their guides run in .ci/run's second environment.
PINNED_MODULES = frozenset({"instructor", "llama_index.llms.helicone", "crewai"})


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(
            page,
            marks=[pytest.mark.pinned_clients]
            if PINNED_MODULES & set(required_modules(page))
            else [],
        )
        for page in PAGES
        if blocks(page)
    ],
    ids=lambda page: page.relative_to(ROOT).as_posix(),
)
def test_page_blocks_run(
    page: Path, monkeypatch: pytest.MonkeyPatch, helicone_log: Recorder
) -> None:
    for module in required_modules(page):
        reason = f"needs {module}, which .ci/run installs (the pinned-clients extra in its second environment)"
        pytest.importorskip(module, reason=reason)
    monkeypatch.setenv("HELICONE_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    # The helicone_log fixture points LiteLLM's HELICONE_API_BASE at the fake log endpoint.
    monkeypatch.setenv("HELICONE_LOG_URL", os.environ["HELICONE_API_BASE"])
    # CrewAI reports to its own telemetry service unless told not to.
    monkeypatch.setenv("CREWAI_DISABLE_TELEMETRY", "true")
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    namespace: dict[str, object] = {"__name__": "__docs__"}
    with fake_openai() as (url, recorder):
        for variable in ("HELICONE_BASE_URL", "HELICONE_GATEWAY_URL", "OPENAI_BASE_URL"):
            monkeypatch.setenv(variable, f"{url}/v1")
        monkeypatch.setenv("HELICONE_ANTHROPIC_URL", url)  # the Anthropic SDK adds /v1 itself
        try:
            for source in blocks(page):
                # Blocks of one page build on each other, as a reader would run them.
                # dont_inherit: run as a reader runs them, without this module's __future__ import.
                code = compile(source, str(page), "exec", dont_inherit=True)
                exec(code, namespace)  # noqa: S102 - our own docs
        finally:
            litellm = sys.modules.get("litellm")  # not every environment has it
            if litellm is not None:
                # A page may set LiteLLM's module-wide state; the next page starts without it.
                setattr(litellm, "success_callback", [])  # noqa: B010 - a module found at run time
                setattr(litellm, "headers", None)  # noqa: B010
    # Every call a page makes went to the fakes, never beyond 127.0.0.1.
    assert all(request.path.startswith("/v1/") for request in recorder.requests)
    if any('success_callback = ["helicone"]' in source for source in blocks(page)):
        assert helicone_log.wait()[0].path == "/oai/v1/log"
    if any("HeliconeManualLogger(" in source for source in blocks(page)):
        assert helicone_log.wait()[0].path == "/custom/v1/log"


@pytest.mark.parametrize("page", ["index.md", "guides/litellm-proxy.md"])
def test_code_fits_without_sideways_scrolling(page: str) -> None:
    """At the site's width a code block shows about 80 characters before it scrolls."""
    text = (ROOT / "docs" / page).read_text()
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, re.DOTALL)
    assert blocks
    assert [line for block in blocks for line in block.splitlines() if len(line) > 78] == []
