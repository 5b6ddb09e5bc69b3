"""Type-checked only (mypy --strict, pyright --strict), never run.

What the checkers must refuse is asserted twice: in ``refused_by_mypy.py`` and in
``refused_by_pyright.py``, each with the ignore comments of one checker, which reports an ignore
that is not needed (a line that type-checks fails the check).
"""

from __future__ import annotations

import uuid

from pydantic import SecretStr
from typing_extensions import assert_type

from helicone_headers import (
    ActiveSession,
    CacheOptions,
    HeliconeHeaders,
    HeliconeHeadersFields,
    RateLimitPolicy,
    SessionScope,
    session,
    step,
)

# from_env takes the model's options, typed as the constructor types them.
assert_type(
    HeliconeHeaders.from_env(
        user_id="u",
        cache=CacheOptions(enabled=True),
        rate_limit=RateLimitPolicy.parse("10;w=60"),
        properties={"App": "web"},
        request_id=uuid.uuid4(),
        api_key=SecretStr("sk-helicone-aaaaaaa-bbbbbbb-ccccccc-ddddddd"),
    ),
    HeliconeHeaders,
)
fields: HeliconeHeadersFields = {"user_id": "u", "omit_request": True}
assert_type(HeliconeHeaders.from_env(**fields), HeliconeHeaders)

# Read-only containers are read as mappings and sequences.
headers = HeliconeHeaders(properties={"App": "web"})
assert_type(headers.properties["App"], str)
assert_type(dict(headers.properties) | {"Env": "prod"}, dict[str, str])

# session() and step() show a public type, which is a context manager and a decorator.
assert_type(session("Agent"), SessionScope)
assert_type(step("plan"), SessionScope)
with session("Agent") as started:
    assert_type(started, ActiveSession)


@session("Agent")
def agent(topic: str) -> str:
    return topic


@step("search")
async def search(topic: str) -> list[str]:
    return [topic]


async def use() -> None:
    assert_type(agent("llamas"), str)
    assert_type(await search("llamas"), list[str])
