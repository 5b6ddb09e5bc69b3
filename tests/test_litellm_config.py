"""Writing LiteLLM proxy config entries and linting proxy configs (no proxy process here)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

try:
    import yaml
except ModuleNotFoundError as missing:  # a skip, except in the full run
    pytest.skip(
        f"needs the yaml extra: pip install -e '.[yaml]' ({missing})", allow_module_level=True
    )

from helicone_headers import (
    CacheOptions,
    Diagnostic,
    Fallback,
    HeliconeHeaders,
    HeliconeHeadersError,
    PosthogOptions,
    check,
    check_litellm_config,
    litellm_proxy_yaml,
)

from .conftest import KEY
from .test_cli import run

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.yaml

HEADERS = HeliconeHeaders(
    api_key=KEY,  # type: ignore[arg-type]
    user_id="batch",
    cache=CacheOptions(enabled=True, max_age_seconds=3600),
)


def test_an_entry_points_at_helicone_and_never_writes_the_key() -> None:
    entry = HEADERS.to_litellm_proxy_model(model_name="gpt-4o-mini", model="openai/gpt-4o-mini")
    assert entry == {
        "model_name": "gpt-4o-mini",
        "litellm_params": {
            "model": "openai/gpt-4o-mini",
            "api_base": "https://oai.helicone.ai/v1",
            "api_key": "os.environ/OPENAI_API_KEY",
            "extra_headers": {
                "Helicone-Auth": "os.environ/HELICONE_AUTH",
                "Helicone-User-Id": "batch",
                "Helicone-Cache-Enabled": "true",
                "Cache-Control": "max-age=3600",
            },
        },
    }
    assert KEY not in repr(entry)
    assert check_litellm_config({"model_list": [entry]}) == []


def test_the_yaml_reads_back_as_the_same_config_and_names_the_variable() -> None:
    entry = HEADERS.to_litellm_proxy_model(
        model_name="m", model="openai/m", auth_env="TEAM_HELICONE_AUTH", api_key_env=None
    )
    text = litellm_proxy_yaml(entry)
    assert text.startswith(
        '# TEAM_HELICONE_AUTH must hold the whole header value: "Bearer sk-helicone-...".\n'
    )
    assert yaml.safe_load(text) == {"model_list": [entry]}
    assert "api_key" not in entry["litellm_params"]
    # 'true' stays a string in YAML: an unquoted true would load as a bool.
    assert "Helicone-Cache-Enabled: 'true'" in text


@pytest.mark.parametrize(
    ("headers", "options", "message"),
    [
        pytest.param(
            HeliconeHeaders(posthog=PosthogOptions(key="phc_1")),  # type: ignore[arg-type]
            {},
            "posthog would write a secret into the config; leave posthog unset here and add its "
            "header to the entry's extra_headers as os.environ/NAME, with NAME holding the whole "
            "header value",
            id="posthog-key",
        ),
        pytest.param(
            HeliconeHeaders(
                fallbacks=[
                    Fallback(
                        target_url="https://api.openai.com",
                        headers={"Authorization": "Bearer sk-1"},
                        on_codes=[500],
                    )
                ]
            ),
            {},
            "fallbacks would write a secret into the config; leave fallbacks unset here and add "
            "its header to the entry's extra_headers as os.environ/NAME, with NAME holding the "
            "whole header value",
            id="fallback-with-a-provider-key",
        ),
        pytest.param(
            HEADERS,
            {"api_base": "oai.helicone.ai/v1"},
            "api_base must be an absolute http(s) URL such as 'https://oai.helicone.ai/v1', with "
            "no space, control character, query or fragment, got 'oai.helicone.ai/v1'",
            id="api-base-without-a-scheme",
        ),
        pytest.param(
            HEADERS,
            {"api_base": "ftp://oai.helicone.ai/v1"},
            "api_base must be an absolute http(s) URL such as 'https://oai.helicone.ai/v1', with "
            "no space, control character, query or fragment, got 'ftp://oai.helicone.ai/v1'; "
            "WHATWG reads it as 'ftp://oai.helicone.ai/v1'",
            id="api-base-not-http",
        ),
        pytest.param(
            HEADERS,
            {"api_base": 5},
            "api_base must be an absolute http(s) URL such as 'https://oai.helicone.ai/v1', got "
            "int",
            id="api-base-not-a-str",
        ),
        pytest.param(
            HEADERS,
            {"model": " "},
            "model must be a non-empty str of printable characters, got ' '",
            id="empty-model",
        ),
        pytest.param(
            HEADERS,
            {"auth_env": "HELICONE AUTH"},
            "auth_env must name an environment variable (letters, digits, '_'), got 'HELICONE AUTH'",
            id="not-a-variable-name",
        ),
    ],
)
def test_what_would_write_a_secret_or_break_the_reference_is_refused(
    headers: HeliconeHeaders, options: dict[str, object], message: str
) -> None:
    arguments: dict[str, Any] = {"model_name": "m", "model": "openai/m", **options}
    with pytest.raises(HeliconeHeadersError) as exc_info:
        headers.to_litellm_proxy_model(**arguments)
    assert str(exc_info.value) == message


def test_fallbacks_without_headers_are_written() -> None:
    headers = HeliconeHeaders(
        fallbacks=[Fallback(target_url="https://api.openai.com", headers={}, on_codes=[500])]
    )
    entry = headers.to_litellm_proxy_model(model_name="m", model="openai/m")
    assert "Helicone-Fallbacks" in entry["litellm_params"]["extra_headers"]


def test_the_per_request_body_leaves_the_key_to_the_config() -> None:
    assert HeliconeHeaders(user_id="u").to_litellm_proxy_body() == {
        "headers": {"Helicone-User-Id": "u"}
    }
    with pytest.raises(HeliconeHeadersError, match="leaves the API key to the proxy's config"):
        HEADERS.to_litellm_proxy_body()


def test_without_pyyaml_the_error_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)
    message = (
        "writing and reading YAML needs PyYAML: install the yaml extra (pip install -e '.[yaml]' "
        "in a checkout of helicone-headers) or pyyaml, or use the dict and write it yourself"
    )
    with pytest.raises(HeliconeHeadersError) as exc_info:
        litellm_proxy_yaml()
    assert str(exc_info.value) == message


CONFIG = {
    "model_list": [
        {
            "model_name": "a",
            "litellm_params": {
                "model": "openai/a",
                "extra_headers": {
                    "Helicone-Auth": "Bearer os.environ/HELICONE_API_KEY",
                    "Helicone-Rate-Limit-Policy": "10;w=60",
                    "Helicone-Cach-Enabled": "os.environ/CACHE_FLAG",
                },
                "headers": "not a map",
            },
        },
        {"model_name": "b", "litellm_params": {"model": "openai/b"}},
        "not an entry",
    ],
    "litellm_settings": {"success_callback": ["helicone"], "callbacks": "helicone"},
}


def test_every_helicone_header_of_a_config_is_reported_with_its_path() -> None:
    found = check_litellm_config(CONFIG)
    assert [(d.code, d.severity, d.header, d.path) for d in found] == [
        (
            "config_env_reference",
            "error",
            "Helicone-Auth",
            "model_list[0].litellm_params.extra_headers",
        ),
        (
            "header_name_unknown",
            "error",
            "Helicone-Rate-Limit-Policy",
            "model_list[0].litellm_params.extra_headers",
        ),
        (
            "header_name_unknown",
            "error",
            "Helicone-Cach-Enabled",
            "model_list[0].litellm_params.extra_headers",
        ),
        ("input_type", "error", None, "model_list[0].litellm_params.headers"),
        ("proxy_callback", "error", None, "litellm_settings.success_callback"),
        ("proxy_callback", "error", None, "litellm_settings.callbacks"),
    ]
    assert all(d.message.startswith(f"{d.path}: ") for d in found)
    assert found[0].message == (
        "model_list[0].litellm_params.extra_headers: Helicone-Auth: LiteLLM replaces "
        "os.environ/NAME only when it is the whole value and NAME is a variable name (letters, "
        "digits, '_'), so this value is sent as written, os.environ/ included; put the whole "
        'header value in the variable (for Helicone-Auth: "Bearer sk-helicone-...") and write '
        "os.environ/NAME alone"
    )


def test_a_per_user_policy_is_not_reported_for_want_of_a_user_id() -> None:
    """The user id of an s=user policy comes with each app's request, not from the config."""
    headers = {"Helicone-RateLimit-Policy": "100;w=60;s=user"}
    assert [d.code for d in check(headers)] == ["rate_limit_user_missing"]
    config = {"litellm_settings": {"headers": headers}}
    assert check_litellm_config(config) == []


