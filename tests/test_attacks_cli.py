"""Hostile input to the command line and the LiteLLM proxy config writer and linter, generated.

Whatever it is given, the command line answers with exit code 0, 1 or 2, one line per error and
no traceback; it never shows a value read from the environment or a key it was given, and it
prints no character a terminal would act on.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic_core import Url

from helicone_headers import (
    HeliconeHeaders,
    HeliconeHeadersError,
    check_litellm_config,
    litellm_proxy_yaml,
)

from .test_cli import main
from .test_litellm_config import configs

if TYPE_CHECKING:
    from collections.abc import Iterator

MIB = 1 << 20
COMMANDS = ["build", "proxy-config", "check", "fix", "policy", "docs", "response"]
# What a line on stderr may start with.
STDERR_LINES = ("error: ", "error [", "warning [", "fixed [", "left out, ", "helicone-headers")


@contextlib.contextmanager
def swapped_streams(stdin: bytes) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    saved = sys.stdin, sys.stdout, sys.stderr
    out, err = io.StringIO(), io.StringIO()
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def cli(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    """Run the command line in this process; (exit code, stdout, stderr)."""
    with swapped_streams(stdin) as (out, err):
        try:
            code = main(argv)
        except SystemExit as exc:  # usage mistakes and --help
            code = exc.code
        return code, out.getvalue(), err.getvalue()


def assert_well_behaved(code: int, out: str, err: str) -> None:
    assert code in {0, 1, 2}
    assert "Traceback" not in out + err
    assert "unexpected" not in err  # the last-resort handler: a bug
    assert all(line.startswith(STDERR_LINES) for line in err.splitlines())
    # Every character a terminal would act on is escaped.
    assert all(line.isprintable() for line in (out + err).split("\n"))


@contextlib.contextmanager
def config_file(text: str | bytes) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        yield str(path)


# ---------------------------------------------------------------- environment values never shown

markers = st.from_regex(r"zq[A-Za-z0-9]{14}", fullmatch=True)
# Headers whose values reach messages in many ways: quoted, parsed, compared with each other.
NAMES = [
    "Helicone-Auth",
    "Helicone-Auht",
    "Authorization",
    "Helicone-JWT",
    "Helicone-User-Id",
    "Helicone-Cache-Enabled",
    "Cache-Control",
    "Helicone-RateLimit-Policy",
    "Helicone-Retry-Enabled",
    "Helicone-Retry-Num",
    "Helicone-Retry-Min-Timeout",
    "Helicone-Retry-Max-Timeout",
    "Helicone-Session-Path",
    "Helicone-Fallbacks",
    "Helicone-Property-Tenant",
    "Helicone-Request-Id",
    "Helicone-Target-URL",
]
env_values = st.tuples(
    st.sampled_from(["", "Bearer ", "bearer ", " ", "10;w=", "max-age=", "https://", "TRUE"]),
    st.sampled_from(["", " ", "\n", ";w=60", "\t", ";s=", ".io"]),
)
literal_values = st.sampled_from(["true", "True", "10;w=30", "5000", "1000", "u", "/a", "x\r\n"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    marker=markers,
    referenced=st.dictionaries(st.sampled_from(NAMES), env_values, min_size=1, max_size=4),
    literal=st.dictionaries(st.sampled_from(NAMES), literal_values, max_size=4),
    where=st.sampled_from(["extra_headers", "headers", "settings"]),
)
@example(
    marker="zqAAAAAAAAAAAAAA",
    referenced={"Helicone-Retry-Max-Timeout": ("", "")},
    literal={"Helicone-Retry-Enabled": "true", "Helicone-Retry-Min-Timeout": "5000"},
    where="extra_headers",
)
def test_a_value_read_from_the_environment_is_never_shown(
    marker: str,
    referenced: dict[str, tuple[str, str]],
    literal: dict[str, str],
    where: str,
) -> None:
    environ = {
        f"HH_{index}": before + marker + after
        for index, (before, after) in enumerate(referenced.values())
    }
    headers: dict[str, str] = dict(literal)
    headers.update({name: f"os.environ/HH_{index}" for index, name in enumerate(referenced)})
    config: dict[str, Any] = (
        {"litellm_settings": {"headers": headers}}
        if where == "settings"
        else {"model_list": [{"model_name": "m", "litellm_params": {where: headers}}]}
    )
    with mock.patch.dict(os.environ, environ), config_file(yaml.safe_dump(config)) as path:
        found = check_litellm_config(config) + check_litellm_config(path)
        shown = [repr(found)]
        for argv in (
            ["check", path],
            ["check", path, "--json"],
            ["fix", path],
            ["fix", path, "--json"],
        ):
            code, out, err = cli(argv)
            assert_well_behaved(code, out, err)
            shown += [out, err]
    text = "\n".join(shown).casefold()
    assert marker.casefold() not in text
    # The variable is named instead, where a finding concerns the value.
    for diagnostic in found:
        if diagnostic.header in referenced:
            assert "os.environ/HH_" in diagnostic.message


def test_a_finding_on_a_value_from_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CACHE_FLAG", "yes-zq-secret")
    config = {"litellm_settings": {"headers": {"Helicone-Cache-Enabled": "os.environ/CACHE_FLAG"}}}
    assert [d.message for d in check_litellm_config(config)] == [
        "litellm_settings.headers: Helicone-Cache-Enabled: the value of os.environ/CACHE_FLAG "
        "(not shown) has this problem: `True`, `1`, `yes` where Helicone reads only `true` (and "
        "treats the rest as off); `false` on `Helicone-LLM-Security-Advanced`, which any "
        "non-empty value turns on"
    ]


# ----------------------------------------------------------------- secrets given on the command line

secrets = st.from_regex(r"sk-zq[A-Za-z0-9]{20}", fullmatch=True)


def long_flags(command: str) -> list[str]:
    code, out, _ = cli([command, "--help"])
    assert code == 0
    return sorted({word.rstrip(",.") for word in out.split() if word.startswith("--")} - {"--help"})


@pytest.mark.parametrize("command", COMMANDS)
def test_no_command_takes_an_abbreviated_flag(command: str) -> None:
    flags = long_flags(command)
    assert flags or command in {"check", "response", "policy"}  # the others take flags
    for flag in flags:
        abbreviation = flag[:-1]
        if abbreviation in flags:
            continue
        required = {"proxy-config": ["--model", "m=openai/m"], "docs": []}.get(command, ["x"])
        code, _, err = cli([command, *required, abbreviation])
        assert code == 2
        assert "unrecognized arguments: " + abbreviation in err


@settings(max_examples=60, deadline=None)
@given(
    command=st.sampled_from(COMMANDS),
    flag=st.sampled_from(["--api-key", "--api", "--posthog", "--key", "--api-key-env2", "-k"]),
    secret=secrets,
    joined=st.booleans(),
)
def test_a_usage_mistake_never_echoes_a_value(
    command: str, flag: str, secret: str, joined: bool
) -> None:
    given_args = [f"{flag}={secret}"] if joined else [flag, secret]
    code, out, err = cli([command, *given_args, secret])
    assert secret not in out + err
    assert_well_behaved(code, out, err)


def test_proxy_config_says_where_the_key_belongs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc_info:
        main(["proxy-config", "--model", "m=openai/m", "--api-key", "sk-zq-not-shown"])
    assert exc_info.value.code == 2
    assert capsys.readouterr().err == (
        "helicone-headers proxy-config: error: unrecognized arguments: --api-key (1 value not "
        "shown); proxy-config writes no key: the Helicone key belongs in an environment "
        "variable that holds the whole value 'Bearer sk-helicone-...', named by --auth-env "
        "(HELICONE_AUTH by default) (see helicone-headers proxy-config --help)\n"
    )


def test_build_from_env_without_the_variable_speaks_of_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HELICONE_API_KEY", raising=False)
    assert cli(["build", "--from-env"]) == (
        1,
        "",
        "error: --from-env reads the Helicone key from HELICONE_API_KEY, which is not set; "
        "export HELICONE_API_KEY=sk-helicone-... (a key given as --api-key shows in the "
        "process list and the shell's history)\n",
    )


@pytest.mark.parametrize("flag", ["--model", "--property", "--header"])
def test_a_name_given_twice_is_refused_not_dropped(flag: str) -> None:
    pair = {"--model": ("m=openai/a", "m=openai/b"), "--property": ("A=1", "A=2")}.get(
        flag, ("Helicone-Node-Id=a", "Helicone-Node-Id=b")
    )
    name = pair[0].partition("=")[0]
    argv = ["proxy-config", "--model", "other=openai/x", flag, pair[0], flag, pair[1]]
    assert cli(argv) == (
        1,
        "",
        f"error: {flag} gives {name!r} twice; give each NAME once (the later would replace the "
        "earlier)\n",
    )


# ----------------------------------------------------------------- what the config writer writes

SECRET_HEADERS = [
    "Helicone-Auth",
    "Helicone-Posthog-Key",
    "Helicone-JWT",
    "Helicone-Lytix-Key",
    "Helicone-Manual-Access-Key",
    "Authorization",
    "x-api-key",
    "api-key",
]


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    """A secret header name in another case, with '_' for '-', or within two edits."""
    name = list(draw(st.sampled_from(SECRET_HEADERS)))
    for _ in range(draw(st.integers(0, 2))):
        index = draw(st.integers(0, len(name) - 1))
        letter = draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz-"))
        operation = draw(st.sampled_from(["insert", "delete", "replace"]))
        if operation == "insert":
            name.insert(index, letter)
        elif operation == "delete" and len(name) > 2:
            del name[index]
        else:
            name[index] = letter
    text = "".join(name)
    text = text.replace("-", "_") if draw(st.booleans()) else text
    return text.upper() if draw(st.booleans()) else text


@settings(max_examples=150, deadline=None)
@given(name=near_misses(), secret=secrets)
@example(name="Helicone-JWT", secret="sk-zqAAAAAAAAAAAAAAAAAAAA")
@example(name="Helicone-Lytix-Key", secret="sk-zqAAAAAAAAAAAAAAAAAAAA")
@example(name="Helicone-Manual-Access-Key", secret="sk-zqAAAAAAAAAAAAAAAAAAAA")
@example(name="Helicone-Lytix_Kye", secret="sk-zqAAAAAAAAAAAAAAAAAAAA")
def test_no_secret_header_is_written_into_a_proxy_config(name: str, secret: str) -> None:
    try:
        headers = HeliconeHeaders(extra_headers={name: secret})
    except ValidationError:
        return  # refused already: nothing to write
    with pytest.raises(HeliconeHeadersError) as exc_info:
        headers.to_litellm_proxy_model(model_name="m", model="openai/m")
    assert secret not in str(exc_info.value)
    assert f"extra_headers[{name!r}] would write a secret into the config" in str(exc_info.value)
    # Written as a reference to a variable, it is the config LiteLLM needs.
    reference = HeliconeHeaders(extra_headers={name: "os.environ/THE_SECRET"})
    entry = reference.to_litellm_proxy_model(model_name="m", model="openai/m")
    assert entry["litellm_params"]["extra_headers"][name] == "os.environ/THE_SECRET"


def test_a_request_id_is_refused_in_a_proxy_config() -> None:
    headers = HeliconeHeaders(request_id="8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b")  # type: ignore[arg-type]
    with pytest.raises(HeliconeHeadersError) as exc_info:
        headers.to_litellm_proxy_model(model_name="m", model="openai/m")
    assert str(exc_info.value) == (
        "request_id belongs to one request; in a proxy config every call to the model would "
        "carry the same Helicone-Request-Id. Send it per request instead, in the body: "
        "extra_body=HeliconeHeaders(request_id=...).to_litellm_proxy_body()"
    )
    code, _, err = cli(
        [
            "proxy-config",
            "--model",
            "m=openai/m",
            "--request-id",
            "8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b",
        ]
    )
    assert (code, err.startswith("error: request_id belongs to one request")) == (1, True)


BASES = ["https://oai.helicone.ai/v1", "http://127.0.0.1:8080/v1", "https://eu.helicone.ai"]
UNCLEAN = [
    " ",
    "\t",
    "\n",
    "\r",
    "\x00",
    "\x0b",
    "\x1f",
    "\x7f",
    "\x85",
    "\xa0",
    "\u2028",
    "\u202e",
    "\ufeff",
]


@settings(max_examples=100, deadline=None)
@given(base=st.sampled_from(BASES), char=st.sampled_from(UNCLEAN), data=st.data())
def test_an_api_base_with_a_space_or_control_character_is_refused(
    base: str, char: str, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(base)))
    with pytest.raises(HeliconeHeadersError, match=r"^api_base must be an absolute http"):
        HeliconeHeaders().to_litellm_proxy_model(
            model_name="m", model="openai/m", api_base=base[:index] + char + base[index:]
        )


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=40) | st.sampled_from(BASES).map(lambda base: base + "?a=1"))
@example(text="https://user:zq-password@oai.helicone.ai/v1")
@example(text="https://u:zq-password@oai helicone.ai")
@example(text="HTTPS://OAI.helicone.ai/v1")
@example(text="https:oai.helicone.ai/v1")
def test_an_accepted_api_base_is_sent_as_written(text: str) -> None:
    try:
        entry = HeliconeHeaders().to_litellm_proxy_model(model_name="m", model="m", api_base=text)
    except HeliconeHeadersError as exc:
        refused = str(exc)
    else:
        refused = ""
    assert "zq-password" not in refused
    if refused:
        return
    written = entry["litellm_params"]["api_base"]
    assert written == text
    assert text.isascii()
    assert text.isprintable()
    assert " " not in text
    assert str(Url(text)) in {text, text + "/"}


@settings(max_examples=150, deadline=None)
@given(name=st.text(min_size=1, max_size=12))
@example(name="X\ngeneral_settings:\n  master_key: sk-1")
@example(name="X\u2028general_settings: {}")
def test_a_variable_name_cannot_add_keys_to_the_written_config(name: str) -> None:
    entry = {
        "model_name": "m",
        "litellm_params": {"model": "m", "extra_headers": {"Helicone-Auth": "os.environ/" + name}},
    }
    with contextlib.suppress(HeliconeHeadersError):
        HeliconeHeaders().to_litellm_proxy_model(model_name="m", model="m", auth_env=name)
    try:
        text = litellm_proxy_yaml(entry)
    except HeliconeHeadersError as exc:
        text = str(exc)
        assert text.startswith("Helicone-Auth: os.environ/NAME must name an environment variable")
        return
    assert yaml.safe_load(text) == {"model_list": [entry]}
    assert [line for line in text.splitlines() if line.startswith("#")] == [
        f'# {name} must hold the whole header value: "Bearer sk-helicone-...".'
    ]


# ---------------------------------------------------------------- nothing crashes, nothing is unbounded

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=15),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=20), inner, max_size=3)
    ),
    max_leaves=8,
)
hostile_text = st.text(
    st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs", "Co", "Lu", "Ll"]), max_size=20
)
stdin_bytes = st.one_of(
    st.binary(max_size=120),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.dictionaries(hostile_text, hostile_text, max_size=3).map(
        lambda value: json.dumps(value).encode()
    ),
    st.sampled_from(
        [
            b"[" * 30000,
            b'{"a":' * 30000,
            b"9" * 5000,
            b'{"Helicone-\\ud800": "x"}',
            b'{"Helicone-User-Id": "\\udcff"}',
            b'{"Helicone-User-Id": "\xed\xa0\x80"}',
            b'{"Helicone-Retry-Num": "' + b"9" * 5000 + b'"}',
            b'{"X\\u202e\\u2066": "\\u2028\\u0085\\ud83d\\ude00\\U000e0001"}',
            b"\xef\xbb\xbf{}",
        ]
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    command=st.sampled_from(["check", "fix", "response"]), data=stdin_bytes, as_json=st.booleans()
)
def test_any_bytes_on_stdin_give_an_answer_and_never_a_traceback(
    command: str, data: bytes, as_json: bool
) -> None:
    assert_well_behaved(*cli([command, "-", *(["--json"] if as_json else [])], data))


def nested_yaml(depth: int, style: str) -> str:
    if style == "flow":
        return "a: " + "[" * depth + "]" * depth + "\n"
    return "".join(" " * level + "a:\n" for level in range(depth)) + " " * depth + "b\n"


def aliases(width: int, levels: int) -> str:
    lines = ["a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    lines += [
        f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]"
        for level in range(1, levels + 1)
    ]
    return "\n".join(lines) + "\n"


yaml_texts = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200),
    configs.map(lambda config: yaml.safe_dump(config, allow_unicode=True)),
    st.builds(nested_yaml, st.integers(1, 400), st.sampled_from(["flow", "block"])),
    st.builds(aliases, st.integers(2, 10), st.integers(1, 12)),
    st.sampled_from(
        [
            'litellm_settings: {headers: {"Helicone-\\ud800": x}}\n',
            "litellm_settings: {headers: {Helicone-Retry-Num: !!int 9" + "9" * 5000 + "}}\n",
            "a: !!timestamp 2020-13-45\n",
            "a: &a [*a]\n",
            "a: !!python/object:os.system x\n",
            "model_list: [{litellm_params: {extra_headers: &h {X: y}, headers: *h}}]\n",
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=yaml_texts, command=st.sampled_from(["check", "fix"]), as_json=st.booleans())
def test_any_yaml_config_gives_an_answer_and_never_a_traceback(
    text: str | bytes, command: str, as_json: bool
) -> None:
    with config_file(text) as path:
        code, out, err = cli([command, path, *(["--json"] if as_json else [])])
    assert_well_behaved(code, out, err)
    assert len(out) + len(err) < 4 * MIB  # bounded by the 100 000 nodes read, not 47 MB


@settings(max_examples=30, deadline=None)
@given(depth=st.integers(101, 20000), style=st.sampled_from(["flow", "block"]))
@example(depth=20000, style="flow")
def test_deep_yaml_is_refused_not_a_recursion_error(depth: int, style: str) -> None:
    with (
        config_file(nested_yaml(depth, style)[: MIB - 1]) as path,
        pytest.raises(HeliconeHeadersError) as exc_info,
    ):
        check_litellm_config(path)
    assert str(exc_info.value).endswith(
        (
            "it nests deeper than 100 levels",
            "the most helicone-headers reads; a header dict or a proxy config is far smaller",
        )
    )


@settings(max_examples=20, deadline=None)
@given(width=st.integers(2, 10), levels=st.integers(6, 30))
@example(width=10, levels=9)  # the 29 KB file that printed 47 MB
def test_aliases_that_expand_past_the_bound_are_refused(width: int, levels: int) -> None:
    if width**levels <= 100_000:
        return
    with config_file(aliases(width, levels)) as path:
        with pytest.raises(HeliconeHeadersError, match="its aliases expand it past 100000 nodes"):
            check_litellm_config(path)
        code, out, err = cli(["check", path])
    assert (code, out, len(err.splitlines())) == (1, "", 1)


@settings(max_examples=60, deadline=None)
@given(
    marker=markers,
    broken=st.sampled_from(
        [
            'a: b\n{m}: "unterminated\n',
            "key: [{m}\n",
            "- {m}\n x: y\n",
            "a: *{m}\n",
            "a: !{m} x\n",
            "a: b\n  {m}: c\n",
            '{m}: "\\q"\n',
            "a: b\n\t{m}: c\n",
            "? [{m}]\n: c\n",
        ]
    ),
)
@example(marker="zqAAAAAAAAAAAAAA", broken="? [{m}]\n: c\n")  # a key that is no scalar
def test_a_yaml_error_never_quotes_the_file(marker: str, broken: str) -> None:
    with config_file(broken.format(m=marker)) as path:
        with pytest.raises(HeliconeHeadersError) as exc_info:
            check_litellm_config(path)
        code, out, err = cli(["check", path])
    assert code == 1
    assert marker not in str(exc_info.value) + out + err
    assert marker not in "".join(traceback.format_exception(exc_info.value))
    assert " line " in str(exc_info.value)


@pytest.mark.parametrize("kind", ["json", "yaml", "stdin"])
def test_input_past_one_mib_is_refused_in_one_line(kind: str, tmp_path: Path) -> None:
    path = tmp_path / ("big.yaml" if kind == "yaml" else "big.json")
    padded = b"{}" + b" " * (MIB - 2)
    path.write_bytes(padded)
    assert cli(["check", "-" if kind == "stdin" else str(path)], padded)[0] == 0  # 1 MiB is read
    path.write_bytes(padded + b" ")
    code, out, err = cli(["check", "-" if kind == "stdin" else str(path)], padded + b" ")
    what = "a YAML config" if kind == "yaml" else "a JSON object"
    shown = "-" if kind == "stdin" else str(path)
    assert (code, out, err) == (
        1,
        "",
        f"error: cannot read {what} from {shown!r}: it is larger than 1 MiB (1048576 bytes), the "
        "most helicone-headers reads; a header dict or a proxy config is far smaller\n",
    )


# --------------------------------------------------------------------------- the terminal and the pipe


@settings(max_examples=100, deadline=None)
@given(name=hostile_text, value=hostile_text)
@example(name="X\u202eevil", value="\u2066\u2069\u200f")
@example(name="X\U000e0001", value="\x1b[31m")
def test_what_a_terminal_acts_on_is_printed_escaped(name: str, value: str) -> None:
    data = json.dumps({name: value, "Helicone-" + name: value}).encode()
    for command in ("check", "fix"):
        assert_well_behaved(*cli([command, "-"], data))


def test_bidi_controls_are_shown_escaped() -> None:
    code, out, _ = cli(["check", "-"], json.dumps({"Helicone-User\u202eId": "u"}).encode())
    assert code == 1
    assert "Helicone-User\\u202eId" in out
    assert "\u202e" not in out


def test_a_closed_pipe_ends_the_output_quietly(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    # Under the bound check() reads (2000 headers), with far more output than a pipe holds.
    path.write_text(json.dumps({f"Helicone-Bad-{index}": "x" for index in range(1999)}))
    process = subprocess.Popen(  # noqa: S603 - this interpreter, on a file the test wrote
        [sys.executable, "-m", "helicone_headers", "check", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait() == 1
    assert first.startswith(b"warning [header_unknown] Helicone-Bad-0: ")
    assert err == b""


class ClosedPipe(io.StringIO):
    def __init__(self, descriptor: int | None) -> None:
        super().__init__()
        self.descriptor = descriptor

    def write(self, _: str) -> int:
        raise BrokenPipeError

    def fileno(self) -> int:
        if self.descriptor is None:
            raise io.UnsupportedOperation
        return self.descriptor


@pytest.mark.parametrize("descriptor", [True, False], ids=["a-file-descriptor", "none"])
def test_a_closed_stdout_is_pointed_at_the_null_device(descriptor: bool, tmp_path: Path) -> None:
    with (tmp_path / "out").open("w") as sink:
        saved = sys.stdout
        sys.stdout = ClosedPipe(sink.fileno() if descriptor else None)
        try:
            assert main(["policy", "10;w=60"]) == 1
        finally:
            sys.stdout = saved


def test_a_bug_is_one_line_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_: object) -> object:
        raise RuntimeError("zq-not-shown")

    monkeypatch.setattr("helicone_headers._cli.check", broken)
    assert cli(["check", "-"], b"{}") == (
        1,
        "",
        "error: unexpected RuntimeError (a bug in helicone-headers; please report it)\n",
    )
