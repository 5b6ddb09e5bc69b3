"""The ``helicone-headers`` command line: build, proxy-config, check, fix, policy, docs, response.

Results go to stdout; errors go to stderr as ``error: <message>`` with exit code 1, and usage
mistakes as one line with exit code 2. Whatever it is given, it never prints a traceback, a
secret or a value read from the environment, and every character a terminal would act on
(controls, bidi overrides, line separators) is printed escaped.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import sys
import uuid
from typing import TYPE_CHECKING, Any, NoReturn

from pydantic import ValidationError

from helicone_headers import __version__
from helicone_headers._check import Diagnostic, check
from helicone_headers._codes import CODES, diagnostics_markdown
from helicone_headers._docs import render_header_docs
from helicone_headers._exceptions import HeliconeHeadersError
from helicone_headers._fix import fix
from helicone_headers._headers import HELICONE_PROXY, HeliconeHeaders
from helicone_headers._input import read_text, surrogate_problem, yaml_module
from helicone_headers._litellm_proxy import (
    check_litellm_config,
    litellm_proxy_yaml,
    repair_litellm_config,
)
from helicone_headers._policy import RateLimitPolicy
from helicone_headers._response import HeliconeResponse

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["main"]


class UsageError(HeliconeHeadersError):
    """Input the command cannot use (not JSON, not NAME=VALUE, ...)."""


def _read_json(path: str) -> object:
    start = f"cannot read a JSON object from {path!r}"
    text = read_text(path, "a JSON object")
    try:
        data = json.loads(text)
        # A "\ud800" escape reads as a lone surrogate, which is not text: no header carries it.
        problem = surrogate_problem(json.dumps(data, ensure_ascii=False))
    except ValueError as exc:  # JSONDecodeError says line and column, never the text
        msg = f"{start}: {exc}"
        raise UsageError(msg) from None
    except RecursionError:
        msg = f"{start}: it is nested too deeply"
        raise UsageError(msg) from None
    if problem is not None:
        raise UsageError(f"{start}: {problem}")
    return data


def _pairs(items: list[str] | None, flag: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep:
            msg = f"{flag} takes NAME=VALUE, got {item!r}"
            raise UsageError(msg)
        if name in result:  # the later one would replace the earlier without a word
            msg = f"{flag} gives {name!r} twice; give each NAME once (the later would replace the earlier)"
            raise UsageError(msg)
        result[name] = value
    return result


def _group(**options: object) -> dict[str, object] | None:
    """The options that were given, or None when none was."""
    given = {name: value for name, value in options.items() if value not in (None, False, [])}
    return given or None


def _headers(args: argparse.Namespace) -> HeliconeHeaders:
    """The headers the build flags describe."""
    data: dict[str, Any] = {
        "api_key": getattr(args, "api_key", None),
        "user_id": args.user_id,
        "properties": _pairs(args.property, "--property"),
        "session": _group(
            id=str(uuid.uuid4()) if args.new_session else args.session_id,
            path=args.session_path,
            name=args.session_name,
        ),
        "prompt": _group(id=args.prompt_id, version=args.prompt_version, mode=args.prompt_mode),
        "cache": _group(
            enabled=args.cache,
            max_age_seconds=args.cache_max_age,
            bucket_max_size=args.cache_bucket_max_size,
            seed=args.cache_seed,
            ignore_keys=args.cache_ignore_key,
        ),
        "rate_limit": args.rate_limit,
        "retry": _group(
            max_attempts=args.retry_max_attempts,
            factor=args.retry_factor,
            min_timeout_ms=args.retry_min_timeout_ms,
            max_timeout_ms=args.retry_max_timeout_ms,
        )
        or ({} if args.retry else None),
        "security": _group(
            llm_security=args.llm_security,
            advanced=args.llm_security_advanced,
            moderations=args.moderations,
        ),
        "model_override": args.model_override,
        "omit_request": args.omit_request,
        "omit_response": args.omit_response,
        "request_id": str(uuid.uuid4()) if args.new_request_id else args.request_id,
        "token_limit_handler": args.token_limit_handler,
        "posthog": _group(key=args.posthog_key, host=args.posthog_host),
        "stream_usage": args.stream_usage,
        "target_url": args.target_url,
        "openai_api_base": args.openai_api_base,
        "extra_headers": _pairs(args.header, "--header"),
    }
    if getattr(args, "from_env", False):
        try:
            return HeliconeHeaders.from_env(
                **{k: v for k, v in data.items() if v is not None and k != "api_key"}
            )
        except HeliconeHeadersError:  # it speaks of Python's api_key=
            msg = (
                "--from-env reads the Helicone key from HELICONE_API_KEY, which is not set; "
                "export HELICONE_API_KEY=sk-helicone-... (a key given as --api-key shows in "
                "the process list and the shell's history)"
            )
            raise UsageError(msg) from None
    return HeliconeHeaders.model_validate({k: v for k, v in data.items() if v is not None})


def _finding(diagnostic: Diagnostic) -> str:
    """One finding, on one line: ``error [code] message``."""
    return f"{diagnostic.severity} [{diagnostic.code}] {diagnostic.message}"


def _build(args: argparse.Namespace) -> int:
    headers = _headers(args)
    _block(json.dumps(headers.to_headers(), indent=2))
    # What works but likely not as meant (s=user without --user-id, ...), as check would say.
    for diagnostic in check(headers):
        _err(_finding(diagnostic))
    return 0


def _proxy_config(args: argparse.Namespace) -> int:
    headers = _headers(args)
    entries = [
        headers.to_litellm_proxy_model(
            model_name=name,
            model=model,
            api_base=args.api_base,
            auth_env=args.auth_env,
            api_key_env=None if args.no_api_key else args.api_key_env,
        )
        for name, model in _pairs(args.model, "--model").items()
    ]
    _block(litellm_proxy_yaml(*entries), end="")
    for diagnostic in check_litellm_config({"model_list": entries}):
        _err(_finding(diagnostic))
    return 0


def _is_yaml(path: str) -> bool:
    return path.endswith((".yaml", ".yml"))


def _check(args: argparse.Namespace) -> int:
    if _is_yaml(args.file):
        diagnostics = check_litellm_config(args.file)
    else:
        diagnostics = check(_read_json(args.file))
    if args.json:
        _block(json.dumps([diagnostic.as_dict() for diagnostic in diagnostics], indent=2))
    elif not diagnostics:
        _out("no problems found")
    for diagnostic in diagnostics if not args.json else ():
        _out(_finding(diagnostic))
    return 1 if any(diagnostic.severity == "error" for diagnostic in diagnostics) else 0


def _fix(args: argparse.Namespace) -> int:
    if _is_yaml(args.file):
        repaired = repair_litellm_config(args.file)
        key, result = "config", repaired.data
        changes, unfixed, left_out = repaired.changes, repaired.unfixed, repaired.left_out
    else:
        fixed = fix(_read_json(args.file))
        key, result = "headers", fixed.headers
        changes, unfixed = fixed.changes, fixed.unfixed
        left_out = [diagnostic for diagnostic in unfixed if diagnostic.severity == "error"]
    errors = any(diagnostic.severity == "error" for diagnostic in unfixed)
    if args.json:
        report = {
            key: result,
            "changes": [dataclasses.asdict(change) for change in changes],
            "unfixed": [diagnostic.as_dict() for diagnostic in unfixed],
        }
        _block(json.dumps(report, indent=2, default=repr))
        return 1 if errors else 0
    if key == "config":
        # PyYAML keeps no comments: the config is written anew (docs/cli.md says so).
        _block(yaml_module().safe_dump(result, sort_keys=False), end="")
    else:
        _block(json.dumps(result, indent=2))
    for change in changes:
        _err(f"fixed [{change.code}] {change.message}")
    for diagnostic in unfixed:
        _err(("left out, " if diagnostic in left_out else "") + _finding(diagnostic))
    return 1 if errors else 0


def _policy(args: argparse.Namespace) -> int:
    policy = RateLimitPolicy.parse(args.policy)
    if args.json:
        _block(
            json.dumps(
                {
                    "policy": str(policy),
                    "quota": policy.quota,
                    "window_seconds": policy.window_seconds,
                    "unit": policy.unit,
                    "segment": policy.segment,
                    "refill_per_second": policy.refill_per_second,
                    "explanation": policy.explain(),
                },
                indent=2,
            )
        )
    else:
        _out(f"{policy}: {policy.explain()}")
    return 0


def _docs(args: argparse.Namespace) -> int:
    if not args.diagnostics:
        _block(render_header_docs(args.format), end="")
    elif args.format == "json":
        codes = [{"code": code, **entry._asdict()} for code, entry in CODES.items()]
        _block(json.dumps(codes, indent=2))
    else:
        _block(diagnostics_markdown(), end="")
    return 0


def _response(args: argparse.Namespace) -> int:
    data = _read_json(args.file)
    if not isinstance(data, dict):
        msg = f"expected a JSON object of response headers, got {type(data).__name__}"
        raise UsageError(msg)
    response = HeliconeResponse.from_headers(data)  # pyright: ignore[reportUnknownArgumentType]
    fields = response.model_dump(mode="json", by_alias=False, exclude_defaults=True)
    if response.rate_limit_policy is not None:
        fields["rate_limit_policy"] = str(response.rate_limit_policy)
    fields["cache_hit"] = response.cache_hit
    if args.json:
        _block(json.dumps(fields, indent=2))
    else:
        for name, value in fields.items():
            _out(f"{name}: {value}")
    return 0


def _add_build_flags(build: argparse.ArgumentParser, *, key: bool = True) -> None:
    if key:
        keys = build.add_mutually_exclusive_group()
        keys.add_argument("--api-key", help="Helicone API key, with or without 'Bearer '")
        keys.add_argument(
            "--from-env", action="store_true", help="take the API key from HELICONE_API_KEY"
        )
    build.add_argument("--user-id")
    build.add_argument(
        "--property", action="append", metavar="NAME=VALUE", help="a custom property; repeatable"
    )
    build.add_argument("--session-id")
    build.add_argument("--new-session", action="store_true", help="a new random session id")
    build.add_argument("--session-path")
    build.add_argument("--session-name")
    build.add_argument("--prompt-id")
    build.add_argument("--prompt-version")
    build.add_argument("--prompt-mode", choices=("production", "testing", "deactivated"))
    build.add_argument("--cache", action="store_true", help="turn caching on")
    build.add_argument("--cache-max-age", type=int, metavar="SECONDS")
    build.add_argument("--cache-bucket-max-size", type=int, metavar="N")
    build.add_argument("--cache-seed")
    build.add_argument("--cache-ignore-key", action="append", metavar="KEY", help="repeatable")
    build.add_argument("--rate-limit", metavar="POLICY", help="such as 10;w=60;s=user")
    build.add_argument(
        "--retry", action="store_true", help="turn retries on with Helicone's defaults"
    )
    build.add_argument("--retry-max-attempts", type=int, metavar="N")
    build.add_argument("--retry-factor", type=float)
    build.add_argument("--retry-min-timeout-ms", type=int, metavar="MS")
    build.add_argument("--retry-max-timeout-ms", type=int, metavar="MS")
    build.add_argument("--llm-security", action="store_true")
    build.add_argument("--llm-security-advanced", action="store_true")
    build.add_argument("--moderations", action="store_true")
    build.add_argument("--model-override")
    build.add_argument("--omit-request", action="store_true")
    build.add_argument("--omit-response", action="store_true")
    build.add_argument("--request-id", metavar="UUID")
    build.add_argument("--new-request-id", action="store_true", help="a new random request id")
    build.add_argument("--token-limit-handler", choices=("truncate", "middle-out", "fallback"))
    build.add_argument("--posthog-key")
    build.add_argument("--posthog-host")
    build.add_argument("--stream-usage", action="store_true")
    build.add_argument("--target-url")
    build.add_argument("--openai-api-base")
    build.add_argument(
        "--header",
        action="append",
        metavar="NAME=VALUE",
        help="another Helicone-* header; repeatable",
    )


class _Parser(argparse.ArgumentParser):
    """Usage mistakes in one line, not argparse's usage block (some thirty lines for build).

    No abbreviations, on any command: ``--api-key`` must not be taken for ``--api-key-env``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        _usage_error(self.prog, message)


