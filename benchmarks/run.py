"""Benchmark helicone_headers against a plain dict literal and Portkey's createHeaders.

Run: ``python benchmarks/run.py`` (``--quick`` for a smoke run). Needs the ``bench`` extra.
Every ratio is measured in one run on one machine: medians over several rounds.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import re
import statistics
import subprocess
import sys
import timeit
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pydantic
from portkey_ai import createHeaders
from pydantic import SecretStr

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
PER_REQUEST = HeliconeHeaders(
    session=SessionOptions(id="session-abc-123", path="/plan", name="Agent"),
    request_id=REQUEST_ID,
    properties={"Step": "plan"},
)


def per_request_built() -> dict[str, str]:
    """Case 3: build the per-request model, lay it over the client-wide one, write."""
    per_request = HeliconeHeaders(
        session=SessionOptions(id="session-abc-123", path="/plan", name="Agent"),
        request_id=REQUEST_ID,
        properties={"Step": "plan"},
    )
    return (CLIENT_WIDE | per_request).to_headers()


def per_request_merged() -> dict[str, str]:
    """Case 3, with the per-request model already built: merge and write only."""
    return (CLIENT_WIDE | PER_REQUEST).to_headers()


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
    """One line of the report."""

    case: str
    ours: float
    baseline: float | None
    against: str
    target: float | None

    @property
    def ratio(self) -> float | None:
        """Ours over the baseline, when there is one."""
        return None if self.baseline is None else self.ours / self.baseline


def median_seconds(function: Callable[[], object], rounds: int, number: int) -> float:
    """The median over *rounds* of the mean time of one call, in seconds."""
    return statistics.median(timeit.repeat(function, number=number, repeat=rounds)) / number


def median_import(statement: str, rounds: int) -> float:
    """The median wall time of a fresh interpreter running *statement*, in seconds."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    times = [
        float(subprocess.check_output([sys.executable, "-c", code], text=True))  # noqa: S603 - fixed code
        for _ in range(rounds)
    ]
    return statistics.median(times)


def run(*, rounds: int, scale: int) -> list[Row]:
    """Measure every case; *scale* multiplies the iteration counts."""

    def measure(function: Callable[[], object], number: int) -> float:
        return median_seconds(function, rounds, max(1, number * scale))

    literal = measure(literal_14, 20_000)
    literal_merged = measure(literal_per_request, 20_000)
    policy_text = "10;w=60;u=cents;s=user"
    regex = measure(lambda: POLICY_REGEX.fullmatch(policy_text), 20_000)
    # More distinct texts than the parse cache holds, so every call parses for real.
    fresh = itertools.cycle([f"{quota};w=60;u=cents;s=user" for quota in range(1, 5001)])
    return [
        Row("1. build 14 headers + to_headers()", measure(build_14, 500), measure(portkey_14, 500), "Portkey createHeaders", 0.5),
        Row("2. to_headers() again", measure(MODEL_14.to_headers, 20_000), literal, "dict literal", 2.0),
        Row("3. per request: build, merge, to_headers()", measure(per_request_built, 500), literal_merged, "dict literal", 6.0),
        Row("3'. per request, prebuilt: merge, to_headers()", measure(per_request_merged, 1000), literal_merged, "dict literal", None),
        Row("4. RateLimitPolicy.parse, same text", measure(lambda: RateLimitPolicy.parse(policy_text), 5000), regex, "bare regex match", 5.0),
        Row("4'. RateLimitPolicy.parse, new text each call", measure(lambda: RateLimitPolicy.parse(next(fresh)), 2000), regex, "bare regex match", None),
        Row("5. from_headers(14 headers)", measure(lambda: HeliconeHeaders.from_headers(HEADERS_14), 500), literal, "dict literal", None),
        Row("6. check(20 headers)", measure(lambda: check(HEADERS_20), 500), None, "", None),
        Row("7. import in a fresh process", median_import("import helicone_headers", rounds), median_import("import pydantic; pydantic.BaseModel", rounds), "import pydantic", 1.5),
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
        f"| {'case':48} | {'ours':>10} | {'baseline':>10} | {'ratio':>7} | {'target':>7} | against",
        f"|{'-' * 50}|{'-' * 12}|{'-' * 12}|{'-' * 9}|{'-' * 9}|{'-' * 24}",
    ]
    for row in rows:
        unit, suffix = (1e3, "ms") if row.case.startswith("7.") else (1e6, "us")
        baseline = "" if row.baseline is None else f"{row.baseline * unit:.2f} {suffix}"
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}x"
        target = ""
        if row.target is not None and row.ratio is not None:
            target = f"{'<=' if row.ratio <= row.target else '> '}{row.target:g}x"
        lines.append(
            f"| {row.case:48} | {row.ours * unit:7.2f} {suffix} | {baseline:>10} | {ratio:>7} "
            f"| {target:>7} | {row.against}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; ``--quick`` runs tiny counts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny iteration counts (smoke test)")
    args = parser.parse_args(argv)
    rows = run(rounds=2, scale=0) if args.quick else run(rounds=7, scale=1)
    print(report(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
