"""Benchmark helicone_headers against Portkey's createHeaders, LiteLLM's call and a dict literal.

Run: ``python benchmarks/run.py`` (``--quick`` for a smoke run). Needs the ``bench`` and
``integration`` extras.
Every ratio is measured in one run on one machine: each of 41 rounds times a block of calls of
ours and then one of the baseline, each block about 4 ms long, and the table shows the medians
over the rounds of the times and of the ratios. Imports are timed in 21 rounds of fresh
interpreters.
"""

from __future__ import annotations

import argparse
import itertools
import os

# LiteLLM reads these when it is imported: no network, its bundled model cost map.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("LITELLM_OFFLINE_MODE", "True")
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import timeit
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

import litellm
import pydantic
from portkey_ai import createHeaders
from pydantic import BaseModel, ConfigDict, Field, SecretStr, StringConstraints

from helicone_headers import (
    CacheOptions,
    HeliconeHeaders,
    RateLimitPolicy,
    RetryOptions,
    SessionOptions,
    check,
)

if TYPE_CHECKING:
    from collections.abc import Callable

KEY = "sk-helicone-aaaaaaa-bbbbbbb-ccccccc-ddddddd"
REQUEST_ID = uuid.UUID("8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b")
# Helicone's policy regex, bare: the floor for parsing a policy.
POLICY_REGEX = re.compile(
    r"(\d+(?:\.\d+)?);w=(\d+)(?:;u=(request|cents))?(?:;s=([\w-]+))?", re.IGNORECASE
)


def build_14() -> dict[str, str]:
    """Case 1: a realistic 14-header set, built and written."""
    return HeliconeHeaders(
        api_key=SecretStr(KEY),
        user_id="user-abc",
        properties={"App": "web", "Env": "prod"},
        session=SessionOptions(id="session-abc-123", path="/parent/child", name="Agent"),
        cache=CacheOptions(enabled=True, max_age_seconds=3600, bucket_max_size=3),
        retry=RetryOptions(max_attempts=3, factor=2),
        rate_limit=RateLimitPolicy(quota=10, window_seconds=60, segment="user"),
    ).to_headers()


def _filled(model: type, values: dict[str, object]) -> object:
    """A model instance given its values with no check at all, as pydantic-core fills one."""
    instance = object.__new__(model)
    for slot, value in (
        ("__dict__", values),
        ("__pydantic_fields_set__", set(values)),
        ("__pydantic_extra__", None),
        ("__pydantic_private__", None),
    ):
        object.__setattr__(instance, slot, value)
    return instance


def floor_14() -> dict[str, str]:
    """The floor of case 1 for any design with these models: fill them unchecked, then the literal."""
    _filled(
        HeliconeHeaders,
        {
            "api_key": SecretStr(KEY),
            "user_id": "user-abc",
            "properties": {"App": "web", "Env": "prod"},
            "session": _filled(
                SessionOptions, {"id": "session-abc-123", "path": "/parent/child", "name": "Agent"}
            ),
            "cache": _filled(
                CacheOptions, {"enabled": True, "max_age_seconds": 3600, "bucket_max_size": 3}
            ),
            "retry": _filled(RetryOptions, {"max_attempts": 3, "factor": 2.0}),
            "rate_limit": _filled(
                RateLimitPolicy, {"quota": 10.0, "window_seconds": 60, "segment": "user"}
            ),
        },
    )
    return literal_14()


# A straightforward pydantic version of the same five models, for reference: native constraints
# only (no Helicone rules, no explained errors), dumped by alias into nested dicts.
_Text = Annotated[str, StringConstraints(pattern=r"^[!-~](?:[ -~]{0,8190}[!-~])?$")]


class _Plain(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_by_name=True)


class _PlainSession(_Plain):
    id: _Text | None = Field(None, alias="Helicone-Session-Id")
    path: _Text | None = Field(None, alias="Helicone-Session-Path")
    name: _Text | None = Field(None, alias="Helicone-Session-Name")


class _PlainCache(_Plain):
    enabled: bool = Field(default=False, alias="Helicone-Cache-Enabled", strict=True)
    max_age_seconds: int | None = Field(None, alias="Cache-Control", ge=60, le=31_536_000)
    bucket_max_size: int | None = Field(None, alias="Helicone-Cache-Bucket-Max-Size", ge=1, le=20)


