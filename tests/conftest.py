from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

import pytest

from helicone_headers import (
    CacheOptions,
    HeliconeHeaders,
    PosthogOptions,
    PromptOptions,
    RetryOptions,
    SecurityOptions,
    SessionOptions,
    render_header_docs,
)

from .fakes import Recorder, fake_helicone_log

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pydantic import BaseModel, ValidationError

# LiteLLM fetches its model cost map from the network at import unless told otherwise; the tests
# talk only to servers they start on 127.0.0.1.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("LITELLM_OFFLINE_MODE", "True")

KEY = "sk-helicone-t3st000-s3cr3t0-k3y0000-0000001"
EU_KEY = "sk-helicone-eu-aaaaaaa-bbbbbbb-ccccccc-ddddddd"
RL_KEY = "pk-helicone-rl-abcdefg-hijklmn-opqrstu-vwxyz12"


def documented_headers() -> list[str]:
    """Every header name the generated reference documents, in its order."""
    sections = json.loads(render_header_docs("json"))["sections"]
    return [
        row["header"]
        for section in sections
        for row in section["headers"]
        if "<" not in row["header"]  # Helicone-Property-<Name>, Helicone-<Other>
    ]


# Every model whose fields are headers.
HEADER_MODELS: list[type[BaseModel]] = [
    HeliconeHeaders,
    SessionOptions,
    PromptOptions,
    CacheOptions,
    RetryOptions,
    SecurityOptions,
    PosthogOptions,
]

# Headers whose values are secrets, never quoted back.
SECRET_HEADERS = frozenset({"Helicone-Auth", "Helicone-Posthog-Key"})


def messages(
    exc_info: pytest.ExceptionInfo[ValidationError],
) -> list[tuple[tuple[int | str, ...], str, str]]:
    """(loc, type, msg) of each error, for exact asserts."""
    return [
        (error["loc"], error["type"], error["msg"])
        for error in exc_info.value.errors(include_url=False)
    ]


@pytest.fixture(scope="session")
def helicone_log_server() -> Iterator[tuple[str, Recorder]]:
    # LiteLLM builds its Helicone logger once per process, on the first call with
    # success_callback set, and reads HELICONE_API_BASE and HELICONE_API_KEY only then: every test
    # of that route shares this one server.
    with fake_helicone_log() as served:
        yield served


@pytest.fixture
def helicone_log(
    helicone_log_server: tuple[str, Recorder], monkeypatch: pytest.MonkeyPatch
) -> Recorder:
    """The fake Helicone log endpoint, emptied, with LiteLLM pointed at it."""
    url, recorder = helicone_log_server
    monkeypatch.setenv("HELICONE_API_BASE", url)
    monkeypatch.setenv("HELICONE_API_KEY", KEY)
    recorder.requests.clear()
    return recorder
