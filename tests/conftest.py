from __future__ import annotations

import functools
import gc
import json
import os
import warnings
from importlib.metadata import PackageNotFoundError, metadata, requires, version
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings
from packaging.requirements import Requirement

from helicone_headers import (
    CacheOptions,
    HeliconeHeaders,
    PosthogOptions,
    PromptOptions,
    RetryOptions,
    SecurityOptions,
    SessionOptions,
    render_header_docs,
)

from .fakes import Recorder, fake_helicone_log

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator

    from pydantic import BaseModel, ValidationError

# LiteLLM fetches its model cost map from the network at import unless told otherwise; the tests
# talk only to servers they start on 127.0.0.1.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("LITELLM_OFFLINE_MODE", "True")

# Property tests run few examples by default, so that one file runs in seconds; the full run
# (the README's test command, .ci/run) asks for the thorough profile with --hypothesis-profile=ci
# (or HYPOTHESIS_PROFILE=ci). Deadlines are off: CI machines are shared, and a slow example is
# not a wrong one.
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The full run sets this to 1. There a test skipped for want of an extra would let a broken
# install pass as green, so every skip fails instead: a marker's skip (below), and a skip mark,
# `pytest.skip` or `pytest.importorskip` anywhere, at collection (module level) too.
REQUIRE_ALL = "HELICONE_HEADERS_REQUIRE_ALL"


@functools.cache
def missing_from_extra(extra: str) -> list[str]:
    """The distributions of one of this package's extras that are not installed."""
    missing: list[str] = []
    for requirement in map(Requirement, requires("helicone-headers") or []):
        if requirement.marker is None or not requirement.marker.evaluate({"extra": extra}):
            continue
        try:
            version(requirement.name)
        except PackageNotFoundError:
            missing.append(requirement.name)
    return missing


def extra_markers(config: pytest.Config) -> list[str]:
    """The registered markers named after an extra of this package, in their order."""
    extras = set(metadata("helicone-headers").get_all("Provides-Extra") or [])
    return [name for line in config.getini("markers") if (name := line.split(":")[0]) in extras]


# Clients whose pins conflict with the main environment's (the pinned-clients extra): .ci/run
# installs them in a second environment and runs their tests there, as the full run does
# (skips fail). Where the extra is not installed, their tests are not collected at all, rather
# than skipped: they belong to the other environment.
PINNED_CLIENTS = "pinned-clients"
PINNED_AWAY = bool(missing_from_extra(PINNED_CLIENTS))
collect_ignore = (
    ["test_client_llamaindex.py", "test_client_instructor.py", "test_client_crewai.py"]
    if PINNED_AWAY
    else []
)


@pytest.fixture(autouse=True)
def _pinned_clients_leaks(request: pytest.FixtureRequest) -> Iterator[None]:
    """Collect what a pinned client leaves open, right after its test.

    LlamaIndex's OpenAI LLM keeps its own OpenAI client and never closes it; the garbage
    collector finds its socket later, during another test, where the warning would fail that
    one. Collected here, with ResourceWarning ignored for these tests alone.
    """
    yield
    if request.node.get_closest_marker("pinned_clients") is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()


def _leave_pinned_clients_out(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the tests marked pinned_clients where that extra is not installed."""
    away = [item for item in items if PINNED_AWAY and item.get_closest_marker("pinned_clients")]
    if away:
        config.hook.pytest_deselected(items=away)
        items[:] = [item for item in items if item not in away]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip a test whose extras are not installed.

    Doctests carry no markers: one whose examples write YAML needs the yaml extra.
    """
    _leave_pinned_clients_out(config, items)
    extras = extra_markers(config)
    for item in items:
        examples = getattr(getattr(item, "dtest", None), "examples", [])
        if any("yaml" in example.source for example in examples):
            item.add_marker(pytest.mark.yaml)
        # The pinned clients' tests run where .ci/run installed that extra alone and imported
        # its clients first: the main environment's extras are not theirs.
        pinned = item.get_closest_marker("pinned_clients") is not None
        needed = [extra for extra in extras if item.get_closest_marker(extra) and not pinned]
        if missing := [name for extra in needed for name in missing_from_extra(extra)]:
            which = f"extra{'s' * (len(needed) > 1)}: pip install -e '.[{','.join(needed)}]'"
            reason = f"needs the {' and '.join(needed)} {which} (missing: {', '.join(missing)})"
            item.add_marker(pytest.mark.skip(reason=reason))


class RequireAll:
    """With HELICONE_HEADERS_REQUIRE_ALL=1, a skipped test or module is reported as failed."""

    @staticmethod
    def forbidden(report: pytest.CollectReport | pytest.TestReport) -> str:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        return f"{REQUIRE_ALL}=1 (the full run) fails every skip: {reason}"

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(
        self,
    ) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
        report = yield
        if report.skipped and os.environ.get(REQUIRE_ALL) == "1":
            report.outcome, report.longrepr = "failed", self.forbidden(report)
        return report

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        expected_failure = hasattr(report, "wasxfail")
        if report.skipped and not expected_failure and os.environ.get(REQUIRE_ALL) == "1":
            report.outcome, report.longrepr = "failed", self.forbidden(report)
        return report


def pytest_configure(config: pytest.Config) -> None:
    # A plugin rather than hooks of this conftest, so that it also sees the doctests in
    # helicone_headers/, which this directory's conftest hooks do not.
    config.pluginmanager.register(RequireAll(), "helicone-headers-require-all")


KEY = "sk-helicone-t3st000-s3cr3t0-k3y0000-0000001"
EU_KEY = "sk-helicone-eu-aaaaaaa-bbbbbbb-ccccccc-ddddddd"
RL_KEY = "pk-helicone-rl-abcdefg-hijklmn-opqrstu-vwxyz12"


def documented_headers() -> list[str]:
    """Every header name the generated reference documents, in its order."""
    sections = json.loads(render_header_docs("json"))["sections"]
    return [
        row["header"]
        for section in sections
        for row in section["headers"]
        if "<" not in row["header"]  # Helicone-Property-<Name>, Helicone-<Other>
    ]


# Every model whose fields are headers.
HEADER_MODELS: list[type[BaseModel]] = [
    HeliconeHeaders,
    SessionOptions,
    PromptOptions,
    CacheOptions,
    RetryOptions,
    SecurityOptions,
    PosthogOptions,
]

# Headers whose values are secrets, never quoted back.
SECRET_HEADERS = frozenset({"Helicone-Auth", "Helicone-Posthog-Key"})


def messages(
    exc_info: pytest.ExceptionInfo[ValidationError],
) -> list[tuple[tuple[int | str, ...], str, str]]:
    """(loc, type, msg) of each error, for exact asserts."""
    return [
        (error["loc"], error["type"], error["msg"])
        for error in exc_info.value.errors(include_url=False)
    ]


@pytest.fixture(scope="session")
def helicone_log_server() -> Iterator[tuple[str, Recorder]]:
    # LiteLLM builds its Helicone logger once per process, on the first call with
    # success_callback set, and reads HELICONE_API_BASE and HELICONE_API_KEY only then: every test
    # of that route shares this one server.
    with fake_helicone_log() as served:
        yield served


@pytest.fixture
def helicone_log(
    helicone_log_server: tuple[str, Recorder], monkeypatch: pytest.MonkeyPatch
) -> Recorder:
    """The fake Helicone log endpoint, emptied, with LiteLLM pointed at it."""
    url, recorder = helicone_log_server
    monkeypatch.setenv("HELICONE_API_BASE", url)
    monkeypatch.setenv("HELICONE_API_KEY", KEY)
    recorder.requests.clear()
    return recorder