class _PlainRetry(_Plain):
    max_attempts: int | None = Field(None, alias="Helicone-Retry-Num", ge=1)
    factor: float | None = Field(None, alias="Helicone-Retry-Factor", gt=0)


class _PlainPolicy(_Plain):
    quota: float = Field(gt=0)
    window_seconds: int = Field(ge=60, le=31_536_000)
    unit: Literal["request", "cents"] = "request"
    segment: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")] | None = None


class _PlainHeaders(_Plain):
    api_key: SecretStr | None = Field(None, alias="Helicone-Auth")
    user_id: _Text | None = Field(None, alias="Helicone-User-Id")
    properties: dict[str, _Text] = Field(default_factory=dict)
    session: _PlainSession | None = None
    cache: _PlainCache | None = None
    retry: _PlainRetry | None = None
    rate_limit: _PlainPolicy | None = Field(None, alias="Helicone-RateLimit-Policy")


def plain_pydantic_built() -> _PlainHeaders:
    """The five models in plain pydantic, built only: nothing is written."""
    return _PlainHeaders(
        api_key=SecretStr(KEY),
        user_id="user-abc",
        properties={"App": "web", "Env": "prod"},
        session=_PlainSession(id="session-abc-123", path="/parent/child", name="Agent"),
        cache=_PlainCache(enabled=True, max_age_seconds=3600, bucket_max_size=3),
        retry=_PlainRetry(max_attempts=3, factor=2),
        rate_limit=_PlainPolicy(quota=10, window_seconds=60, segment="user"),
    )


def plain_pydantic_14() -> dict[str, object]:
    """The five models in plain pydantic, built and dumped (nested, not yet header text)."""
    return plain_pydantic_built().model_dump(by_alias=True, exclude_defaults=True)


def portkey_14() -> object:
    """Portkey's untyped createHeaders with 14 options (its metadata becomes JSON)."""
    return createHeaders(
        api_key="pk-abc",
        virtual_key="vk-abc",
        config="pc-abc",
        provider="openai",
        trace_id="session-abc-123",
        span_id="span-1",
        span_name="Agent",
        parent_span_id="root",
        metadata={"_user": "user-abc", "app": "web", "env": "prod"},
        cache_force_refresh=True,
        debug=True,
        custom_host="https://api.openai.com",
        azure_resource_name="resource",
        request_timeout=3600,
    )


def literal_14() -> dict[str, str]:
    """The same 14 headers as a dict literal: the floor."""
    return {
        "Helicone-Auth": "Bearer sk-helicone-aaaaaaa-bbbbbbb-ccccccc-ddddddd",
        "Helicone-User-Id": "user-abc",
        "Helicone-Session-Id": "session-abc-123",
        "Helicone-Session-Path": "/parent/child",
        "Helicone-Session-Name": "Agent",
        "Helicone-RateLimit-Policy": "10;w=60;s=user",
        "Helicone-Cache-Enabled": "true",
        "Cache-Control": "max-age=3600",
        "Helicone-Cache-Bucket-Max-Size": "3",
        "Helicone-Retry-Enabled": "true",
        "Helicone-Retry-Num": "3",
        "Helicone-Retry-Factor": "2",
        "Helicone-Property-App": "web",
        "Helicone-Property-Env": "prod",
    }


CLIENT_WIDE = HeliconeHeaders(
    api_key=SecretStr(KEY),
    user_id="user-abc",
    properties={"App": "web", "Env": "prod"},
    cache=CacheOptions(enabled=True, max_age_seconds=3600, bucket_max_size=3),
    retry=RetryOptions(max_attempts=3, factor=2),
    rate_limit=RateLimitPolicy(quota=10, window_seconds=60, segment="user"),
)


def _per_request() -> HeliconeHeaders:
    """The per-request model: session, request id, one property."""
    return HeliconeHeaders(
        session=SessionOptions(id="session-abc-123", path="/plan", name="Agent"),
        request_id=REQUEST_ID,
        properties={"Step": "plan"},
    )


PER_REQUEST = _per_request()


def per_request_merged() -> dict[str, str]:
    """Case 3: lay the per-request model over the client-wide one, write the headers."""
    return (CLIENT_WIDE | PER_REQUEST).to_headers()


def per_request_built() -> dict[str, str]:
    """Case 3, with the per-request model built in the loop too."""
    return (CLIENT_WIDE | _per_request()).to_headers()


