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

import dataclasses
import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from pydantic_core import Url

from helicone_headers._check import Diagnostic, check
from helicone_headers._codes import CODES, registered
from helicone_headers._exceptions import HeliconeHeadersError
from helicone_headers._fix import Change, fix
from helicone_headers._headers import HELICONE_PROXY, HeliconeHeaders
from helicone_headers._input import ConfigFile, read_config, yaml_module
from helicone_headers._names import header_names, is_secret, routes

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "RepairedConfig",
    "check_litellm_config",
    "litellm_proxy_model",
    "litellm_proxy_yaml",
    "repair_litellm_config",
]

_ENV = "os.environ/"
_AUTH = header_names(HeliconeHeaders)["api_key"][0]
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
# The header fields of a model entry's litellm_params that the proxy sends upstream.
_HEADER_FIELDS = ("extra_headers", "headers")
_CALLBACK_KEYS = ("success_callback", "callbacks", "failure_callback")


def _env_name(name: str, argument: str) -> str:
    if not isinstance(name, str) or _ENV_NAME.fullmatch(name) is None:  # pyright: ignore[reportUnnecessaryIsInstance] - callers may pass anything
        msg = f"{argument} must name an environment variable (letters, digits, '_'), got {name!r}"
        raise HeliconeHeadersError(msg)
    return name


def _reference(value: object) -> str | None:
    """The variable of an ``os.environ/NAME`` value that LiteLLM replaces, else None."""
    if isinstance(value, str) and value.startswith(_ENV):
        name = value[len(_ENV) :]
        return name if _ENV_NAME.fullmatch(name) else None
    return None


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
    if headers.request_id is not None:
        msg = (
            "request_id belongs to one request; in a proxy config every call to the model would "
            "carry the same Helicone-Request-Id. Send it per request instead, in the body: "
            "extra_body=HeliconeHeaders(request_id=...).to_litellm_proxy_body()"
        )
        raise HeliconeHeadersError(msg)
    written = {
        name: value for name, value in headers.to_headers().items() if name.lower() != _AUTH.lower()
    }
    secrets = _secrets(headers, written)
    if secrets:
        raise HeliconeHeadersError("; ".join(secrets))
    for argument, text in (("model_name", model_name), ("model", model)):
        if not isinstance(text, str) or not text.strip() or not text.isprintable():  # pyright: ignore[reportUnnecessaryIsInstance] - callers may pass anything
            msg = f"{argument} must be a non-empty str of printable characters, got {text!r}"
            raise HeliconeHeadersError(msg)
    params: dict[str, Any] = {"model": model, "api_base": _http_url(api_base)}
    if api_key_env is not None:
        params["api_key"] = _ENV + _env_name(api_key_env, "api_key_env")
    # LiteLLM replaces os.environ/NAME only when it is the whole value: the variable holds the
    # whole header value, "Bearer sk-helicone-...".
    params["extra_headers"] = {_AUTH: _ENV + _env_name(auth_env, "auth_env"), **written}
    return {"model_name": model_name, "litellm_params": params}


def _secrets(headers: HeliconeHeaders, written: Mapping[str, str]) -> list[str]:
    """Why each secret of *headers* cannot be written into a config (empty if none is)."""
    found: list[str] = []
    groups: dict[str, None] = {}
    table = routes(HeliconeHeaders)
    for name, value in written.items():
        route = table.get(name.lower())
        # Fallbacks are secret for their entries' headers, weighed below.
        fallbacks = route is not None and route.field == "fallbacks"
        if fallbacks or not is_secret(HeliconeHeaders, name) or _reference(value) is not None:
            continue
        if route is None:  # an extra header: it may be written as a reference
            found.append(
                f"extra_headers[{name!r}] would write a secret into the config; write its value "
                "as os.environ/NAME, with NAME holding the whole header value"
            )
        else:
            groups[route.group or route.field] = None
    if any(fallback.headers for fallback in headers.fallbacks or ()):
        groups["fallbacks"] = None  # provider keys in the fallback entries' headers
    found += [
        f"{group} would write a secret into the config; leave {group} unset here and add its "
        "header to the entry's extra_headers as os.environ/NAME, with NAME holding the whole "
        "header value"
        for group in groups
    ]
    return found


