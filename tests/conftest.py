from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest
    from pydantic import ValidationError

KEY = "sk-helicone-t3st000-s3cr3t0-k3y0000-0000001"
EU_KEY = "sk-helicone-eu-aaaaaaa-bbbbbbb-ccccccc-ddddddd"
RL_KEY = "pk-helicone-rl-abcdefg-hijklmn-opqrstu-vwxyz12"


def messages(
    exc_info: pytest.ExceptionInfo[ValidationError],
) -> list[tuple[tuple[int | str, ...], str, str]]:
    """(loc, type, msg) of each error, for exact asserts."""
    return [
        (error["loc"], error["type"], error["msg"])
        for error in exc_info.value.errors(include_url=False)
    ]
