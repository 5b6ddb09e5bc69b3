"""The registry of error types and diagnostic codes, from which docs/diagnostics.md is written.

Every error this library raises and every ``check()`` finding names its code here, and nowhere
else is a code defined: ``problem`` and ``Diagnostic`` refuse a code that is not registered.
"""

from __future__ import annotations

import math
import re
from typing import Literal, NamedTuple

from pydantic_core import PydanticCustomError

from helicone_headers._text import escaped

__all__ = ["CODES", "Code", "Severity", "diagnostics_markdown", "problem", "registered"]

Severity = Literal["error", "warning"]


class Code(NamedTuple):
    """One stable code: how severe it is, where it comes up, and what Helicone does."""

    severity: Severity
    where: str
    what: str


CODES: dict[str, Code] = {
    "header_name_unknown": Code(
        "error",
        "any `Helicone-*` name",
        "a misspelling of a header Helicone reads (`Helicone-Rate-Limit-Policy`), a name with `_`, or one Helicone never reads (`Helicone-Target-Provider`): silently dropped before the provider",
    ),
    "header_name": Code(
        "error",
        "`properties`, `extra_headers`, fallback `headers`",
        "a name that is not a token, is modeled elsewhere, or misspells a known header",
    ),
    "header_name_case": Code(
        "error",
        "`properties`, `extra_headers`, fallback `headers`",
        "two names that differ only in case: one overwrites the other, or both are joined (Helicone lowercases property names)",
    ),
    "header_name_type": Code(
        "error",
        "any",
        "a header name that is not a `str`",
    ),
    "header_repeated": Code(
        "error",
        "any",
        "the same header twice (in another case, or under its legacy name): HTTP joins the values with `, `",
    ),
    "header_value_type": Code(
        "error",
        "any",
        "a value that is not a `str` (`True`, `3`, `None`): httpx, the OpenAI SDK and LiteLLM refuse it",
    ),
    "header_value_unsafe": Code(
        "error",
        "text values",
        "empty, CR/LF (header injection), other control characters, non-ASCII, outer spaces",
    ),
    "secret_masked": Code(
        "error",
        "secrets: `Helicone-Auth`, `Helicone-Posthog-Key`, `extra_headers`, fallback `headers`",
        "`**********`, the mask dumps write in place of a secret: sent, it would fail where the secret is checked",
    ),
    "input_type": Code(
        "error",
        "`check()`",
        "the input is not a header dict or a list of pairs",
    ),
    "header_form": Code(
        "warning",
        "any modelled header",
        "a value Helicone applies as meant, written otherwise than this library writes it (an upper-case request id, `TRUNCATE`, `10.0;W=60`)",
    ),
    "fallback_extra_key": Code(
        "warning",
        "`Helicone-Fallbacks`",
        "an entry key Helicone does not read (`bodyKeyOveride`, `model`): ignored; `fix()` leaves out only that key",
    ),
    "input_too_large": Code(
        "error",
        "`check()`, `fix()`, `from_headers()`",
        "more than 2000 headers, or more than 128 KiB of names and values: nothing is read (Cloudflare, in front of Helicone's hosted proxy, documents a 128 KB limit on a request's headers)",
    ),
    "flag_value": Code(
        "error",
        "boolean headers",
        "`True`, `1`, `yes` where Helicone reads only `true` (and treats the rest as off); `false` on `Helicone-LLM-Security-Advanced`, which any non-empty value turns on",
    ),
    "switch_value": Code(
        "error",
        "`Helicone-Retry-Enabled`",
        "any value but `true`: Helicone retries whenever the header is present, even with `false`",
    ),
    "switch_missing": Code(
        "error",
        "`Helicone-Retry-*`",
        "retry options without `Helicone-Retry-Enabled: true`: ignored",
    ),
    "number_syntax": Code(
        "error",
        "numeric headers",
        "`5abc`, `0x10`, `3.5`, `1e3`: Helicone's parseInt/parseFloat read a prefix",
    ),
    "number_too_small": Code(
        "error",
        "numeric headers",
        "bucket size 0, window under 60 s, max-age under 60 s, quota 0, retry attempts 0, negative timeouts",
    ),
    "number_too_large": Code(
        "error",
        "numeric headers",
        "bucket size over 20 (HTTP 500 on every request), window over one year (policy ignored), max-age over one year (silently capped)",
    ),
    "number_not_finite": Code(
        "error",
        "numeric fields",
        "NaN or infinity",
    ),
    "choice_value": Code(
        "error",
        "prompt mode, token-limit handler, gateway body mapping",
        "an unknown word: HTTP 500 (prompt mode), ignored (token-limit handler), read as `OPENAI` (body mapping)",
    ),
    "url_syntax": Code(
        "error",
        "URL headers",
        "not an absolute http(s) URL by the WHATWG URL standard (spaces or `|` in a host, a port "
        "above 65535, `999.1.1.1`): HTTP 500 when Helicone parses it",
    ),
    "url_path": Code(
        "error",
        "`Helicone-Target-URL`, `Helicone-OpenAI-Api-Base`",
        "a path, query or credentials Helicone silently drops (it uses the origin only)",
    ),
    "api_base_not_approved": Code(
        "error",
        "`Helicone-OpenAI-Api-Base`",
        "a base URL off Helicone's approved provider list: HTTP 500 on every request on "
        "oai.helicone.ai",
    ),
    "request_id_format": Code(
        "error",
        "`Helicone-Request-Id`",
        "not a UUID of version 1 to 5 with the RFC 4122 variant: silently replaced by a random id",
    ),
    "auth_bearer": Code(
        "error",
        "`Helicone-Auth`",
        "no `Bearer ` prefix, or `bearer` in another case: the key is refused, and requests are "
        "forwarded but not logged, cached or rate limited (401 on the AI gateway)",
    ),
    "auth_conflict": Code(
        "error",
        "`Authorization` with `Helicone-Auth`",
        "an `Authorization` header joining `sk-helicone-` and `pk-helicone-` keys with a comma, "
        "sent with `Helicone-Auth`: HTTP 500",
    ),
    "auth_key_format": Code(
        "error",
        "`Helicone-Auth`",
        "not a Helicone key: requests are forwarded but not logged, cached or rate limited (401 on the AI gateway)",
    ),
    "rate_limit_policy_syntax": Code(
        "error",
        "`Helicone-RateLimit-Policy`",
        "not `<quota>;w=<seconds>[;u=…][;s=…]` in that order: ignored, no limit",
    ),
    "rate_limit_segment": Code(
        "error",
        "`RateLimitPolicy.segment`",
        "not `user` or a property name of letters, digits, `_`, `-`",
    ),
    "cache_not_enabled": Code(
        "error",
        "cache options",
        "cache options without `Helicone-Cache-Enabled` (or `-Save` / `-Read`): ignored",
    ),
    "cache_control_syntax": Code(
        "error",
        "`Cache-Control`",
        "anything but `max-age=<seconds>`: Helicone misreads it (substring matches, `s-maxage` wins) or caches 7 days",
    ),
    "cache_ignore_keys_syntax": Code(
        "error",
        "`Helicone-Cache-Ignore-Keys`",
        "the documented bare form `a,b`: HTTP 500 on every request; a JSON array: no key "
        "removed; brackets nested too deeply for Python to read are refused too",
    ),
    "cache_ignore_keys_empty": Code(
        "error",
        "`Helicone-Cache-Ignore-Keys`",
        "an empty list: ignored",
    ),
    "fallbacks_syntax": Code(
        "error",
        "`Helicone-Fallbacks`",
        "not JSON, or not an array: HTTP 500 on every request; brackets nested too deeply for "
        "Python to read are refused too",
    ),
    "fallbacks_empty": Code(
        "error",
        "`Helicone-Fallbacks`",
        "`[]`: ignored",
    ),
    "fallback_shape": Code(
        "error",
        "`Helicone-Fallbacks`",
        "an entry that is not an object with `target-url`, `headers` and `onCodes` (a list of model names, say): HTTP 500",
    ),
    "fallback_headers": Code(
        "error",
        "`Helicone-Fallbacks`",
        "`headers` not an object: HTTP 500 (its names and values are checked like any header's: `header_name`, `header_name_case`, `header_value_type`, `header_value_unsafe`)",
    ),
    "fallback_body_override": Code(
        "error",
        "`Helicone-Fallbacks`",
        "`bodyKeyOverride` with NaN or Infinity (HTTP 500: JSON.parse refuses them) or a whole "
        "number beyond 2**53 - 1 (rounded by JSON.parse)",
    ),
    "fallback_codes": Code(
        "error",
        "`Helicone-Fallbacks`",
        '`onCodes` not a list of statuses 100 to 599 and `{"from", "to"}` ranges',
    ),
    "retry_timeout_order": Code(
        "error",
        "retry options",
        "min timeout above max timeout (after Helicone's defaults 1000 / 10000 ms): HTTP 500",
    ),
    "session_empty": Code(
        "error",
        "option groups",
        "a group that would send no header at all",
    ),
    "prompt_empty": Code(
        "error",
        "option groups",
        "a group that would send no header at all",
    ),
    "security_empty": Code(
        "error",
        "option groups",
        "a group that would send no header at all",
    ),
    "posthog_key_missing": Code(
        "error",
        "`Helicone-Posthog-Host`",
        "a host without `Helicone-Posthog-Key`: no event is sent",
    ),
    "rate_limit_user_missing": Code(
        "warning",
        "`Helicone-RateLimit-Policy`",
        "`s=user` without `Helicone-User-Id`: Helicone falls back to the body's `user` and, without one, applies no limit",
    ),
    "rate_limit_property_missing": Code(
        "warning",
        "`Helicone-RateLimit-Policy`",
        "`s=<name>` without `Helicone-Property-<name>`: no limit",
    ),
    "outer_space": Code(
        "warning",
        "any",
        "spaces or tabs around a value: HTTP strips them, and Helicone applies the rest",
    ),
    "flag_off": Code(
        "warning",
        "boolean headers",
        "`false`, `0`, `no` or `off`: Helicone reads the flag as off, as meant; an off flag is "
        "best left out",
    ),
    "switch_form": Code(
        "warning",
        "`Helicone-Retry-Enabled`",
        "`1`, `TRUE`, `yes` or `on`: Helicone turns retries on for any value, as meant",
    ),
    "cache_control_form": Code(
        "warning",
        "`Cache-Control`",
        "`public, max-age=3600`, `s-maxage=120`: Helicone finds the lifetime anywhere "
        "(`s-maxage` first), as meant",
    ),
    "number_form": Code(
        "warning",
        "numeric headers",
        "`+5`, `-0`, `.5`, `5.`, `1e3`: parseInt or parseFloat reads them as meant",
    ),
    "auth_form": Code(
        "warning",
        "`Helicone-Auth`",
        "more than one space after `Bearer`: Helicone trims the key, so it works",
    ),
    "flag_case": Code(
        "warning",
        "`Helicone-Cache-*` and `Helicone-LLM-Security-*` flags",
        "`TRUE` (and `1`, `yes`, `on` for `-Advanced`): Helicone turns it on, as meant; on "
        "`Helicone-Cache-Enabled` the request is logged as uncached, though",
    ),
    "cache_seed_not_logged": Code(
        "warning",
        "`Helicone-Cache-Seed`",
        "a non-integer seed partitions the cache but is not recorded in Helicone's logs",
    ),
    "session_path_form": Code(
        "warning",
        "`Helicone-Session-Path`",
        "a path without the leading `/` does not nest with `/parent/child` paths",
    ),
    "legacy_header": Code(
        "warning",
        "`Helicone-Prompt-Security-Enabled`",
        "read only when `Helicone-LLM-Security-Enabled` is absent",
    ),
    "deprecated_header": Code(
        "warning",
        "`Helicone-Prompt-Id`, `-Version`, `-Mode`",
        "header-based prompts are deprecated",
    ),
    "header_unknown": Code(
        "warning",
        "other `Helicone-*` names",
        "not read by Helicone as far as this library knows; kept in `extra_headers`",
    ),
    "config_env_reference": Code(
        "error",
        "LiteLLM proxy config",
        "`os.environ/NAME` that is not the whole value (`Bearer os.environ/KEY`): LiteLLM sends it as written, and Helicone refuses the key",
    ),
    "proxy_callback": Code(
        "error",
        "LiteLLM proxy config",
        "the `helicone` callback on LiteLLM's proxy: it fails to turn the proxy's metadata into JSON and logs nothing (LiteLLM 1.110.2)",
    ),
}