def test_a_reference_is_checked_by_its_value_when_the_variable_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = {
        "model_list": [
            {"litellm_params": {"extra_headers": {"Helicone-Auth": "os.environ/HH_AUTH"}}}
        ]
    }
    monkeypatch.delenv("HH_AUTH", raising=False)
    assert check_litellm_config(config) == []  # not set here: only the name is checked
    monkeypatch.setenv("HH_AUTH", KEY)  # the key without "Bearer "
    assert [d.code for d in check_litellm_config(config)] == ["auth_bearer"]
    monkeypatch.setenv("HH_AUTH", f"Bearer {KEY}")
    assert check_litellm_config(config) == []


def test_a_config_file_is_read_as_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(CONFIG, sort_keys=False))
    from_file, from_dict = check_litellm_config(path), check_litellm_config(CONFIG)
    # The same findings; read from a file, each message starts with its file and line.
    assert [(d.code, d.header, d.path) for d in from_file] == [
        (d.code, d.header, d.path) for d in from_dict
    ]
    lines = [6, 7, 8, 9, 15, 17]
    assert [d.message for d in from_file] == [
        f"{path}:{line}: {d.message}" for line, d in zip(lines, from_dict, strict=True)
    ]
    code, out, _ = run(["check", str(path)], capsys)
    assert code == 1
    assert out.splitlines()[0].startswith(
        f"error [config_env_reference] {path}:6: model_list[0].litellm_params.extra_headers: "
        "Helicone-Auth: "
    )
    clean = tmp_path / "clean.yml"
    clean.write_text(litellm_proxy_yaml(HEADERS.to_litellm_proxy_model(model_name="m", model="m")))
    assert run(["check", str(clean)], capsys) == (0, "no problems found\n", "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("- a\n- b\n", "a LiteLLM proxy config is a mapping with model_list, got list"),
        pytest.param("a: [\n", "cannot read a YAML config from "),
    ],
)
def test_a_file_that_is_no_config_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    with pytest.raises(HeliconeHeadersError, match="^" + message.replace("[", r"\[")):
        check_litellm_config(path)
    code, out, err = run(["check", str(path)], capsys)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {message}")
    assert len(err.splitlines()) == 1