def _usage_error(prog: str, message: str) -> NoReturn:
    sys.stderr.write(f"{prog}: error: {_line(message)} (see {prog} --help)\n")
    raise SystemExit(2)


def _unrecognized(extras: list[str], command: str) -> str:
    """Name the unknown flags, never the values given: a value may be a key."""
    flags = [extra.partition("=")[0] for extra in extras if extra.startswith("-") and extra != "-"]
    values = len(extras) - len(flags) + sum("=" in extra for extra in extras if extra[:1] == "-")
    message = f"unrecognized arguments: {' '.join(flags)}" if flags else "unrecognized arguments"
    if values:
        message += f" ({values} value{'s' if values > 1 else ''} not shown)"
    if command == "proxy-config" and {"--api-key", "--from-env"} & set(flags):
        message += (
            "; proxy-config writes no key: the Helicone key belongs in an environment variable "
            "that holds the whole value 'Bearer sk-helicone-...', named by --auth-env "
            "(HELICONE_AUTH by default)"
        )
    return message


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="helicone-headers",
        description="Build, check and explain Helicone request headers.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build a header dict from flags; prints JSON")
    build.set_defaults(run=_build)
    _add_build_flags(build)

    proxy = commands.add_parser(
        "proxy-config",
        help="print a LiteLLM proxy config (YAML) whose models send these headers via Helicone",
    )
    proxy.set_defaults(run=_proxy_config)
    proxy.add_argument(
        "--model",
        action="append",
        required=True,
        metavar="NAME=MODEL",
        help="a model_list entry, such as gpt-4o-mini=openai/gpt-4o-mini; repeatable",
    )
    proxy.add_argument("--api-base", default=HELICONE_PROXY, help="Helicone's proxy URL")
    proxy.add_argument(
        "--auth-env",
        default="HELICONE_AUTH",
        metavar="NAME",
        help='the variable holding the whole Helicone-Auth value, "Bearer sk-helicone-..."',
    )
    provider = proxy.add_mutually_exclusive_group()
    provider.add_argument(
        "--api-key-env", default="OPENAI_API_KEY", metavar="NAME", help="the provider key"
    )
    provider.add_argument(
        "--no-api-key", action="store_true", help="write no provider key reference"
    )
    _add_build_flags(proxy, key=False)

    lint = commands.add_parser(
        "check",
        help="lint a JSON header dict, or a LiteLLM proxy config (.yaml); exit 1 on errors",
    )
    lint.set_defaults(run=_check)
    lint.add_argument("file", help="a JSON file, a LiteLLM proxy config.yaml, or - for stdin")
    lint.add_argument("--json", action="store_true", help="print the diagnostics as JSON")

    repair = commands.add_parser(
        "fix",
        help="repair a JSON header dict; prints the fixed JSON, and on stderr what changed and "
        "what was left out; exit 1 if an error had to be left out",
    )
    repair.set_defaults(run=_fix)
    repair.add_argument("file", help="a JSON file, or - for stdin")
    repair.add_argument(
        "--json", action="store_true", help="print headers, changes and unfixed findings as JSON"
    )

    policy = commands.add_parser("policy", help="parse and explain a rate-limit policy")
    policy.set_defaults(run=_policy)
    policy.add_argument("policy", help="such as 10;w=60;u=cents;s=user")
    policy.add_argument("--json", action="store_true")

    docs = commands.add_parser("docs", help="print the header or diagnostics reference")
    docs.set_defaults(run=_docs)
    docs.add_argument("--format", choices=("markdown", "json"), default="markdown")
    docs.add_argument(
        "--diagnostics", action="store_true", help="the error and warning codes instead"
    )

    response = commands.add_parser("response", help="parse Helicone's response headers (JSON)")
    response.set_defaults(run=_response)
    response.add_argument("file", help="a JSON file, or - for stdin")
    response.add_argument("--json", action="store_true")
    return parser


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:  # noqa: PLR2004 - one byte
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"  # noqa: PLR2004 - BMP