def registered(code: str) -> str:
    """Return *code*, which must be in the registry.

    Raises:
        KeyError: *code* is not registered (a bug in this library, caught by its tests).
    """
    _ = CODES[code]
    return code


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _shown(value: object) -> str:
    # str() of an int past 4300 digits raises; a number that long is described, not written.
    if isinstance(value, int) and value.bit_length() > 100:  # noqa: PLR2004
        return f"a number of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    return str(value)


def problem(
    kind: str, template: str, context: dict[str, object] | None = None
) -> PydanticCustomError:
    """An error of the registered type *kind*, its message *template* filled from *context*.

    The message is filled here, once: text from the input that looks like a placeholder stays as
    it is (pydantic would fill the context into it again).
    """
    message = template
    if context:
        message = _PLACEHOLDER.sub(
            lambda match: _shown(context[match[1]]) if match[1] in context else match[0],
            template,
        )
    # pydantic-core holds messages as UTF-8: a lone surrogate from the input is written escaped.
    return PydanticCustomError(registered(kind), escaped(message))  # pyright: ignore[reportArgumentType]


_INTRO = """\
# Diagnostics and error codes

Every value this library refuses raises `pydantic.ValidationError`; every finding of `check()` is a
`Diagnostic`. Both carry the same stable codes: the error's `type` (`exc.errors()[i]["type"]`) and
the diagnostic's `code`. Messages name the header and field, say what Helicone's server would do
with the value, and how to write it instead. No secret is quoted: the values of key headers
(`Helicone-Auth`, `Authorization`, `Helicone-Fallbacks`, ... and names within two edits of them),
a URL's password, or a value read from the environment. A long value is quoted shortened. A dict
of more than 2000 headers or 128 KiB is not read (`input_too_large`).

A header value is judged by what Helicone's code does with it, against what its writer evidently
meant:

- an **error** when Helicone answers HTTP 500, drops the value or applies something other than
  meant: `from_headers()` raises, `check()` reports an error;
- a **warning** when Helicone applies what was meant, but the spelling is not the one
  `to_headers()` writes (`0` for an off flag, `1` for `Helicone-Retry-Enabled`,
  `public, max-age=3600`, `.5`, spaces around a value): `from_headers()` reads it with Helicone's
  meaning, `check()` warns with the spelling to use. `check()` also warns about what works but
  likely not as intended (`s=user` without a user id);
- accepted silently when it is written as `to_headers()` writes it.

The models' own constructors stay strict: they take Python values and never write another form.

"""

_PYDANTIC_NOTE = (
    "Pydantic's own types (`literal_error`, `model_type`, `missing`, `extra_forbidden`, ...) can\n"
    "also appear. Like the codes above, their messages start with the header and field when the\n"
    "field has a header (`Helicone-RateLimit-Policy (rate_limit): Input should be ...`), with\n"
    "the field alone when it has none (`window_seconds: Field required`); an unknown keyword\n"
    "names the option it likely means (`'ttl' is not an option of CacheOptions; did you mean\n"
    "max_age_seconds?`).\n\n"
)


def _table(severity: Severity, where: str) -> list[str]:
    lines = [f"| Code | {where} | What Helicone does |", "| --- | --- | --- |"]
    lines += [
        f"| `{code}` | {entry.where} | {entry.what} |"
        for code, entry in CODES.items()
        if entry.severity == severity
    ]
    return lines


def diagnostics_markdown() -> str:
    """The diagnostics reference page, docs/diagnostics.md."""
    lines = [_INTRO.rstrip(), "", "## Errors", "", *_table("error", "Where"), ""]
    lines += [_PYDANTIC_NOTE.rstrip(), "", "## Warnings", "", *_table("warning", "Header")]
    return "\n".join(lines) + "\n"