def test_a_missing_config_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(HeliconeHeadersError, match="cannot read a YAML config from"):
        check_litellm_config(tmp_path / "missing.yaml")


def test_check_explains_a_helicone_underscore_name() -> None:
    assert check({"helicone_session_id": "s-1"}) == [
        Diagnostic(
            "header_name_unknown",
            "error",
            "helicone_session_id",
            "helicone_session_id: 'helicone_session_id' has '_', which many proxies drop and "
            "Helicone never reads as one of its headers (LiteLLM's proxy copies helicone_* "
            "request headers into its callback's log under this very name, which Helicone does "
            "not read either); write 'Helicone-Session-Id'",
        )
    ]


def test_the_cli_prints_a_proxy_config(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        [
            "proxy-config",
            *("--model", "gpt-4o-mini=openai/gpt-4o-mini", "--model", "gpt-4o=openai/gpt-4o"),
            *("--cache", "--property", "Team=search", "--no-api-key"),
            *("--auth-env", "TEAM_HELICONE_AUTH"),
        ],
        capsys,
    )
    assert (code, err) == (0, "")
    config = yaml.safe_load(out)
    assert [entry["model_name"] for entry in config["model_list"]] == ["gpt-4o-mini", "gpt-4o"]
    params = config["model_list"][1]["litellm_params"]
    assert params == {
        "model": "openai/gpt-4o",
        "api_base": "https://oai.helicone.ai/v1",
        "extra_headers": {
            "Helicone-Auth": "os.environ/TEAM_HELICONE_AUTH",
            "Helicone-Cache-Enabled": "true",
            "Helicone-Property-Team": "search",
        },
    }
    assert check_litellm_config(config) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["proxy-config", "--model", "gpt-4o-mini"],
            "error: --model takes NAME=VALUE, got 'gpt-4o-mini'\n",
            id="model-without-a-name",
        ),
        pytest.param(
            ["proxy-config", "--model", "m=openai/m", "--posthog-key", "phc_1"],
            "error: posthog would write a secret into the config; leave posthog unset here and "
            "add its header to the entry's extra_headers as os.environ/NAME, with NAME holding "
            "the whole header value\n",
            id="a-secret-option",
        ),
    ],
)
def test_the_cli_refuses_a_config_it_cannot_write(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv, capsys) == (1, "", message)


