"""The rate-limit policy grammar of ``Helicone-RateLimit-Policy``.

Helicone's parser (``worker/src/lib/rate-limit/policyParser.ts:51-136``) trims the value and
matches, ignoring case::

    policy  = quota ";" window [ ";" unit ] [ ";" segment ]
    quota   = 1*DIGIT [ "." 1*DIGIT ]         ; > 0, requests or cents
    window  = "w=" 1*DIGIT                    ; seconds, 60 .. 31536000
    unit    = "u=" ( "request" / "cents" )    ; default request
    segment = "s=" 1*( ALPHA / DIGIT / "_" / "-" )   ; "user", or a property name

The order is fixed; spaces, unknown or repeated keys and a trailing ``;`` do not match. Helicone
ignores a policy it cannot parse or whose numbers are out of range, and lets every request through,
so each of those is an error here. We write the server's normal form: ``u=request`` is left out,
the unit and a property segment are lowercase (Helicone lowercases property names), and a whole
quota has no ``.0``.
"""

import functools
import re
from typing import Annotated, Any, Literal

from pydantic import Field
from pydantic_core import core_schema

from helicone_headers._base import FrozenModel
from helicone_headers._codec import Choice, Codec, Description, Integer, Number
from helicone_headers._codes import problem
from helicone_headers._exceptions import PolicySyntaxError
from helicone_headers._numbers import JS_WHITESPACE, format_number
from helicone_headers._text import MAX_VALUE_LENGTH, long_value_problem, quoted

__all__ = ["POLICY", "RateLimitPolicy", "split_policy"]

_QUOTA = r"(?P<quota>\d+(?:\.\d+)?)"
_WINDOW = r"w=(?P<window_seconds>\d+)"
_UNIT = r"u=(?P<unit>request|cents)"
_SEGMENT = r"s=(?P<segment>[A-Za-z0-9_-]+)"
_SEP = ";"
_POLICY = re.compile(
    rf"{_QUOTA}{_SEP}{_WINDOW}(?:{_SEP}{_UNIT})?(?:{_SEP}{_SEGMENT})?", re.IGNORECASE | re.ASCII
)
_SEGMENT_NAME = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)
Unit = Literal["request", "cents"]
_IGNORED = "Helicone ignores the whole policy and applies no rate limit"


def split_policy(value: str) -> dict[str, str]:
    """Check the syntax of *value* and return its raw, unvalidated parts.

    Raises:
        PolicySyntaxError: the text does not follow the grammar.
    """
    return {key: part for key, part in _match(value).groupdict().items() if part is not None}


def _match(value: str) -> re.Match[str]:
    match = _POLICY.fullmatch(value.strip(JS_WHITESPACE))
    if match is None:
        raise PolicySyntaxError(value, _wrong_part(value.strip(JS_WHITESPACE)))
    return match


_KEY_ORDER = ("w", "u", "s")
_PART = {
    "w": (re.compile(r"\d+", re.ASCII), "the window {value} is not whole seconds"),
    "u": (
        re.compile(r"request|cents", re.IGNORECASE),
        "the unit {value} is not request or cents",
    ),
    "s": (
        _SEGMENT_NAME,
        "the segment {value} is not 'user' or a name of letters, digits, '_' and '-'",
    ),
}


def _wrong_part(text: str) -> str:
    """Which part of a policy text that breaks the grammar is wrong, in words."""
    if not text:
        return "the text is empty"
    quota, *rest = text.split(_SEP)
    if re.fullmatch(_QUOTA, quota, re.ASCII) is None:
        return f"the quota {quoted(quota)} is not digits with an optional fraction"
    keys: list[str] = []
    for part in rest:
        key, equals, value = part.partition("=")
        if key.lower() not in _PART or not equals:
            return f"{quoted(part)} is not one of w=<seconds>, u=<unit>, s=<segment>"
        pattern, problem_text = _PART[key.lower()]
        if pattern.fullmatch(value) is None:
            return problem_text.format(value=quoted(value))
        keys.append(key.lower())
    if "w" not in keys:
        return "the window w=<seconds> is missing"
    if len(set(keys)) < len(keys):
        return "a key is given twice"
    # Every part is well formed, so what is left to break the grammar is their order.
    return "the parts are out of order: w= first, then u=, then s="