MESSAGES = [{"role": "user", "content": "hi"}]


def litellm_call() -> object:
    """LiteLLM's own per-call cost: a completion answered by its mock, no network.

    Its headers are the literal of case 3, so that none of our time is in the baseline.
    """
    return litellm.completion(
        model="gpt-4o-mini",
        messages=MESSAGES,
        mock_response="ok",
        extra_headers=literal_per_request(),
    )


def literal_per_request() -> dict[str, str]:
    """The merged headers of case 3 as a dict literal."""
    return {
        "Helicone-Auth": "Bearer sk-helicone-aaaaaaa-bbbbbbb-ccccccc-ddddddd",
        "Helicone-User-Id": "user-abc",
        "Helicone-Session-Id": "session-abc-123",
        "Helicone-Session-Path": "/plan",
        "Helicone-Session-Name": "Agent",
        "Helicone-RateLimit-Policy": "10;w=60;s=user",
        "Helicone-Cache-Enabled": "true",
        "Cache-Control": "max-age=3600",
        "Helicone-Cache-Bucket-Max-Size": "3",
        "Helicone-Retry-Enabled": "true",
        "Helicone-Retry-Num": "3",
        "Helicone-Retry-Factor": "2",
        "Helicone-Request-Id": "8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b",
        "Helicone-Property-App": "web",
        "Helicone-Property-Env": "prod",
        "Helicone-Property-Step": "plan",
    }


HEADERS_14 = literal_14()
HEADERS_20 = {
    **HEADERS_14,
    "Helicone-Request-Id": "8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b",
    "Helicone-Model-Override": "gpt-4o-mini",
    "Helicone-Omit-Request": "true",
    "Helicone-LLM-Security-Enabled": "true",
    "Helicone-Moderations-Enabled": "true",
    "Authorization": "Bearer sk-openai",
}
MODEL_14 = HeliconeHeaders.from_headers(HEADERS_14)


@dataclass
class Row:
    """One line of the report: median times and the median of the per-round ratios."""

    case: str
    ours: float
    baseline: float | None
    ratio: float | None
    against: str
    target: float | None


def _mean_seconds(function: Callable[[], object], number: int) -> float:
    return timeit.timeit(function, number=number) / number


def _calls_per_block(function: Callable[[], object], block: float) -> int:
    """How many calls of *function* take about *block* seconds."""
    if block <= 0:
        return 1
    return max(1, round(block / _mean_seconds(function, 20)))


def paired(
    case: str,
    ours: Callable[[], object],
    baseline: Callable[[], object] | None,
    *,
    block: float,
    rounds: int,
    against: str = "",
    target: float | None = None,
) -> Row:
    """Time *ours* and *baseline* back to back, in short blocks of calls of equal length.

    A slow spell of the machine then weighs on both sides of a ratio alike; the median of the
    per-round ratios leaves out the rounds that a spell split.
    """
    number = _calls_per_block(ours, block)
    their_number = 0 if baseline is None else _calls_per_block(baseline, block)
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(rounds):
        mine.append(_mean_seconds(ours, number))
        if baseline is not None:
            theirs.append(_mean_seconds(baseline, their_number))
    if baseline is None:
        return Row(case, statistics.median(mine), None, None, against, target)
    ratio = statistics.median(a / b for a, b in zip(mine, theirs, strict=True))
    return Row(case, statistics.median(mine), statistics.median(theirs), ratio, against, target)


def import_rows(rounds: int) -> list[Row]:
    """Case 7: fresh interpreters, ours, pydantic with one model class, and pydantic, in turn.

    Bytecode is cached as it is for an installed package: the first run of each writes it and
    is not counted. The baseline imports pydantic and defines one model class, as any program
    that uses pydantic does; row 7' compares with importing pydantic alone.
    """
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    ours, baseline, bare = (
        "import helicone_headers; helicone_headers.HeliconeHeaders",
        "import pydantic; type('M', (pydantic.BaseModel,), {'__annotations__': {'x': int}})",
        "import pydantic; pydantic.BaseModel",
    )
    with tempfile.TemporaryDirectory() as cache:
        environment["PYTHONPYCACHEPREFIX"] = cache

        def seconds(statement: str) -> float:
            code = (
                f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
            )
            command = [sys.executable, "-c", code]
            return float(subprocess.check_output(command, env=environment, text=True))  # noqa: S603

        seconds(ours), seconds(baseline), seconds(bare)
        runs = [(seconds(ours), seconds(baseline), seconds(bare)) for _ in range(rounds)]

    def row(case: str, position: int, against: str, target: float | None) -> Row:
        return Row(
            case,
            statistics.median(run[0] for run in runs),
            statistics.median(run[position] for run in runs),
            statistics.median(run[0] / run[position] for run in runs),
            against,
            target,
        )

    return [
        row("7. import helicone_headers, fresh process", 1, "pydantic + one model class", 1.3),
        row("7'. the same, against pydantic alone", 2, "import pydantic", None),
    ]