def test_the_cli_refuses_options_that_would_do_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        ["proxy-config", "--model", "m=openai/m", "--cache-seed", "7", "--api-key-env", "KEY"],
        capsys,
    )
    assert code == 1
    assert err.startswith("error: CacheOptions turns no caching on")


def test_the_cli_warns_as_check_would(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["proxy-config", "--model", "m=openai/m", "--cache", "--cache-seed", "tenant-a"], capsys
    )
    assert (code, yaml.safe_load(out)["model_list"][0]["model_name"]) == (0, "m")
    assert err.startswith(
        "warning [cache_seed_not_logged] model_list[0].litellm_params.extra_headers: "
        "Helicone-Cache-Seed: Helicone partitions the cache by any seed"
    )


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=10,
)
header_maps = st.dictionaries(
    st.sampled_from(["Helicone-Auth", "Helicone-User-Id", "helicone_x", "X-Other", "Cache-Control"])
    | st.text(max_size=12),
    st.sampled_from(["os.environ/HH", "Bearer os.environ/HH", "os.environ/", "true"]) | json_like,
    max_size=4,
)
configs = st.fixed_dictionaries(
    {},
    optional={
        "model_list": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "litellm_params": st.fixed_dictionaries(
                        {}, optional={"extra_headers": header_maps, "headers": json_like}
                    )
                    | json_like
                },
            )
            | json_like,
            max_size=3,
        )
        | json_like,
        "litellm_settings": st.fixed_dictionaries(
            {},
            optional={
                "headers": header_maps,
                "success_callback": st.lists(st.sampled_from(["helicone", "langfuse"])) | json_like,
            },
        )
        | json_like,
    },
)


@given(configs)
def test_any_config_gives_findings_and_never_raises(config: dict[str, object]) -> None:
    """Whatever a YAML file holds under its keys, the linter reports; it never crashes."""
    found = check_litellm_config(config)
    assert all(d.severity in {"error", "warning"} and d.path for d in found)
    assert all(d.message.startswith(f"{d.path}: ") for d in found)


BROKEN_CONFIG = """\
# The team's proxy
model_list:
  - model_name: gpt-4o-mini
    litellm_params:
      model: openai/gpt-4o-mini
      extra_headers:
        Helicone-Auth: os.environ/HELICONE_AUTH  # the whole "Bearer ..." value
        Helicone-Rate-Limit-Policy: 10;w=30
        Helicone-Cache-Enabled: True
        Helicone-Cache-Bucket-Max-Size: "21"
        Helicone-Property-Team: os.environ/TEAM
        Helicone-User-Id: Bearer os.environ/USER
"""


