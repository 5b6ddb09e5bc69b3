"""A multi-step agent traced as one Helicone session: /plan, /plan/search, /answer.

Needs HELICONE_API_KEY and OPENAI_API_KEY. HELICONE_BASE_URL overrides the proxy address.
"""

import os

from openai import OpenAI

from helicone_headers import HeliconeHeaders, new_request_id, session, step

client = OpenAI(
    base_url=os.environ.get("HELICONE_BASE_URL", "https://oai.helicone.ai/v1"),
    default_headers=HeliconeHeaders.from_env(properties={"App": "agent"}).to_default_headers(),
)


def ask(question: str) -> str:
    """One model call, tagged with the current session and step."""
    per_request = HeliconeHeaders(request_id=new_request_id()).with_current_session()
    reply = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": question}],
        extra_headers=per_request.to_headers(),
    )
    return reply.choices[0].message.content or ""


with session("Research agent") as research:
    with step("plan"):
        plan = ask("Plan a search for the tallest building in Europe.")
        with step("search"):
            found = ask(f"Carry out: {plan}")
    with step("answer"):
        print(ask(f"Answer from: {found}"))
    print(f"session {research.id}")