def _http_url(text: str) -> str:
    """*text* if it is a clean absolute http(s) URL: WHATWG reads it as written."""
    example = f"an absolute http(s) URL such as {HELICONE_PROXY!r}"
    if not isinstance(text, str):  # pyright: ignore[reportUnnecessaryIsInstance] - callers may pass anything
        msg = f"api_base must be {example}, got {type(text).__name__}"
        raise HeliconeHeadersError(msg)
    try:
        url: Url | None = Url(text)
    except ValueError:
        url = None
    if url is not None and (url.username is not None or url.password is not None):
        # A password is a secret: not quoted back.
        msg = f"api_base must not hold a user name or password (not shown); use {example}"
        raise HeliconeHeadersError(msg)
    # Only what httpx and LiteLLM send as written: no space, control or non-ASCII character
    # (WHATWG drops outer ones and encodes inner ones), and the text WHATWG normalises it to.
    clean = (
        url is not None
        and url.scheme in {"http", "https"}
        and url.query is None
        and url.fragment is None
        and text.isascii()
        and text.isprintable()
        and " " not in text
        and str(url) in {text, text + "/"}
    )
    if not clean:
        # Text with '@' may hold a password that WHATWG could not read as one: not quoted back.
        got = "a URL with '@' (not shown)" if "@" in text else repr(text)
        shown = f"; WHATWG reads it as {str(url)!r}" if url is not None and "@" not in text else ""
        msg = (
            f"api_base must be {example}, with no space, control character, query or fragment, "
            f"got {got}{shown}"
        )
        raise HeliconeHeadersError(msg)
    return text


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
        HeliconeHeadersError: PyYAML is not installed (the ``yaml`` extra), or an
            ``os.environ/`` reference of ``Helicone-Auth`` does not name a variable.
    """
    yaml = yaml_module()
    names = sorted(
        {
            # Validated: each name goes into a comment line, where a line break would add keys.
            _env_name(value[len(_ENV) :], f"{_AUTH}: os.environ/NAME")
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


def _mapping(value: object) -> Mapping[str, object]:
    """*value* if it is a mapping (YAML gives any kind of value), else an empty one."""
    return cast("Mapping[str, object]", value) if isinstance(value, Mapping) else {}


def _headers_of(entry: object, field: str) -> Mapping[str, object]:
    return _mapping(_mapping(_mapping(entry).get("litellm_params")).get(field))


def _header_maps(settings: Mapping[str, object]) -> Iterator[tuple[str, Any, str]]:
    """(config path, container, key) of every header field the proxy sends upstream."""
    models = settings.get("model_list")
    for index, entry in enumerate(cast("list[object]", models) if isinstance(models, list) else []):
        params = _mapping(_mapping(entry).get("litellm_params"))
        for field in _HEADER_FIELDS:
            if field in params:
                yield f"model_list[{index}].litellm_params.{field}", params, field
    litellm_settings = _mapping(settings.get("litellm_settings"))
    # Set on the litellm module: sent on every call whose model entry sets no headers.
    if "headers" in litellm_settings:
        yield "litellm_settings.headers", litellm_settings, "headers"


def _where(path: str, header: str | None, source: ConfigFile | None) -> str:
    """``config.yaml:12: <path>`` when read from a file, else the path."""
    line = None if source is None else source.line(path, header)
    return path if source is None or line is None else f"{source.name}:{line}: {path}"


def _located(
    diagnostic: Diagnostic, path: str, message: str, source: ConfigFile | None
) -> Diagnostic:
    return Diagnostic(
        diagnostic.code,
        diagnostic.severity,
        diagnostic.header,
        f"{_where(path, diagnostic.header, source)}: {message}",
        path,
    )


def _not_a_map(path: str, headers: object, source: ConfigFile | None) -> Diagnostic:
    return Diagnostic(
        registered("input_type"),
        "error",
        None,
        f"{_where(path, None, source)}: expected a map of header names to values, got "
        f"{type(headers).__name__}",
        path,
    )


def _check_header_map(path: str, headers: object, source: ConfigFile | None) -> list[Diagnostic]:
    if not isinstance(headers, Mapping):
        return [_not_a_map(path, headers, source)]
    pairs = cast("Mapping[object, object]", headers)
    found: list[Diagnostic] = []
    checked: dict[object, object] = {}
    read: dict[object, tuple[str, str]] = {}  # header -> (variable, its value), never shown
    for name, value in pairs.items():
        variable = _reference(value)
        if variable is not None:
            # Only the name is checked when the variable is not set where this runs.
            environ = os.environ.get(variable)
            checked[name] = _STANDIN if environ is None else environ
            if environ is not None:
                read[name] = (variable, environ)
        elif isinstance(value, str) and _ENV in value:
            found.append(_env_reference(path, name, source))
        else:
            checked[name] = value
    for diagnostic in check(checked):
        stand_in = diagnostic.header is not None and checked.get(diagnostic.header) is _STANDIN
        if (stand_in and diagnostic.code not in _NAME_CODES) or (
            diagnostic.code in _PER_REQUEST_CODES
        ):
            continue
        found.append(_located(diagnostic, path, _without_values(diagnostic, read), source))
    return found


# A value read from the environment when the variable is not set here: only its name is checked.
_STANDIN = "os.environ"
_NAME_CODES = frozenset({"header_name_unknown", "header_repeated", "header_unknown"})
# What apps may send per request (the user id of an s=user policy): a config cannot tell.
_PER_REQUEST_CODES = frozenset({"rate_limit_user_missing", "rate_limit_property_missing"})


def _without_values(diagnostic: Diagnostic, read: Mapping[object, tuple[str, str]]) -> str:
    """The finding's message, or one built from its code and the variable's name.

    The latter where the message may show a value read from the environment.
    """
    if diagnostic.header in read:
        variables = [read[diagnostic.header][0]]
    else:
        text = diagnostic.message.casefold()
        variables = [
            variable
            for variable, value in read.values()
            if diagnostic.header is None or any(form in text for form in _forms(value))
        ]
    if not variables:
        return diagnostic.message
    what = CODES[diagnostic.code].what
    subject = f"{diagnostic.header}: " if diagnostic.header is not None else ""
    values = "the value of" if len(variables) == 1 else "the values of"
    references = ", ".join(_ENV + variable for variable in variables)
    return f"{subject}{values} {references} (not shown) has this problem: {what}"


def _forms(value: str) -> set[str]:
    """How a message may quote *value*, case folded."""
    forms = {value, value.strip(), repr(value)[1:-1], repr(value.strip())[1:-1]}
    return {form.casefold() for form in forms if form}


def _env_reference(path: str, name: object, source: ConfigFile | None) -> Diagnostic:
    header = str(name)
    # The value is not quoted: it is the header's value, and may hold a key.
    return Diagnostic(
        registered("config_env_reference"),
        "error",
        header,
        f"{_where(path, header, source)}: {header}: LiteLLM replaces os.environ/NAME only when "
        "it is the whole value and NAME is a variable name (letters, digits, '_'), so this "
        "value is sent as written, os.environ/ included; put the whole header value in the "
        f'variable (for {header}: "Bearer sk-helicone-...") and write os.environ/NAME alone',
        path,
    )


def _callbacks(settings: Mapping[str, object], source: ConfigFile | None) -> list[Diagnostic]:
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
                    f"{_where(path, None, source)}: on LiteLLM's proxy the helicone callback "
                    "logs nothing: the proxy adds its key's UserAPIKeyAuth object to every "
                    "request's metadata, which the callback cannot turn into JSON, and it drops "
                    "the log at DEBUG level (LiteLLM 1.110.2); send the headers through "
                    "Helicone's proxy instead (api_base and extra_headers of the model entry)",
                    path,
                )
            )
    return found


def _settings(
    config: Mapping[str, object] | str | os.PathLike[str],
) -> tuple[Mapping[str, object], ConfigFile | None]:
    source = None if isinstance(config, Mapping) else read_config(config)
    data = config if source is None else source.data
    if not isinstance(data, Mapping):
        msg = f"a LiteLLM proxy config is a mapping with model_list, got {type(data).__name__}"
        raise HeliconeHeadersError(msg)
    return cast("Mapping[str, object]", data), source


def check_litellm_config(config: Mapping[str, object] | str | os.PathLike[str]) -> list[Diagnostic]:
    """Report every Helicone header of a LiteLLM proxy config as ``check()`` would.

    *config* is the config as a dict, or the path of its YAML file (the ``yaml`` extra). Each
    model entry's ``litellm_params`` ``extra_headers`` and ``headers``, and
    ``litellm_settings.headers`` (sent to models that set none), are checked, with the
    config path of each finding in ``Diagnostic.path`` and at the start of its message; read
    from a file, the message starts with the file and line too (``config.yaml:12: model_list[0]
    ...``). A value ``os.environ/NAME`` is checked by its header name, and by its value when
    the variable is set where this runs; that value is never shown: such a finding names the
    variable and says what kind of problem the value has. ``os.environ/`` anywhere but at the
    start is an error, since LiteLLM then sends it as written. A ``helicone`` callback is
    reported too: on the proxy it logs nothing. A policy per user or property without that
    header is not reported: apps send it per request.

    A file is read only within bounds: at most 1 MiB, nested at most 100 levels, and at most
    100 000 nodes with its aliases expanded.

    Raises:
        HeliconeHeadersError: the file cannot be read as YAML within those bounds, or holds
            no mapping; the message gives the line and column, never the file's text.
    """
    settings, source = _settings(config)
    found: list[Diagnostic] = []
    for path, container, key in _header_maps(settings):
        found += _check_header_map(path, container[key], source)
    return found + _callbacks(_mapping(settings.get("litellm_settings")), source)


@dataclasses.dataclass(frozen=True)
class RepairedConfig:
    """What ``repair_litellm_config`` makes of a proxy config."""

    data: object
    """The config with each header map repaired by ``fix()``."""
    changes: list[Change]
    """Every repair, its message starting with where it is in the config."""
    unfixed: list[Diagnostic]
    """Every finding left, as ``check_litellm_config`` words it."""
    left_out: list[Diagnostic]
    """The errors of ``unfixed`` whose header ``fix()`` left out of the repaired config."""


def repair_litellm_config(config: Mapping[str, object] | str | os.PathLike[str]) -> RepairedConfig:
    """Repair every header map of a LiteLLM proxy config with ``fix()``.

    A value that holds ``os.environ/`` is kept as written and is not repaired: its value is
    not in the config, and a repair must not write it there.

    Raises:
        HeliconeHeadersError: as ``check_litellm_config``.
    """
    settings, source = _settings(config)
    changes: list[Change] = []
    unfixed: list[Diagnostic] = []
    left_out: list[Diagnostic] = []
    for path, container, key in _header_maps(settings):
        headers = container[key]
        if not isinstance(headers, Mapping):
            unfixed.append(_not_a_map(path, headers, source))
            continue
        pairs = cast("Mapping[object, object]", headers)
        kept = {
            name: value for name, value in pairs.items() if isinstance(value, str) and _ENV in value
        }
        fixed = fix({name: value for name, value in pairs.items() if name not in kept})
        taken = {str(name).lower() for name in kept}
        repaired = {
            name: value for name, value in fixed.headers.items() if name.lower() not in taken
        }
        # In the order written: names kept or repaired in place, then renamed ones.
        written: dict[object, object] = {}
        for name in pairs:
            if name in kept or name in repaired:
                written[name] = kept[name] if name in kept else repaired[cast("str", name)]
        container[key] = written | repaired
        changes += [
            Change(
                change.code,
                change.header,
                f"{_where(path, change.header, source)}: {change.message}",
            )
            for change in fixed.changes
        ]
        located = [_located(d, path, d.message, source) for d in fixed.unfixed]
        left_out += [diagnostic for diagnostic in located if diagnostic.severity == "error"]
        unfixed += located + _check_header_map(path, kept, source)
    unfixed += _callbacks(_mapping(settings.get("litellm_settings")), source)
    return RepairedConfig(settings, changes, unfixed, left_out)
