"""A real LiteLLM proxy server on 127.0.0.1, between the OpenAI SDK and fake Helicone servers.

The proxy reads a config this library writes, sends to a fake "Helicone proxy" (it records every
request) and would log to a fake Helicone log endpoint. Each test is one route an app might use
to get Helicone options through the proxy, with what really arrives, including the routes that
carry nothing, so the guide's warnings fail here when LiteLLM changes.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pytest

try:
    import openai
except ModuleNotFoundError as missing:  # a skip, except in the full run
    pytest.skip(
        f"needs the proxy extra: pip install -e '.[proxy]' ({missing})", allow_module_level=True
    )

from helicone_headers import (
    CacheOptions,
    HeliconeHeaders,
    SessionOptions,
    check_litellm_config,
    litellm_proxy_yaml,
)

from .conftest import KEY
from .fakes import Recorder, fake_helicone_log, fake_openai

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.proxy

MESSAGES: Any = [{"role": "user", "content": "hi"}]
# What the proxy's own settings add to the config the library writes.
SETTINGS = """\
general_settings:
  forward_client_headers_to_llm_api: true
litellm_settings:
  success_callback: ["helicone"]
  headers:
    Helicone-Property-Scope: proxy-wide
"""
CALLBACK_FAILED = "Helicone Logging Error"


@dataclass
class Proxy:
    """A running LiteLLM proxy and what reached the fake servers behind it."""

    client: openai.OpenAI
    helicone: Recorder
    log: Recorder
    output: Path
    config: Path

    def send(self, model: str, **options: Any) -> dict[str, str]:
        """One chat completion through the proxy; the headers that reached Helicone's proxy."""
        before = len(self.helicone.requests)
        self.client.chat.completions.create(model=model, messages=MESSAGES, **options)
        return self.helicone.wait(before + 1)[before].headers


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], output: Path) -> None:
    """Poll the proxy's liveness endpoint until it answers (it takes seconds to import)."""
    for _ in range(3000):
        if process.poll() is not None:
            pytest.fail(f"the LiteLLM proxy exited: {output.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/health/liveliness", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            # Not listening yet: wait on the process instead of sleeping.
            try:
                process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                continue
    pytest.fail("the LiteLLM proxy never answered on 127.0.0.1")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    folder = tmp_path_factory.mktemp("litellm-proxy")
    with fake_openai() as (helicone_url, helicone), fake_helicone_log() as (log_url, log):
        sent = HeliconeHeaders(
            api_key=KEY,  # type: ignore[arg-type]  # never written: an env reference
            properties={"Team": "search"},
            cache=CacheOptions(enabled=True),
        )
        entry = sent.to_litellm_proxy_model(
            model_name="helicone",
            model="openai/gpt-4o-mini",
            api_base=f"{helicone_url}/v1",
            auth_env="TEST_HELICONE_AUTH",
            api_key_env="TEST_PROVIDER_KEY",
        )
        literal = {
            "model_name": "literal",
            "litellm_params": {
                "model": "openai/gpt-4o-mini",
                "api_base": f"{helicone_url}/v1",
                "api_key": "sk-provider",
                # The trap: LiteLLM replaces os.environ/NAME only when it is the whole value.
                "extra_headers": {"Helicone-Auth": "Bearer os.environ/HELICONE_API_KEY"},
            },
        }
        params = {
            "model": "openai/gpt-4o-mini",
            "api_base": f"{helicone_url}/v1",
            "api_key": "sk-provider",
        }
        plain = {"model_name": "plain", "litellm_params": params}
        unquoted = {
            "model_name": "unquoted",
            "litellm_params": {**params, "extra_headers": {"X": "y"}},
        }
        config = folder / "config.yaml"
        text = litellm_proxy_yaml(entry, literal, plain, unquoted)
        # Written by hand in YAML, `true` without quotes is a boolean.
        config.write_text(text.replace("X: y", "Helicone-Cache-Enabled: true") + SETTINGS)
        assert KEY not in config.read_text()
        port, master = _free_port(), f"sk-{secrets.token_hex(16)}"
        env = {
            **os.environ,
            "LITELLM_MASTER_KEY": master,
            "TEST_HELICONE_AUTH": f"Bearer {KEY}",
            "TEST_PROVIDER_KEY": "sk-provider",
            "HELICONE_API_KEY": KEY,
            "HELICONE_API_BASE": log_url,
            # Loopback only: the packaged model prices instead of fetching them.
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            # The callback reports its failure at DEBUG level only.
            "LITELLM_LOG": "DEBUG",
        }
        output = folder / "proxy.log"
        with output.open("wb") as sink:
            process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
                [
                    *(sys.executable, "-m", "litellm.proxy.proxy_cli", "--config", str(config)),
                    *("--host", "127.0.0.1", "--port", str(port)),
                ],
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                cwd=folder,
            )
            url = f"http://127.0.0.1:{port}"
            try:
                _wait_until_up(url, process, output)
                client = openai.OpenAI(base_url=url, api_key=master, max_retries=0)
                yield Proxy(client, helicone, log, output, config)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:  # a hung proxy
                    process.kill()
                    process.wait()