class _Segment(Codec):
    """``s=``: ``user`` in any case, or a property name, which Helicone lowercases."""

    def native(self) -> core_schema.CoreSchema | None:
        """A segment already in lowercase."""
        return core_schema.str_schema(
            pattern=r"^[a-z0-9_-]+$", max_length=MAX_VALUE_LENGTH, strict=True
        )

    def read(self, text: str) -> object:
        """Take letters, digits, '_' and '-', lowercased as Helicone stores the name."""
        too_long = long_value_problem(text)
        if too_long is not None:
            raise problem("header_value_unsafe", "the segment {problem}", {"problem": too_long})
        if _SEGMENT_NAME.fullmatch(text) is None:
            raise problem(
                "rate_limit_segment",
                "{value} is not a segment: Helicone takes 'user' or a property name made of "
                "letters, digits, '_' and '-', and {ignored}",
                {"value": quoted(text), "ignored": _IGNORED},
            )
        return text.lower()

    def accept(self, value: object) -> object:
        """Only strings name a segment."""
        raise problem(
            "header_value_type", "expected a str, got {got}", {"got": type(value).__name__}
        )


class RateLimitPolicy(FrozenModel):
    """A Helicone rate-limit policy: at most *quota* requests (or cents) per window.

    Build one with the fields, a constructor such as ``per_minute``, or ``parse``:

    Examples:
        >>> RateLimitPolicy.parse("10;w=60;s=user") == RateLimitPolicy.per_minute(10, segment="user")
        True
        >>> str(RateLimitPolicy(quota=500, window_seconds=3600, unit="cents"))
        '500;w=3600;u=cents'
    """

    quota: Annotated[
        int | float,
        Field(
            description=(
                'How many requests, or cents with ``unit="cents"``, the window allows. Decimals '
                "are allowed."
            )
        ),
        Number(
            below=f"Helicone requires a positive quota ('Quota must be a positive number'); "
            f"{_IGNORED}"
        ),
    ]

    window_seconds: Annotated[
        int,
        Field(description="The window in seconds, 60 to 31536000 (one year)."),
        Integer(
            60,
            31_536_000,
            below=f"Helicone requires a window of at least 60 seconds; {_IGNORED}",
            above=f"Helicone allows a window of at most 31536000 seconds (one year); {_IGNORED}",
        ),
    ]

    unit: Annotated[
        Unit,
        Field(description="What the quota counts: requests (Helicone's default) or cost in cents."),
        Choice(Unit, caseless=True, otherwise=_IGNORED),
    ] = "request"

    segment: Annotated[
        str | None,
        Field(
            description=(
                'Whom the limit applies to: everyone (unset), ``"user"`` (per Helicone-User-Id), '
                "or the name of a custom property (per value of that property), lowercased as "
                "Helicone stores it."
            )
        ),
        _Segment(),
    ] = None

    @classmethod
    def _positional_hint(cls) -> str:
        """A policy text goes to ``parse``."""
        return (
            f"{cls.__name__}() takes its options by name, such as "
            f"{cls.__name__}(quota=10, window_seconds=60); for a policy text such as "
            f"'10;w=60' use {cls.__name__}.parse('10;w=60')"
        )

    @classmethod
    def _check_across_fields(cls, values: dict[str, Any]) -> None:
        super()._check_across_fields(values)
        too_long = long_value_problem(_text(values))
        if too_long is not None:
            raise problem("header_value_unsafe", "the policy {problem}", {"problem": too_long})

    @classmethod
    def parse(cls, value: str) -> "RateLimitPolicy":
        """Parse a policy string such as ``"10;w=60;u=cents;s=user"``.

        Policies are immutable, so the last few hundred distinct texts are parsed once and kept.

        Raises:
            TypeError: *value* is not a str.
            PolicySyntaxError: the text does not follow the grammar.
            pydantic.ValidationError: a number is out of Helicone's range.
        """
        if not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance] - callers may pass anything
            msg = f"RateLimitPolicy.parse takes the policy as a str, got {type(value).__name__}"
            raise TypeError(msg)
        return _parse(cls, value)

    @classmethod
    def per_minute(
        cls, quota: float, *, unit: Unit = "request", segment: str | None = None
    ) -> "RateLimitPolicy":
        """Allow *quota* requests (or cents) per 60 seconds."""
        return cls(quota=quota, window_seconds=60, unit=unit, segment=segment)

    @classmethod
    def per_hour(
        cls, quota: float, *, unit: Unit = "request", segment: str | None = None
    ) -> "RateLimitPolicy":
        """Allow *quota* requests (or cents) per 3600 seconds."""
        return cls(quota=quota, window_seconds=3600, unit=unit, segment=segment)

    @classmethod
    def per_day(
        cls, quota: float, *, unit: Unit = "request", segment: str | None = None
    ) -> "RateLimitPolicy":
        """Allow *quota* requests (or cents) per 86400 seconds."""
        return cls(quota=quota, window_seconds=86_400, unit=unit, segment=segment)

    @property
    def refill_per_second(self) -> float:
        """How fast the quota refills: Helicone's limiter is a continuously refilling bucket."""
        return self.quota / self.window_seconds

    def explain(self) -> str:
        """Say in words what Helicone will do with this policy.

        Examples:
            >>> print(RateLimitPolicy.parse("500;w=3600;u=cents;s=tenant").explain())
            at most 500 cents per 3600 seconds, counted per value of the property 'tenant' (send Helicone-Property-tenant), refilled continuously at 0.138889 cents per second
        """
        what = "requests" if self.unit == "request" else "cents"
        if self.segment is None:
            whom = "shared by all requests of the organisation"
        elif self.segment == "user":
            whom = "counted per Helicone-User-Id (send user_id)"
        else:
            whom = (
                f"counted per value of the property {self.segment!r} "
                f"(send Helicone-Property-{self.segment})"
            )
        return (
            f"at most {format_number(self.quota)} {what} per {self.window_seconds} seconds, "
            f"{whom}, refilled continuously at {self.refill_per_second:.6g} {what} per second"
        )

    def __str__(self) -> str:
        """Write the policy in Helicone's normal form; ``parse`` reads it back unchanged."""
        values = vars(self)
        text: str | None = values.get("_text")  # written once and kept: the policy is frozen
        if text is None:
            text = values["_text"] = _text(values)
        return text