def run(*, rounds: int, block: float, import_rounds: int) -> list[Row]:
    """Measure every case in *rounds* blocks of about *block* seconds a side."""

    def row(
        case: str,
        ours: Callable[[], object],
        baseline: Callable[[], object] | None,
        against: str = "",
        target: float | None = None,
    ) -> Row:
        return paired(
            case, ours, baseline, block=block, rounds=rounds, against=against, target=target
        )

    policy_text = "10;w=60;u=cents;s=user"
    bare_regex = lambda: POLICY_REGEX.fullmatch(policy_text)  # noqa: E731
    # More distinct texts than the parse cache holds, so every call parses for real.
    fresh = itertools.cycle([f"{quota};w=60;u=cents;s=user" for quota in range(1, 5001)])
    return [
        row("1. build 14 headers + to_headers()", build_14, portkey_14, "Portkey createHeaders", 1.5),
        row("1'. floor: same models filled unchecked + literal", floor_14, portkey_14, "Portkey createHeaders"),
        row("1''. plain pydantic models, no Helicone rules", plain_pydantic_14, portkey_14, "Portkey createHeaders"),
        row("1'''. the same plain models, built only", plain_pydantic_built, portkey_14, "Portkey createHeaders"),
        row("2. to_headers() again", MODEL_14.to_headers, literal_14, "dict literal", 2.0),
        row("3. per request: build, merge, to_headers()", per_request_built, litellm_call, "litellm.completion (mock)", 0.01),
        row("3'. per request: merge, to_headers()", per_request_merged, literal_per_request, "dict literal"),
        row("3''. per request, as in 3", per_request_built, literal_per_request, "dict literal"),
        row("4. RateLimitPolicy.parse, same text", lambda: RateLimitPolicy.parse(policy_text), bare_regex, "bare regex match", 5.0),
        row("4'. RateLimitPolicy.parse, new text each call", lambda: RateLimitPolicy.parse(next(fresh)), bare_regex, "bare regex match"),
        row("5. from_headers(14 headers)", lambda: HeliconeHeaders.from_headers(HEADERS_14), literal_14, "dict literal"),
        row("6. check(20 headers)", lambda: check(HEADERS_20), None),
        *import_rows(import_rounds),
    ]  # fmt: skip


def report(rows: list[Row]) -> str:
    """The table, with the machine it ran on."""
    machine = (
        f"Python {platform.python_version()}, pydantic {pydantic.VERSION}, "
        f"{platform.machine()} ({os.cpu_count()} CPUs), {platform.platform()}"
    )
    lines = [
        machine,
        "",
        f"| {'case':50} | {'ours':>10} | {'baseline':>10} | {'ratio':>7} | {'target':>7} | against",
        f"|{'-' * 52}|{'-' * 12}|{'-' * 12}|{'-' * 9}|{'-' * 9}|{'-' * 24}",
    ]
    for row in rows:
        unit, suffix = (1e3, "ms") if row.case.startswith("7") else (1e6, "us")
        baseline = "" if row.baseline is None else f"{row.baseline * unit:.2f} {suffix}"
        ratio = "" if row.ratio is None else f"{row.ratio:.3g}x"
        target = ""
        if row.target is not None and row.ratio is not None:
            target = f"{'<=' if row.ratio <= row.target else '> '}{row.target:g}x"
        lines.append(
            f"| {row.case:50} | {row.ours * unit:7.2f} {suffix} | {baseline:>10} | {ratio:>7} "
            f"| {target:>7} | {row.against}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; ``--quick`` runs tiny counts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny iteration counts (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        rows = run(rounds=2, block=0, import_rounds=1)
    else:
        rows = run(rounds=41, block=0.004, import_rounds=21)
    print(report(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
