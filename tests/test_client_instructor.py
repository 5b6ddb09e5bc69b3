"""Instructor over the OpenAI SDK, installed from PyPI, through a fake Helicone proxy.

Instructor pins ``jiter<0.15``, which holds the OpenAI SDK back to 3.3 where it is installed:
``.ci/run`` runs this file in its second environment.
"""

from __future__ import annotations

import openai
import pytest
from pydantic import BaseModel

from helicone_headers import HeliconeHeaders, SessionOptions, new_request_id

from .conftest import KEY
from .fakes import fake_openai

pytestmark = pytest.mark.pinned_clients

SECOND_ENVIRONMENT = "installed by .ci/run in its second environment (the pinned-clients extra)"

instructor = pytest.importorskip("instructor", reason=SECOND_ENVIRONMENT)
InstructorRetryException = pytest.importorskip(
    "instructor.core", reason=SECOND_ENVIRONMENT
).InstructorRetryException

CLIENT_WIDE = HeliconeHeaders(api_key=KEY, user_id="user-abc")  # type: ignore[arg-type]


class Answer(BaseModel):
    text: str = "none"


class Strict(BaseModel):
    text: str


def helicone_headers(seen: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in seen.items() if name.startswith("helicone-")}


def test_default_and_per_call_headers_arrive() -> None:
    with fake_openai() as (url, recorder):
        client = instructor.from_openai(
            openai.OpenAI(
                base_url=f"{url}/v1",
                api_key="sk-test",
                default_headers=CLIENT_WIDE.to_default_headers(),
            )
        )
        per_request = HeliconeHeaders(session=SessionOptions(id="s-1", path="/extract"))
        answer = client.chat.completions.create(
            model="gpt-4o-mini",
            response_model=Answer,
            messages=[{"role": "user", "content": "hi"}],
            extra_headers=per_request.to_headers(),
        )
        (seen,) = recorder.wait()
    assert isinstance(answer, Answer)
    assert answer.text == "none"
    assert "tools" in seen.body  # Instructor's default mode asks for a tool call
    assert helicone_headers(seen.headers) == {
        "helicone-auth": f"Bearer {KEY}",
        "helicone-user-id": "user-abc",
        "helicone-session-id": "s-1",
        "helicone-session-path": "/extract",
    }


def test_validation_retries_resend_the_same_headers() -> None:
    """A request id given per call goes with every retry Instructor makes."""
    request_id = str(new_request_id())
    with fake_openai() as (url, recorder):
        client = instructor.from_openai(openai.OpenAI(base_url=f"{url}/v1", api_key="sk-test"))
        with pytest.raises(InstructorRetryException):
            client.chat.completions.create(
                model="gpt-4o-mini",
                response_model=Strict,
                max_retries=2,
                messages=[{"role": "user", "content": "hi"}],
                extra_headers={"Helicone-Request-Id": request_id},
            )
        sent = [seen.headers["helicone-request-id"] for seen in recorder.requests]
    assert len(sent) > 1
    assert set(sent) == {request_id}