def test_fix_prints_the_config_repaired_and_keeps_each_reference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAM", "zq-from-the-environment")
    path = tmp_path / "config.yaml"
    path.write_text(BROKEN_CONFIG)
    code, out, err = run(["fix", str(path)], capsys)
    assert code == 1  # the bucket size and the reference inside a value are left
    assert yaml.safe_load(out)["model_list"][0]["litellm_params"]["extra_headers"] == {
        "Helicone-Auth": "os.environ/HELICONE_AUTH",
        "Helicone-Cache-Enabled": "true",
        "Helicone-Property-Team": "os.environ/TEAM",
        "Helicone-User-Id": "Bearer os.environ/USER",
        "Helicone-RateLimit-Policy": "20;w=60",
    }
    assert "zq-from-the-environment" not in out + err
    where = f"{path}:{{}}: model_list[0].litellm_params.extra_headers"
    assert err.splitlines() == [
        f"fixed [header_name_unknown] {where.format(8)}: Helicone-Rate-Limit-Policy -> "
        "Helicone-RateLimit-Policy",
        f"fixed [header_value_type] {where.format(9)}: Helicone-Cache-Enabled: True -> 'true'",
        # Under its new name, the header is not in the file: the line of its map.
        f"fixed [number_too_small] {where.format(6)}: Helicone-RateLimit-Policy: '10;w=30' -> "
        "'20;w=60'",
        f"fixed [number_too_large] {where.format(10)}: Helicone-Cache-Bucket-Max-Size: '21' left "
        "out; Helicone then applies its default, 1",
        f"left out, error [number_too_large] {where.format(10)}: Helicone-Cache-Bucket-Max-Size "
        "(bucket_max_size): 21 is above 20: Helicone answers every request with HTTP 500 ('Cache "
        "bucket size cannot be greater than 20'), even with caching off; use 1 to 20",
        f"error [config_env_reference] {where.format(12)}: Helicone-User-Id: LiteLLM replaces "
        "os.environ/NAME only when it is the whole value and NAME is a variable name (letters, "
        "digits, '_'), so this value is sent as written, os.environ/ included; put the whole "
        'header value in the variable (for Helicone-User-Id: "Bearer sk-helicone-...") and '
        "write os.environ/NAME alone",
    ]
    code, out, _ = run(["fix", str(path), "--json"], capsys)
    report = json.loads(out)
    assert (code, sorted(report)) == (1, ["changes", "config", "unfixed"])
    assert report["config"] == yaml.safe_load(run(["fix", str(path)], capsys)[1])


def test_fix_of_a_clean_config_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.yml"
    entry = HEADERS.to_litellm_proxy_model(model_name="m", model="openai/m")
    path.write_text(litellm_proxy_yaml(entry))
    code, out, err = run(["fix", str(path)], capsys)
    assert (code, err) == (0, "")
    assert yaml.safe_load(out) == {"model_list": [entry]}


def test_fix_reports_what_it_cannot_repair_in_a_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(CONFIG, sort_keys=False))
    code, _, err = run(["fix", str(path)], capsys)
    assert code == 1
    assert [line.split(" ")[1] for line in err.splitlines() if line.startswith("error")] == [
        "[config_env_reference]",
        "[header_name_unknown]",  # of a name whose value is a reference: kept as written
        "[input_type]",
        "[proxy_callback]",
        "[proxy_callback]",
    ]


def test_an_anchored_value_is_read_with_the_line_of_each_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "litellm_settings:\n"
        "  headers:\n"
        "    Helicone-User-Id: &team search\n"
        "    Helicone-Property-Team: *team\n"
        "    Helicone-Cache-Enabled: 'TRUE'\n"
    )
    assert [d.message.split(" Helicone")[0] for d in check_litellm_config(path)] == [
        f"{path}:5: litellm_settings.headers:"
    ]
    assert run(["check", str(path)], capsys)[0] == 0  # a warning only
