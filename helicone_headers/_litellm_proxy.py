"""The LiteLLM proxy server: config entries that send Helicone headers, and a linter for configs.

What the proxy does with headers (LiteLLM 1.110.2, ``litellm/proxy``): a model entry's
``litellm_params`` ``extra_headers`` and ``headers`` are sent on every call to that model; a
string that starts with ``os.environ/`` is replaced by that variable, and only then
(``proxy_server.py``, ``_resolved_config_value``). An app's own ``Helicone-*`` request headers are
not forwarded upstream; a JSON body field ``headers`` or ``extra_headers`` is, and it replaces the
config's field of the same name. ``litellm_settings.headers`` goes to ``litellm.headers``, sent on
calls whose model entry sets no headers of its own.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from pydantic_core import Url

from helicone_headers._check import Diagnostic, check
from helicone_headers._codes import registered
from helicone_headers._exceptions import HeliconeHeadersError
from helicone_headers._headers import HELICONE_PROXY, HeliconeHeaders
from helicone_headers._names import header_names

__all__ = ["check_litellm_config", "litellm_proxy_model", "litellm_proxy_yaml"]

_ENV = "os.environ/"
_AUTH = header_names(HeliconeHeaders)["api_key"][0]
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
# The header fields of a model entry's litellm_params that the proxy sends upstream.
_HEADER_FIELDS = ("extra_headers", "headers")
_CALLBACK_KEYS = ("success_callback", "callbacks", "failure_callback")
_YAML_MISSING = (
    "writing and reading YAML needs PyYAML: install the yaml extra (pip install -e '.[yaml]' in "
    "a checkout of helicone-headers) or pyyaml, or use the dict and write it yourself"
)


def _env_name(name: str, argument: str) -> str:
    if not isinstance(name, str) or _ENV_NAME.fullmatch(name) is None:  # pyright: ignore[reportUnnecessaryIsInstance] - callers may pass anything
        msg = f"{argument} must name an environment variable (letters, digits, '_'), got {name!r}"
        raise HeliconeHeadersError(msg)
    return name


def litellm_proxy_model(
    headers: HeliconeHeaders,
    *,
    model_name: str,
    model: str,
    api_base: str = HELICONE_PROXY,
    auth_env: str = "HELICONE_AUTH",
    api_key_env: str | None = "OPENAI_API_KEY",
) -> dict[str, Any]:
    """One ``model_list`` entry of a LiteLLM proxy config that sends *headers* through Helicone.

    ``HeliconeHeaders.to_litellm_proxy_model`` calls this; see its documentation.
    """
    written = {
        name: value for name, value in headers.to_headers().items() if name.lower() != _AUTH.lower()
    }
    secret = [
        name
        for name in ("posthog", "fallbacks")
        if getattr(headers, name) is not None and (name != "fallbacks" or _fallback_keys(headers))
    ]
    if secret:
        msg = (
            f"{' and '.join(secret)} would write a secret into the config; leave "
            f"{' and '.join(secret)} unset here and add its header to the entry's extra_headers "
            "as os.environ/NAME, with NAME holding the whole header value"
        )
        raise HeliconeHeadersError(msg)
    for argument, text in (("model_name", model_name), ("model", model)):
        if not isinstance(text, str) or not text.strip():  # pyright: ignore[reportUnnecessaryIsInstance] - callers may pass anything
            msg = f"{argument} must be a non-empty str, got {text!r}"
            raise HeliconeHeadersError(msg)
    params: dict[str, Any] = {"model": model, "api_base": _http_url(api_base)}
    if api_key_env is not None:
        params["api_key"] = _ENV + _env_name(api_key_env, "api_key_env")
    # LiteLLM replaces os.environ/NAME only when it is the whole value: the variable holds the
    # whole header value, "Bearer sk-helicone-...".
    params["extra_headers"] = {_AUTH: _ENV + _env_name(auth_env, "auth_env"), **written}
    return {"model_name": model_name, "litellm_params": params}


def _http_url(text: str) -> str:
    """*text* if it is an absolute http(s) URL by the WHATWG URL standard."""
    try:
        scheme = Url(text).scheme
    except (TypeError, ValueError):
        scheme = ""
    if scheme not in {"http", "https"}:
        msg = f"api_base must be an absolute http(s) URL such as {HELICONE_PROXY!r}, got {text!r}"
        raise HeliconeHeadersError(msg)
    return text


def _fallback_keys(headers: HeliconeHeaders) -> bool:
    return any(fallback.headers for fallback in headers.fallbacks or ())


def litellm_proxy_yaml(*models: Mapping[str, Any]) -> str:
    """A LiteLLM proxy config with these ``model_list`` entries, as YAML text.

    Examples:
        >>> from helicone_headers import HeliconeHeaders
        >>> entry = HeliconeHeaders(user_id="batch").to_litellm_proxy_model(
        ...     model_name="gpt-4o-mini", model="openai/gpt-4o-mini"
        ... )
        >>> print(litellm_proxy_yaml(entry), end="")
        # HELICONE_AUTH must hold the whole header value: "Bearer sk-helicone-...".
        model_list:
        - model_name: gpt-4o-mini
          litellm_params:
            model: openai/gpt-4o-mini
            api_base: https://oai.helicone.ai/v1
            api_key: os.environ/OPENAI_API_KEY
            extra_headers:
              Helicone-Auth: os.environ/HELICONE_AUTH
              Helicone-User-Id: batch

    Raises:
        HeliconeHeadersError: PyYAML is not installed (the ``yaml`` extra).
    """
    yaml = _yaml()
    names = sorted(
        {
            value[len(_ENV) :]
            for entry in models
            for field in _HEADER_FIELDS
            for name, value in _headers_of(entry, field).items()
            if name.lower() == _AUTH.lower() and isinstance(value, str) and value.startswith(_ENV)
        }
    )
    notes = "".join(
        f'# {name} must hold the whole header value: "Bearer sk-helicone-...".\n' for name in names
    )
    body = yaml.safe_dump({"model_list": [dict(entry) for entry in models]}, sort_keys=False)
    return notes + cast("str", body)


def _yaml() -> Any:
    try:
        import yaml
    except ImportError:
        raise HeliconeHeadersError(_YAML_MISSING) from None
    return yaml


def _mapping(value: object) -> Mapping[str, object]:
    """*value* if it is a mapping (YAML gives any kind of value), else an empty one."""
    return cast("Mapping[str, object]", value) if isinstance(value, Mapping) else {}


def _headers_of(entry: object, field: str) -> Mapping[str, object]:
    return _mapping(_mapping(_mapping(entry).get("litellm_params")).get(field))


def _located(diagnostic: Diagnostic, path: str) -> Diagnostic:
    return Diagnostic(
        diagnostic.code,
        diagnostic.severity,
        diagnostic.header,
        f"{path}: {diagnostic.message}",
        path,
    )


def _check_header_map(path: str, headers: object) -> list[Diagnostic]:
    if not isinstance(headers, Mapping):
        return [
            Diagnostic(
                registered("input_type"),
                "error",
                None,
                f"{path}: expected a map of header names to values, got {type(headers).__name__}",
                path,
            )
        ]
    pairs = cast("Mapping[object, object]", headers)
    found: list[Diagnostic] = []
    checked: dict[object, object] = {}
    for name, value in pairs.items():
        if isinstance(value, str) and _ENV in value:
            found += _env_reference(path, name, value)
            # The variable's value is not in the config: the name alone is checked.
            checked[name] = (
                os.environ.get(value[len(_ENV) :], _STANDIN) if value.startswith(_ENV) else value
            )
        else:
            checked[name] = value
    literal = {finding.header for finding in found}  # os.environ/ inside: reported once
    for diagnostic in check(checked):
        stand_in = diagnostic.header is not None and checked.get(diagnostic.header) is _STANDIN
        if (
            diagnostic.header in literal
            or (stand_in and diagnostic.code not in _NAME_CODES)
            or diagnostic.code in _PER_REQUEST_CODES
        ):
            continue
        found.append(_located(diagnostic, path))
    return found


# A value read from the environment when the variable is not set here: only its name is checked.
_STANDIN = "os.environ"
_NAME_CODES = frozenset({"header_name_unknown", "header_repeated", "header_unknown"})
# What apps may send per request (the user id of an s=user policy): a config cannot tell.
_PER_REQUEST_CODES = frozenset({"rate_limit_user_missing", "rate_limit_property_missing"})


def _env_reference(path: str, name: object, value: str) -> list[Diagnostic]:
    if value.startswith(_ENV) and _ENV_NAME.fullmatch(value[len(_ENV) :]):
        return []
    return [
        Diagnostic(
            registered("config_env_reference"),
            "error",
            str(name),
            f"{path}: {name}: LiteLLM replaces os.environ/NAME only when it is the whole value, "
            f"so {value!r} is sent as written; put the whole header value in the variable (for "
            f'{name}: "Bearer sk-helicone-...") and write os.environ/NAME alone',
            path,
        )
    ]


def _callbacks(settings: Mapping[str, object]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for key in _CALLBACK_KEYS:
        value = settings.get(key)
        names = cast("list[object]", value) if isinstance(value, list) else [value]
        if "helicone" in names:
            path = f"litellm_settings.{key}"
            found.append(
                Diagnostic(
                    registered("proxy_callback"),
                    "error",
                    None,
                    f"{path}: on LiteLLM's proxy the helicone callback logs nothing: the proxy "
                    "adds its key's UserAPIKeyAuth object to every request's metadata, which "
                    "the callback cannot turn into JSON, and it drops the log at DEBUG level "
                    "(LiteLLM 1.110.2); send the headers through Helicone's proxy instead "
                    "(api_base and extra_headers of the model entry)",
                    path,
                )
            )
    return found


def check_litellm_config(config: Mapping[str, object] | str | os.PathLike[str]) -> list[Diagnostic]:
    """Report every Helicone header of a LiteLLM proxy config as ``check()`` would.

    *config* is the config as a dict, or the path of its YAML file (the ``yaml`` extra). Each
    model entry's ``litellm_params`` ``extra_headers`` and ``headers``, and
    ``litellm_settings.headers`` (sent to models that set none), are checked, with the
    config path of each finding in ``Diagnostic.path`` and at the start of its message. A value
    ``os.environ/NAME`` is checked by its header name, and by its value when the variable is set
    where this runs; ``os.environ/`` anywhere but at the start is an error, since LiteLLM then
    sends it as written. A ``helicone`` callback is reported too: on the proxy it logs nothing.
    A policy per user or property without that header is not reported: apps send it per
    request.

    Raises:
        HeliconeHeadersError: the file cannot be read as YAML, or holds no mapping.
    """
    data: object = config
    if not isinstance(config, Mapping):
        data = _read_yaml(Path(config))
    if not isinstance(data, Mapping):
        msg = f"a LiteLLM proxy config is a mapping with model_list, got {type(data).__name__}"
        raise HeliconeHeadersError(msg)
    settings = cast("Mapping[str, object]", data)
    found: list[Diagnostic] = []
    models = settings.get("model_list")
    for index, entry in enumerate(cast("list[object]", models) if isinstance(models, list) else []):
        params = _mapping(_mapping(entry).get("litellm_params"))
        for field in _HEADER_FIELDS:
            if field in params:
                path = f"model_list[{index}].litellm_params.{field}"
                found += _check_header_map(path, params[field])
    litellm_settings = _mapping(settings.get("litellm_settings"))
    # Set on the litellm module: sent on every call whose model entry sets no headers.
    if "headers" in litellm_settings:
        found += _check_header_map("litellm_settings.headers", litellm_settings["headers"])
    return found + _callbacks(litellm_settings)


def _read_yaml(path: Path) -> object:
    yaml = _yaml()
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        msg = f"cannot read a YAML config from {str(path)!r}: {' '.join(str(exc).split())}"
        raise HeliconeHeadersError(msg) from exc
