"""The ``helicone-headers`` command line: build, proxy-config, check, fix, policy, docs, response.

Results go to stdout; errors go to stderr as ``error: <message>`` with exit code 1, and usage
mistakes as one line with exit code 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from pydantic import ValidationError

from helicone_headers import __version__
from helicone_headers._check import Diagnostic, check
from helicone_headers._codes import CODES, diagnostics_markdown
from helicone_headers._docs import render_header_docs
from helicone_headers._exceptions import HeliconeHeadersError
from helicone_headers._fix import fix
from helicone_headers._headers import HELICONE_PROXY, HeliconeHeaders
from helicone_headers._litellm_proxy import check_litellm_config, litellm_proxy_yaml
from helicone_headers._policy import RateLimitPolicy
from helicone_headers._response import HeliconeResponse

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["main"]


class UsageError(HeliconeHeadersError):
    """Input the command cannot use (not JSON, not NAME=VALUE, ...)."""


def _read_json(path: str) -> object:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        return json.loads(text)
    except (OSError, ValueError, RecursionError) as exc:  # RecursionError: deep nesting
        msg = f"cannot read a JSON object from {path!r}: {exc}"
        raise UsageError(msg) from exc


def _pairs(items: list[str] | None, flag: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep:
            msg = f"{flag} takes NAME=VALUE, got {item!r}"
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
        return HeliconeHeaders.from_env(
            **{k: v for k, v in data.items() if v is not None and k != "api_key"}
        )
    return HeliconeHeaders.model_validate({k: v for k, v in data.items() if v is not None})


def _finding(diagnostic: Diagnostic) -> str:
    """One finding, on one line: ``error [code] message``."""
    return f"{diagnostic.severity} [{diagnostic.code}] {_line(diagnostic.message)}"


def _build(args: argparse.Namespace) -> int:
    headers = _headers(args)
    print(json.dumps(headers.to_headers(), indent=2))
    # What works but likely not as meant (s=user without --user-id, ...), as check would say.
    for diagnostic in check(headers):
        print(_finding(diagnostic), file=sys.stderr)
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
    sys.stdout.write(litellm_proxy_yaml(*entries))
    for diagnostic in check_litellm_config({"model_list": entries}):
        print(_finding(diagnostic), file=sys.stderr)
    return 0


def _check(args: argparse.Namespace) -> int:
    if args.file.endswith((".yaml", ".yml")):
        diagnostics = check_litellm_config(args.file)
    else:
        diagnostics = check(_read_json(args.file))
    if args.json:
        print(json.dumps([diagnostic.as_dict() for diagnostic in diagnostics], indent=2))
    elif not diagnostics:
        print("no problems found")
    for diagnostic in diagnostics if not args.json else ():
        print(_finding(diagnostic))
    return 1 if any(diagnostic.severity == "error" for diagnostic in diagnostics) else 0


def _fix(args: argparse.Namespace) -> int:
    fixed = fix(_read_json(args.file))
    errors = any(diagnostic.severity == "error" for diagnostic in fixed.unfixed)
    if args.json:
        report = {
            "headers": fixed.headers,
            "changes": [dataclasses.asdict(change) for change in fixed.changes],
            "unfixed": [diagnostic.as_dict() for diagnostic in fixed.unfixed],
        }
        print(json.dumps(report, indent=2))
        return 1 if errors else 0
    print(json.dumps(fixed.headers, indent=2))
    for change in fixed.changes:
        print(f"fixed [{change.code}] {_line(change.message)}", file=sys.stderr)
    for diagnostic in fixed.unfixed:
        left = "left out, " if diagnostic.severity == "error" else ""
        print(left + _finding(diagnostic), file=sys.stderr)
    return 1 if errors else 0


def _policy(args: argparse.Namespace) -> int:
    policy = RateLimitPolicy.parse(args.policy)
    if args.json:
        print(
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
        print(f"{policy}: {policy.explain()}")
    return 0


def _docs(args: argparse.Namespace) -> int:
    if not args.diagnostics:
        sys.stdout.write(render_header_docs(args.format))
    elif args.format == "json":
        codes = [{"code": code, **entry._asdict()} for code, entry in CODES.items()]
        sys.stdout.write(json.dumps(codes, indent=2) + "\n")
    else:
        sys.stdout.write(diagnostics_markdown())
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
        print(json.dumps(fields, indent=2))
    else:
        for name, value in fields.items():
            print(f"{name}: {value}")
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
    """Usage mistakes in one line, not argparse's usage block (some thirty lines for build)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {_line(message)} (see {self.prog} --help)\n")


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


# A header name may hold a line break: each finding stays on its line. C0 and C1 controls and
# the Unicode line and paragraph separators are shown escaped (str.splitlines breaks on them).
_ONE_LINE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"  # noqa: PLR2004 - one byte
    for code in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
    if code != ord("\t")
}


def _line(text: str) -> str:
    return text.translate(_ONE_LINE)


def _messages(exc: Exception) -> list[str]:
    """One line per error."""
    if isinstance(exc, ValidationError):
        return [_line(error["msg"]) for error in exc.errors()]
    return [_line(str(exc))]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except (ValidationError, HeliconeHeadersError, TypeError) as exc:
        for message in _messages(exc):
            print(f"error: {message}", file=sys.stderr)
        return 1