def test_the_config_entry_sends_the_headers_to_helicones_proxy(proxy: Proxy) -> None:
    arrived = proxy.send("helicone")
    assert {name: value for name, value in arrived.items() if name.startswith("helicone-")} == {
        "helicone-auth": f"Bearer {KEY}",  # from the variable holding the whole value
        "helicone-property-team": "search",
        "helicone-cache-enabled": "true",
    }
    assert arrived["authorization"] == "Bearer sk-provider"


def test_proxy_wide_headers_go_to_models_that_set_none_of_their_own(proxy: Proxy) -> None:
    assert proxy.send("plain")["helicone-property-scope"] == "proxy-wide"
    assert "helicone-property-scope" not in proxy.send("helicone")
    found = check_litellm_config({"litellm_settings": {"headers": {"Helicone-Property-X": 1}}})
    assert [(d.code, d.path) for d in found] == [("header_value_type", "litellm_settings.headers")]


def test_an_unquoted_yaml_true_fails_the_call(proxy: Proxy) -> None:
    with pytest.raises(openai.APIError, match="Input should be a valid string"):
        proxy.send("unquoted")
    found = [d for d in check_litellm_config(proxy.config) if d.code == "header_value_type"]
    assert [(d.header, d.path) for d in found] == [
        ("Helicone-Cache-Enabled", "model_list[3].litellm_params.extra_headers")
    ]


def test_a_key_reference_inside_a_value_is_sent_as_written(proxy: Proxy) -> None:
    assert proxy.send("literal")["helicone-auth"] == "Bearer os.environ/HELICONE_API_KEY"
    # The linter says so, with where it is in the config.
    found = [d for d in check_litellm_config(proxy.config) if d.code == "config_env_reference"]
    assert [(d.header, d.path) for d in found] == [
        ("Helicone-Auth", "model_list[1].litellm_params.extra_headers")
    ]


def test_per_request_options_travel_in_the_body_headers_field(proxy: Proxy) -> None:
    per_request = HeliconeHeaders(
        user_id="user-abc", session=SessionOptions(id="s-1", path="/plan")
    )
    arrived = proxy.send("helicone", extra_body=per_request.to_litellm_proxy_body())
    assert {name: value for name, value in arrived.items() if name.startswith("helicone-")} == {
        "helicone-auth": f"Bearer {KEY}",
        "helicone-property-team": "search",
        "helicone-cache-enabled": "true",
        "helicone-user-id": "user-abc",
        "helicone-session-id": "s-1",
        "helicone-session-path": "/plan",
    }


def test_the_configs_extra_headers_win_over_the_body_headers_for_one_name(proxy: Proxy) -> None:
    body = HeliconeHeaders(properties={"Team": "other"}).to_litellm_proxy_body()
    assert proxy.send("helicone", extra_body=body)["helicone-property-team"] == "search"


def test_a_body_extra_headers_field_replaces_the_configs_and_drops_the_key(proxy: Proxy) -> None:
    """Why to_litellm_proxy_body() uses `headers`: `extra_headers` would replace the config's."""
    extra = {"extra_headers": {"Helicone-User-Id": "user-abc"}}
    arrived = proxy.send("helicone", extra_body=extra)
    assert arrived["helicone-user-id"] == "user-abc"
    assert "helicone-auth" not in arrived  # Helicone would log nothing
    assert "helicone-property-team" not in arrived


def test_an_apps_helicone_request_headers_are_not_forwarded(proxy: Proxy) -> None:
    """Even with forward_client_headers_to_llm_api on, only x-* names pass."""
    arrived = proxy.send(
        "helicone",
        extra_headers={
            "Helicone-User-Id": "u1",
            "helicone_user_id": "u2",
            "x-helicone-user-id": "u3",
        },
    )
    assert "helicone-user-id" not in arrived
    assert "helicone_user_id" not in arrived
    assert arrived["x-helicone-user-id"] == "u3"  # a name Helicone does not read


def test_the_helicone_callback_on_the_proxy_logs_nothing(proxy: Proxy) -> None:
    failures = proxy.output.read_text().count(CALLBACK_FAILED)
    logged = HeliconeHeaders(user_id="user-abc").to_litellm_metadata()
    proxy.send("helicone", extra_body={"metadata": logged})
    # Poll the proxy's own output until the callback has run for this request.
    for _ in range(10_000):
        output = proxy.output.read_text()
        if output.count(CALLBACK_FAILED) > failures:
            break
        proxy.log.arrived.wait(0.01)
    else:  # LiteLLM changed: the guide and the linter must change too
        pytest.fail("the helicone callback did not report a failure")
    assert "Object of type UserAPIKeyAuth is not JSON serializable" in output
    assert proxy.log.requests == []
    found = [d for d in check_litellm_config(proxy.config) if d.code == "proxy_callback"]
    assert [d.path for d in found] == ["litellm_settings.success_callback"]


def test_the_proxys_debug_output_shows_no_attempt_beyond_loopback(proxy: Proxy) -> None:
    output = proxy.output.read_text()
    assert "raw.githubusercontent.com" not in output  # the model prices it would fetch
    assert "Name or service not known" not in output
    assert "ConnectError" not in output