def _line(text: str) -> str:
    """*text* as one line a terminal shows as written.

    Every character that is not printable is escaped: C0 and C1 controls (tab and line breaks
    too, so that each finding stays on its line), bidi overrides and isolates (U+202E, U+2066)
    and other format characters, line and paragraph separators, lone surrogates.
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _out(text: str) -> None:
    """One line on stdout."""
    sys.stdout.write(_line(text) + "\n")


def _err(text: str) -> None:
    """One line on stderr."""
    sys.stderr.write(_line(text) + "\n")


def _block(text: str, end: str = "\n") -> None:
    """Lines of JSON, YAML or Markdown on stdout, each escaped as one line."""
    sys.stdout.write("\n".join(_line(line) for line in text.split("\n")) + end)


def _messages(exc: Exception) -> list[str]:
    """One line per error."""
    if isinstance(exc, ValidationError):
        return [error["msg"] for error in exc.errors()]
    return [str(exc)]


def _quiet_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):  # no file descriptor (a StringIO)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        _usage_error(f"{parser.prog} {args.command}", _unrecognized(extras, args.command))
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        code = run(args)
        sys.stdout.flush()
    except BrokenPipeError:  # `check big.json | head -1`: the reader has all it wanted
        _quiet_stdout()
        return 1
    except (ValidationError, HeliconeHeadersError, TypeError) as exc:
        for message in _messages(exc):
            _err(f"error: {message}")
        return 1
    except Exception as exc:  # noqa: BLE001 - a traceback may quote what was read
        _err(
            f"error: unexpected {type(exc).__name__} (a bug in helicone-headers; please report it)"
        )
        return 1
    return code
