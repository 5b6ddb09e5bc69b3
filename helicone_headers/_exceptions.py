"""Exceptions raised by helicone_headers.

Models raise ``pydantic.ValidationError`` for every bad value, like any pydantic model. The
standalone helpers raise the library's own exceptions, which also subclass the built-in they refine::

    HeliconeHeadersError            # base class of everything below
    ├── PolicySyntaxError           # also a ValueError: RateLimitPolicy.parse() got bad text
    └── MetadataRouteError          # also a ValueError: an option the logging callback cannot apply
"""

from __future__ import annotations

from helicone_headers._text import quoted

__all__ = ["HeliconeHeadersError", "MetadataRouteError", "PolicySyntaxError"]

POLICY_FORM = "<quota>;w=<seconds>[;u=request|cents][;s=user|<property>]"


class HeliconeHeadersError(Exception):
    """Base class of the exceptions that helicone_headers raises itself."""


class PolicySyntaxError(HeliconeHeadersError, ValueError):
    """A rate-limit policy string does not follow Helicone's grammar.

    Helicone ignores such a policy and lets every request through, so this is always an error here.

    Like the ``pydantic.ValidationError`` that ``RateLimitPolicy.parse`` raises for a number out
    of range, it is a ``ValueError``: ``except ValueError`` catches both.

    Attributes:
        policy: the text that failed to parse.
        reason: which part is wrong.
    """

    def __init__(self, policy: str, reason: str) -> None:
        self.policy = policy
        self.reason = reason
        super().__init__(
            f"expected {POLICY_FORM}, got {quoted(policy)} ({reason}): Helicone ignores a policy it "
            "cannot parse and applies no rate limit"
        )


class MetadataRouteError(HeliconeHeadersError, ValueError):
    """Options were set that a route which only logs the call cannot apply.

    LiteLLM's Helicone callback and Helicone's async log route only log a finished call;
    caching, rate limits, retries and the other proxy features need the request to pass through
    Helicone's proxy.

    Attributes:
        fields: the Python names of the options that would have no effect.
    """

    def __init__(
        self,
        fields: tuple[str, ...],
        *,
        route: str = "the success_callback route",
        leave_out_of: str = "the metadata",
    ) -> None:
        self.fields = fields
        names = ", ".join(fields)
        super().__init__(
            f"{names} only take effect when the request passes through Helicone's proxy; "
            f"{route} only logs the finished call, so Helicone would ignore them. "
            f"Send these as headers with extra_headers=to_headers(), or leave them out of "
            f"{leave_out_of}"
        )