def _text(values: dict[str, Any]) -> str:
    """The policy text of the field *values*, in Helicone's normal form."""
    text = f"{format_number(values['quota'])};w={values['window_seconds']}"
    if values["unit"] != "request":
        text += f";u={values['unit']}"
    if values["segment"] is not None:
        text += f";s={values['segment']}"
    return text


@functools.lru_cache(maxsize=512)
def _parse(cls: type[RateLimitPolicy], value: str) -> RateLimitPolicy:
    # Each part is read by its field's codec, as a header value would be.
    return cls.model_validate(split_policy(value))


class _PolicyCodec(Codec):
    """The header codec: policy text in, its raw parts out, which the policy model reads."""

    def native(self) -> core_schema.CoreSchema | None:
        """A policy is valid once built."""
        return core_schema.is_instance_schema(RateLimitPolicy)

    def read(self, text: str) -> object:
        """Split the text by the grammar; the policy's fields read each part."""
        try:
            return split_policy(text)
        except PolicySyntaxError as exc:
            raise problem("rate_limit_policy_syntax", "{reason}", {"reason": str(exc)}) from None

    def write(self, value: RateLimitPolicy) -> str:
        return str(value)

    def describe(self) -> Description:
        return Description(
            "`<quota>;w=<seconds>`, then optionally `;u=request` or `;u=cents`, then optionally "
            "`;s=user` or `;s=<property>`, in that order",
            "quota > 0; window 60 … 31536000",
            "anything else (a 30 s window, `basic-100`, keys out of order) is silently ignored "
            "and no limit applies",
        )


POLICY = _PolicyCodec()
