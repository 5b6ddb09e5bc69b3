"""Without an extra its tests skip; in the full run (HELICONE_HEADERS_REQUIRE_ALL=1) a skip fails."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from .conftest import REQUIRE_ALL, RequireAll, extra_markers, missing_from_extra

FAILED, INTERRUPTED = pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.INTERRUPTED


class Skip(NamedTuple):
    """A file with one way to skip a test, and what the full run makes of it."""

    path: str
    source: str
    # A skip mark or a fixture's skip fails the test's setup (an error); a skip at collection is a
    # collection error, which stops the run before any test.
    outcome: dict[str, int]
    code: pytest.ExitCode


SKIPS = [
    pytest.param(
        Skip(
            "test_a.py",
            "import pytest\ndef test_a():\n    pytest.skip('no client')\n",
            {"failed": 1, "passed": 1},
            FAILED,
        ),
        id="pytest.skip in a test",
    ),
    pytest.param(
        Skip(
            "test_a.py",
            "import pytest\n@pytest.mark.skip(reason='no client')\ndef test_a(): pass\n",
            {"errors": 1, "passed": 1},
            FAILED,
        ),
        id="a skip mark",
    ),
    pytest.param(
        Skip(
            "test_a.py",
            "import pytest\n@pytest.fixture\ndef client():\n    pytest.skip('no client')\n"
            "def test_a(client): pass\n",
            {"errors": 1, "passed": 1},
            FAILED,
        ),
        id="pytest.skip in a fixture",
    ),
    pytest.param(
        Skip(
            "test_client_x.py",
            "import pytest\nx = pytest.importorskip('helicone_headers_x')\ndef test_a(): pass\n",
            {"errors": 1},
            INTERRUPTED,
        ),
        id="a module-level importorskip",
    ),
    pytest.param(
        Skip(
            "pkg/mod.py",
            'def f():\n    """\n    >>> f()  # doctest: +SKIP\n    """\n',
            {"failed": 1, "passed": 1},
            FAILED,
        ),
        id="a doctest",
    ),
]


def run(pytester: pytest.Pytester, path: str, source: str) -> pytest.RunResult:
    (pytester.path / path).parent.mkdir(exist_ok=True)
    (pytester.path / path).write_text(source)
    (pytester.path / "test_ok.py").write_text("def test_ok(): pass\n")
    doctests = ["--doctest-modules"] if not path.startswith("test_") else []
    return pytester.runpytest_inprocess(*doctests, "-p", "no:cacheprovider", plugins=[RequireAll()])


@pytest.mark.parametrize("skip", SKIPS)
def test_a_skip_is_a_skip_outside_the_full_run(
    skip: Skip, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(REQUIRE_ALL, raising=False)
    result = run(pytester, skip.path, skip.source)
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.OK


@pytest.mark.parametrize("skip", SKIPS)
def test_a_skip_fails_the_full_run(
    skip: Skip, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REQUIRE_ALL, "1")
    result = run(pytester, skip.path, skip.source)
    result.assert_outcomes(**skip.outcome)
    assert result.ret == skip.code
    result.stdout.fnmatch_lines([f"{REQUIRE_ALL}=1 (the full run) fails every skip: *"])


def test_an_expected_failure_stays_one_in_the_full_run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REQUIRE_ALL, "1")
    result = run(
        pytester, "test_a.py", "import pytest\n@pytest.mark.xfail\ndef test_a():\n    1/0\n"
    )
    result.assert_outcomes(passed=1, xfailed=1)
    assert result.ret == pytest.ExitCode.OK


def test_the_full_run_check_is_on_in_this_run(request: pytest.FixtureRequest) -> None:
    plugin = request.config.pluginmanager.get_plugin("helicone-headers-require-all")
    assert isinstance(plugin, RequireAll)


def test_the_markers_are_the_extras_tests_need(request: pytest.FixtureRequest) -> None:
    assert extra_markers(request.config) == ["integration", "yaml", "proxy", "bench"]
    assert missing_from_extra("test") == []  # this suite runs, so its own extra is installed
