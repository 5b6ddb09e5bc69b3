from __future__ import annotations

import importlib.metadata
import io
import json
import pathlib
import runpy
import subprocess
import sys
import uuid
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import helicone_headers
from helicone_headers import HeliconeHeaders, render_header_docs

from .conftest import KEY

if TYPE_CHECKING:
    from pathlib import Path


# The installed helicone-headers command, called in this process.
main = next(
    point
    for point in importlib.metadata.entry_points(group="console_scripts")
    if point.name == "helicone-headers"
).load()


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


class TestBuild:
    def test_every_flag(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, err = run(
            [
                "build",
                "--api-key",
                KEY,
                "--user-id",
                "u",
                "--property",
                "App=web",
                "--session-id",
                "s",
                "--session-path",
                "/a",
                "--session-name",
                "Agent",
                "--prompt-id",
                "p",
                "--prompt-version",
                "2",
                "--prompt-mode",
                "testing",
                "--cache",
                "--cache-max-age",
                "3600",
                "--cache-bucket-max-size",
                "3",
                "--cache-seed",
                "7",
                "--cache-ignore-key",
                "request_id",
                "--rate-limit",
                "10;w=60;s=user",
                "--retry-max-attempts",
                "3",
                "--retry-factor",
                "1.5",
                "--retry-min-timeout-ms",
                "500",
                "--retry-max-timeout-ms",
                "5000",
                "--llm-security",
                "--llm-security-advanced",
                "--moderations",
                "--model-override",
                "gpt-4o",
                "--omit-request",
                "--omit-response",
                "--request-id",
                "8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b",
                "--token-limit-handler",
                "truncate",
                "--posthog-key",
                "phc_x",
                "--posthog-host",
                "https://eu.posthog.com",
                "--stream-usage",
                "--target-url",
                "https://api.lemonfox.ai",
                "--openai-api-base",
                "https://x.openai.azure.com",
                "--header",
                "Helicone-Node-Id=n1",
            ],
            capsys,
        )
        assert code == 0
        # The legacy prompt headers are deprecated in Helicone's docs: build warns, as check does.
        assert [line.split(" ")[1] for line in err.splitlines()] == ["[deprecated_header]"] * 3
        printed = json.loads(out)
        assert len(printed) == 34
        assert printed["Helicone-RateLimit-Policy"] == "10;w=60;s=user"
        assert printed["Helicone-Retry-Factor"] == "1.5"
        assert HeliconeHeaders.from_headers(printed).to_headers() == printed

    def test_retry_with_defaults_and_new_ids(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(["build", "--retry", "--new-request-id", "--new-session"], capsys)
        printed = json.loads(out)
        assert code == 0
        assert printed["Helicone-Retry-Enabled"] == "true"
        assert uuid.UUID(printed["Helicone-Request-Id"]).version == 4
        assert uuid.UUID(printed["Helicone-Session-Id"]).version == 4

    def test_key_from_the_environment(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("HELICONE_API_KEY", KEY)
        assert json.loads(run(["build", "--from-env"], capsys)[1]) == {
            "Helicone-Auth": f"Bearer {KEY}"
        }

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (
                ["build", "--cache-bucket-max-size", "21", "--cache"],
                "error: Helicone-Cache-Bucket-Max-Size (bucket_max_size): 21 is above 20: Helicone "
                "answers every request with HTTP 500 ('Cache bucket size cannot be greater than "
                "20'), even with caching off; use 1 to 20\n",
            ),
            (["build", "--property", "App"], "error: --property takes NAME=VALUE, got 'App'\n"),
            (
                ["build", "--rate-limit", "10;w=30"],
                "error: Helicone-RateLimit-Policy (rate_limit): window_seconds: 30 is below 60: "
                "Helicone requires a window of at least 60 seconds; Helicone ignores the whole "
                "policy and applies no rate limit\n",
            ),
        ],
    )
    def test_unusable_flags_exit_1_with_the_reason(
        self, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert run(argv, capsys) == (1, "", message)


class TestCheck:
    def test_text_output_and_exit_code(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "h.json"
        path.write_text(json.dumps({"Helicone-Rate-Limit-Policy": "10;w=60"}))
        code, out, _ = run(["check", str(path)], capsys)
        assert code == 1
        assert out == (
            "error [header_name_unknown] Helicone-Rate-Limit-Policy: Helicone does not read "
            "'Helicone-Rate-Limit-Policy' and silently drops it before the provider; did you mean "
            "'Helicone-RateLimit-Policy'?\n"
        )

    def test_warnings_alone_exit_zero(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO('{"Helicone-Cache-Enabled": "TRUE"}'))
        code, out, _ = run(["check", "-", "--json"], capsys)
        assert code == 0
        assert [d["code"] for d in json.loads(out)] == ["flag_case"]

    def test_a_clean_dict_reports_no_problems(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO('{"Helicone-User-Id": "u"}'))
        assert run(["check", "-"], capsys) == (0, "no problems found\n", "")

    def test_unreadable_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        path = tmp_path / "missing.json"
        code, out, err = run(["check", str(path)], capsys)
        assert (code, out) == (1, "")
        assert err.startswith(f"error: cannot read a JSON object from {str(path)!r}: ")


class TestPolicy:
    def test_a_policy_is_normalised_and_explained(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert run(["policy", "10;W=60;S=User"], capsys) == (
            0,
            "10;w=60;s=user: at most 10 requests per 60 seconds, counted per Helicone-User-Id "
            "(send user_id), refilled continuously at 0.166667 requests per second\n",
            "",
        )

    def test_global_policy_as_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(["policy", "1000;w=86400", "--json"], capsys)
        assert code == 0
        assert json.loads(out) == {
            "policy": "1000;w=86400",
            "quota": 1000.0,
            "window_seconds": 86400,
            "unit": "request",
            "segment": None,
            "refill_per_second": 1000 / 86400,
            "explanation": "at most 1000 requests per 86400 seconds, shared by all requests of the "
            "organisation, refilled continuously at 0.0115741 requests per second",
        }

    def test_an_unparsable_policy_exits_1_with_the_grammar(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert run(["policy", "10;s=user;w=60"], capsys) == (
            1,
            "",
            "error: expected <quota>;w=<seconds>[;u=request|cents][;s=user|<property>], got "
            "'10;s=user;w=60' (the parts are out of order: w= first, then u=, then s=): Helicone "
            "ignores a policy it cannot parse and applies no rate limit\n",
        )


def test_docs_prints_the_reference_in_either_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["docs"], capsys) == (0, render_header_docs(), "")
    assert run(["docs", "--format", "json"], capsys) == (0, render_header_docs("json"), "")


class TestResponse:
    def test_response_headers_print_as_text_and_json(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "r.json"
        path.write_text(
            json.dumps({"helicone-cache": "HIT", "helicone-ratelimit-policy": "5;w=60;u=request"})
        )
        assert run(["response", str(path)], capsys) == (
            0,
            "cache: HIT\nrate_limit_policy: 5;w=60\ncache_hit: True\n",
            "",
        )
        _code, out, _ = run(["response", str(path), "--json"], capsys)
        assert json.loads(out) == {"cache": "HIT", "rate_limit_policy": "5;w=60", "cache_hit": True}

    def test_without_a_policy(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        path = tmp_path / "r.json"
        path.write_text(json.dumps({"helicone-id": "x"}))
        assert run(["response", str(path)], capsys) == (0, "id: x\ncache_hit: None\n", "")

    def test_a_json_list_is_refused_as_response_headers(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "r.json"
        path.write_text("[1]")
        assert run(["response", str(path)], capsys) == (
            1,
            "",
            "error: expected a JSON object of response headers, got list\n",
        )


def test_a_real_process_run() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "helicone_headers", "policy", "10;w=60"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "10;w=60: at most 10 requests per 60 seconds, shared by all requests of the organisation, "
        "refilled continuously at 0.166667 requests per second\n",
        "",
    )


def test_python_dash_m(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.argv", ["helicone-headers", "policy", "5;w=60;u=cents"])
    with pytest.raises(SystemExit) as exc_info:
        runpy.run_module("helicone_headers", run_name="__main__")
    assert exc_info.value.code == 0
    assert capsys.readouterr().out.startswith("5;w=60;u=cents: at most 5 cents per 60 seconds")


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc_info:
        main(["--version"])
    assert exc_info.value.code == 0
    assert capsys.readouterr().out == f"helicone-headers {helicone_headers.__version__}\n"


def test_check_reads_a_json_list_of_pairs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pairs = '[["Helicone-User-Id", "u"], ["helicone-user-id", "v"]]'
    monkeypatch.setattr("sys.stdin", io.StringIO(pairs))
    code, out, err = run(["check", "-"], capsys)
    assert (code, err) == (1, "")
    assert out.startswith("error [header_repeated] helicone-user-id (user_id): is sent twice")
    monkeypatch.setattr("sys.stdin", io.StringIO('[["a", "b", "c"]]'))
    assert run(["check", "-"], capsys)[:2] == (
        1,
        "error [input_type] expected a dict of header names to values, got list\n",
    )


def test_build_warns_on_stderr_as_check_would(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["build", "--rate-limit", "10;w=60;s=user"], capsys)
    assert (code, json.loads(out)) == (0, {"Helicone-RateLimit-Policy": "10;w=60;s=user"})
    assert err == (
        "warning [rate_limit_user_missing] Helicone-RateLimit-Policy: s=user limits each "
        "Helicone-User-Id, but none is sent; Helicone then uses the body's 'user' field and, "
        "without one, applies no limit at all (it fails open); send Helicone-User-Id (user_id)\n"
    )


class TestFix:
    def test_a_broken_file_is_printed_fixed_with_the_changes_on_stderr(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "headers.json"
        path.write_text(
            json.dumps({"Helicone-Rate-Limit-Policy": "10;w=30", "Helicone-Cache-Enabled": "True"})
        )
        code, out, err = run(["fix", str(path)], capsys)
        assert code == 0
        assert json.loads(out) == {
            "Helicone-RateLimit-Policy": "20;w=60",
            "Helicone-Cache-Enabled": "true",
        }
        assert err == (
            "fixed [header_name_unknown] Helicone-Rate-Limit-Policy -> Helicone-RateLimit-Policy\n"
            "fixed [number_too_small] Helicone-RateLimit-Policy: '10;w=30' -> '20;w=60'\n"
            "fixed [flag_case] Helicone-Cache-Enabled: 'True' -> Helicone-Cache-Enabled: 'true'\n"
        )

    def test_an_error_it_cannot_fix_is_left_out_and_exits_1(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        broken = {"Helicone-Cache-Enabled": "true", "Helicone-Cache-Bucket-Max-Size": "21"}
        monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(broken)))
        code, out, err = run(["fix", "-", "--json"], capsys)
        assert (code, err) == (1, "")
        report = json.loads(out)
        assert report["headers"] == {"Helicone-Cache-Enabled": "true"}
        assert report["changes"] == [
            {
                "code": "number_too_large",
                "header": "Helicone-Cache-Bucket-Max-Size",
                "message": "Helicone-Cache-Bucket-Max-Size: '21' left out; Helicone then "
                "applies its default, 1",
            }
        ]
        assert [d["code"] for d in report["unfixed"]] == ["number_too_large"]
        monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(broken)))
        code, out, err = run(["fix", "-"], capsys)
        assert code == 1
        assert (
            "\nleft out, error [number_too_large] Helicone-Cache-Bucket-Max-Size (bucket_max_size): "
            "21 is above 20"
        ) in err

    def test_fix_of_what_is_not_a_header_dict(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO('"Helicone-Cache-Enabled: true"'))
        assert run(["fix", "-"], capsys) == (
            1,
            "",
            "error: expected a mapping of header names to values, or an iterable of (name, "
            "value) pairs, got str\n",
        )


json_text = st.one_of(
    st.text(max_size=40),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=15),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=25), inner, max_size=3)
        ),
        max_leaves=8,
    ).map(json.dumps),
    st.sampled_from(["[" * 5000, "9" * 5000, "\udcff", '{"Helicone-Auth": "x\\r\\ny"}']),
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(command=st.sampled_from(["check", "fix", "response"]), text=json_text)
def test_any_input_exits_0_or_1_and_never_shows_a_traceback(command: str, text: str) -> None:
    """Whatever a user pipes in, the answer is output or one `error:` line per error."""
    stdin, stdout, stderr = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(text), io.StringIO(), io.StringIO()
    try:
        code = main([command, "-"])
        err = sys.stderr.getvalue()
    finally:
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    assert code in {0, 1}
    assert "Traceback" not in err
    assert "unexpected" not in err
    lines = err.splitlines()
    assert all(line.startswith(("error: ", "fixed [", "left out, ", "warning [")) for line in lines)


@given(st.text(max_size=40))
def test_any_policy_text_exits_0_or_1_with_one_line_per_error(text: str) -> None:
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    try:
        code = main(["policy", "--", text])
        err = sys.stderr.getvalue()
    finally:
        sys.stdout, sys.stderr = stdout, stderr
    assert code in {0, 1}
    assert all(line.startswith("error: ") for line in err.splitlines())
    assert (code == 1) == bool(err)


def test_cli_page_names_the_json_keys_of_the_reference(capsys: pytest.CaptureFixture[str]) -> None:
    """What docs/cli.md says `docs --format json` prints is what it prints."""
    code, out, _ = run(["docs", "--format", "json"], capsys)
    reference = json.loads(out)
    page = (pathlib.Path(__file__).parent.parent / "docs" / "cli.md").read_text()
    assert (code, sorted(reference)) == (0, ["schema", "sections"])
    assert all(sorted(section) == ["headers", "title"] for section in reference["sections"])
    keys = {key for section in reference["sections"] for row in section["headers"] for key in row}
    assert keys == {
        "header", "field", "type", "grammar", "range", "default", "odd_values", "route",
        "description",
    }  # fmt: skip
    assert all(f"`{key}`" in page for key in keys)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["build", "--retry-factor", "abc"],
            "helicone-headers build: error: argument --retry-factor: invalid float value: 'abc' "
            "(see helicone-headers build --help)",
            id="a-flag-value-of-the-wrong-kind",
        ),
        pytest.param(
            ["nope"],
            "helicone-headers: error: argument command: invalid choice: 'nope' (choose from "
            "'build', 'proxy-config', 'check', 'fix', 'policy', 'docs', 'response') (see "
            "helicone-headers --help)",
            id="an-unknown-command",
        ),
        pytest.param(
            [],
            "helicone-headers: error: the following arguments are required: command (see "
            "helicone-headers --help)",
            id="no-command",
        ),
    ],
)
def test_a_usage_mistake_is_one_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc_info:
        main(argv)
    assert exc_info.value.code == 2
    assert capsys.readouterr().err == message + "\n"
