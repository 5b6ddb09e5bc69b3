"""Wire codecs: how one field's value is read from and written to one header.

A codec sits in a field's ``Annotated`` metadata. It is the field's single source of truth for the
header grammar:

* ``read(text)`` parses header text strictly. Anything Helicone would ignore, replace, misread or
  answer with HTTP 500 raises an error (``problem``) whose message says what Helicone would do
  and how to write the value instead.
* ``accept(value)`` lets through the Python values a caller may pass instead of text.
* ``check(value)`` applies range rules to the parsed value, whichever way it came in.
* ``write(value)`` renders the header text; None and False are never written, they send nothing.
* ``native()`` states the plainly valid values as a pydantic-core schema, where it can.
* ``canonical(text)`` gives, for header text Helicone applies as meant though spelled otherwise,
  the spelling ``write`` would use; ``from_headers`` reads that and ``check()`` warns.
* ``header_problem(text)`` refuses header text that ``read`` takes as a Python convenience (a
  bare API key).

The field's core schema is one pydantic union, tried left to right: the native schema first, so
that plainly valid values never reach Python, then ``read``/``accept``/``check``, which take or
explain everything else. When both refuse a value, the model reports only the explanation.

Every rule cites Helicone's code as ``path:line`` at the commit named in ``_upstream.py``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal, NamedTuple, cast, get_args

from pydantic import SecretStr
from pydantic_core import PydanticCustomError, ValidationError, core_schema
from pydantic_core import Url as WhatwgUrl

from helicone_headers._codes import problem
from helicone_headers._numbers import (
    DECIMAL,
    DIGITS,
    JS_FULL_FLOAT,
    JS_MAX_SAFE,
    format_number,
    js_parse_float,
    js_parse_int,
    whole,
)
from helicone_headers._text import (
    MAX_VALUE_LENGTH,
    REDACTED,
    SAFE_PATTERN,
    SAFE_TEXT,
    TOKEN,
    escaped,
    quoted,
    redacted_map,
    text_problem,
    too_long,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.fields import FieldInfo
    from pydantic.json_schema import JsonSchemaValue

__all__ = [
    "EXPLAINED",
    "NATIVE",
    "OFF_WORDS",
    "ON_WORDS",
    "TEXT",
    "Canonical",
    "Choice",
    "Codec",
    "Description",
    "Flag",
    "FlagKind",
    "HeaderMap",
    "Integer",
    "Number",
    "Secret",
    "Text",
    "Url",
    "checked_header_map",
    "codec_of",
    "type_error",
]

# The labels of a codec's two union branches, in the location of their errors. The model drops
# the native branch's errors when the explaining one has its own, and removes the labels.
NATIVE: Final = "native"
EXPLAINED: Final = "explained"


def type_error(expected: str, value: object) -> PydanticCustomError:
    return problem(
        "header_value_type",
        "expected {expected}, got {got}",
        {"expected": expected, "got": type(value).__name__},
    )


class Canonical(NamedTuple):
    """Header text Helicone applies as meant, spelled as this library writes it."""

    code: str
    """The warning's registered code."""
    text: str | None
    """The canonical text, or None when the header is better left out (an off flag)."""
    why: str
    """What Helicone does with the text as written, and how to write it."""


class Description(NamedTuple):
    """How a header is written, for the generated reference."""

    grammar: str
    range: str
    odd_values: str


class Codec:
    """How one field travels as one header. Subclasses override the four hooks."""

    secret: ClassVar[bool] = False
    verbatim: ClassVar[bool] = False
    """Whether ``write`` sends the value as it is (text), so writers may skip the call."""

    def read(self, text: str) -> object:
        """Parse header *text* strictly into the field's Python value."""
        unsafe = text_problem(text, secret=self.secret)
        if unsafe is not None:
            raise problem("header_value_unsafe", "the value {problem}", {"problem": unsafe})
        return text

    def accept(self, value: object) -> object:
        """Let through the non-text Python values this field takes."""
        return value

    def canonical(self, text: str) -> Canonical | None:  # noqa: ARG002 - subclasses look at it
        """How Helicone reads header *text* that it applies as meant, though not as written here.

        None when the text is canonical, or when Helicone would not apply it as meant (``read``
        then explains). ``check()`` warns with the canonical spelling; ``from_headers`` reads it.
        """
        return None

    def header_problem(self, text: str) -> tuple[str, str] | None:  # noqa: ARG002 - subclasses look at it
        """(error type, message) for *text* read from a header that ``read`` takes in Python.

        The constructors take a few conveniences (a bare API key) that are wrong on the wire.
        """
        return None

    def check(self, value: Any) -> object:
        """Apply range rules to an already parsed value."""
        return value

    def write(self, value: Any) -> str:
        """Render the header text for *value* (never None or False: those send nothing)."""
        return str(value)

    def describe(self) -> Description:
        """The grammar, the accepted range and what Helicone does with other values, for docs."""
        # What every text value must be is said once, at the top of the reference.
        return Description("text", "", "")

    def native(self) -> core_schema.CoreSchema | None:
        """pydantic-core's own schema for the plainly valid values, if it can state the rule.

        It must take only what ``validate`` takes, and make of it what ``validate`` and the
        field type make of it.
        """
        return None

    def validate(self, value: object) -> object:
        """Run read or accept, then check; ``None`` (an unset option) passes untouched."""
        if value is None:
            return None
        parsed = self.read(value) if isinstance(value, str) else self.accept(value)
        return self.check(parsed)

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """The native schema first, then the codec before pydantic's validation of the type."""
        inner = handler(source)
        explained = core_schema.no_info_before_validator_function(self.validate, inner)
        native = self.native()
        if native is None or inner != handler.generate_schema(source):
            # Constraints of a subclass stand inside the field type's schema: the native
            # branch would skip them.
            return explained
        if inner["type"] == "nullable":
            native = core_schema.nullable_schema(native)
        return core_schema.union_schema(
            [(native, NATIVE), (explained, EXPLAINED)], mode="left_to_right"
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The JSON Schema of the field type: the native branch only restates part of it."""
        if schema["type"] == "union":
            explained = schema["choices"][1]
            schema = explained[0] if isinstance(explained, tuple) else explained
        return handler(schema)


class Text(Codec):
    """Free text: any safe header value (user id, session, model override, ...).

    Helicone reads these as given (``worker/src/lib/models/HeliconeHeaders.ts:387-403``).
    """

    verbatim: ClassVar[bool] = True

    def native(self) -> core_schema.CoreSchema | None:
        """Safe text, checked by pydantic-core."""
        # pydantic-core patterns search, so this one is anchored.
        return core_schema.str_schema(
            pattern=f"^{SAFE_PATTERN}$", max_length=MAX_VALUE_LENGTH, strict=True
        )

    def accept(self, value: object) -> object:
        """Only strings are text; anything else is a caller's mistake."""
        raise type_error("a str", value)


TEXT = Text()


# Dumps write REDACTED in place of a secret; read back, it would be sent as the secret.
MASKED = (
    "the value is " + repr(REDACTED) + ", the mask that dumps and repr() write in place of a "
    "secret, not the secret: sent, it would fail wherever the secret is checked; pass the real "
    "secret (to rebuild a model, read its to_headers() with from_headers(), which carry the real "
    "values, or use model_copy())"
)


class Secret(Codec):
    """A secret string (the PostHog key): checked like text, never quoted back."""

    secret = True

    def read(self, text: str) -> object:
        """Refuse the mask that stands for a secret in dumps, then check the text."""
        if text == REDACTED:
            raise problem("secret_masked", MASKED)
        return super().read(text)

    def accept(self, value: object) -> object:
        """Take a SecretStr and check what it holds; the field type hides it again."""
        if isinstance(value, SecretStr):
            secret: object = value.get_secret_value()
            if isinstance(secret, str):  # pyright: ignore[reportUnnecessaryIsInstance] - SecretStr(None) can be made
                read = self.read(secret)
                return value if read == secret else read  # kept when nothing was taken off
            raise type_error("a SecretStr holding a str", secret)
        raise type_error("a str or SecretStr", value)

    def write(self, value: SecretStr) -> str:
        """Reveal the secret: only ever called to build the outgoing headers."""
        return value.get_secret_value()


# Past this many characters a number is left to read(), which refuses it with its length.
_PLAIN_LENGTH = 30
FlagKind = Literal["exact", "caseless", "nonempty"]
# Words that evidently mean off, and on: Helicone reads the first as off (all but
# LLM-Security-Advanced), and the second as on only where it reads any non-empty value.
OFF_WORDS = frozenset({"false", "0", "no", "off"})
ON_WORDS = frozenset({"true", "1", "yes", "on"})


class Flag(Codec):
    """A boolean flag. True is sent as ``true``; False sends nothing.

    ``exact`` flags are on only for lowercase ``true``; ``caseless`` ones for ``true`` in any case;
    ``nonempty`` ones (LLM-Security-Advanced) for any non-empty value, even ``false``. Helicone:
    ``worker/src/lib/models/HeliconeHeaders.ts:389-390`` (exact),
    ``worker/src/lib/util/cache/cacheSettings.ts:51-56`` (caseless),
    ``worker/src/lib/HeliconeProxyRequest/ProxyForwarder.ts:240-242`` (nonempty).
    """

    def __init__(self, kind: FlagKind = "exact", *, case_note: str = "") -> None:
        """Choose how Helicone reads the flag; *case_note* adds what ``TRUE`` does besides."""
        self.kind, self.case_note = kind, case_note

    def canonical(self, text: str) -> Canonical | None:
        """Off words are read as off, and ``true`` in another case where Helicone folds case."""
        if self.kind != "nonempty" and text.lower() in OFF_WORDS:
            return Canonical(
                "flag_off",
                None,
                f"Helicone reads {text!r} as off, as meant; a flag that is off is best left out, "
                "as to_headers() does",
            )
        if text != "true" and (
            (self.kind == "caseless" and text.lower() == "true")
            or (self.kind == "nonempty" and text.lower() in ON_WORDS)
        ):
            return Canonical(
                "flag_case",
                "true",
                f"Helicone turns this on for {text!r}, as meant{self.case_note}; write 'true'",
            )
        return None

    def read(self, text: str) -> object:
        """Map ``true``/``false`` to Python; refuse what Helicone would read differently."""
        folded = text.lower() if self.kind == "caseless" else text
        if folded == "true":
            return True
        if self.kind == "nonempty":
            raise problem(
                "flag_value",
                "Helicone turns this on for any non-empty value, so {value} turns it ON; write "
                "'true' (True in Python) to turn it on, or leave the header out to keep it off",
                {"value": quoted(text)},
            )
        if folded == "false":
            return False
        rule = "'true' in any case" if self.kind == "caseless" else "the exact lowercase 'true'"
        raise problem(
            "flag_value",
            "Helicone turns this on only for {rule} and treats {value} as off; write 'true' "
            "(True in Python) to turn it on, or leave the header out",
            {"rule": rule, "value": quoted(text)},
        )

    def native(self) -> core_schema.CoreSchema | None:
        """A real bool."""
        return core_schema.bool_schema(strict=True)

    def accept(self, value: object) -> object:
        """Only real booleans (validate takes those): 1 or 'yes' would be guesses."""
        raise type_error("True or False", value)

    def write(self, value: bool) -> str:  # noqa: FBT001, ARG002 - the codec protocol
        """Send ``true``; a false flag is never written, it is simply not sent."""
        return "true"

    def describe(self) -> Description:
        """Document which values Helicone reads as on."""
        odd = {
            "exact": "anything but the exact lowercase `true` is off (`True` is ignored)",
            "caseless": "`true` in any case is on; anything else is off",
            "nonempty": "any non-empty value, even `false`, turns it on",
        }[self.kind]
        return Description("`true`; False is not sent", "", odd)


class Integer(Codec):
    """A whole number in decimal digits, within ``low..high``.

    Helicone reads these with ``parseInt``, which silently takes a numeric prefix (``"5abc"`` is 5,
    and without a radix ``"0x10"`` is 16), so only plain digits are accepted here.
    """

    def __init__(
        self,
        low: int,
        high: int | None = None,
        *,
        below: str,
        above: str = "",
        radix10: bool = True,
        render: Callable[[int], str] = str,
    ) -> None:
        """Set the inclusive range and say what Helicone does outside it."""
        self.low, self.high = low, high
        self.below, self.above = below, above
        self.radix10 = radix10
        self.render = render
        # Without a bound of its own, a number is bounded by what JavaScript's parseInt reads
        # exactly (and what int() and str() handle at all).
        self.limit = JS_MAX_SAFE if high is None else high

    def read(self, text: str) -> object:
        """Take plain decimal digits only."""
        if DIGITS.fullmatch(text) is None:
            raise problem(
                "number_syntax",
                "Helicone reads numbers with parseInt, which would take {value} as {parsed}; "
                "write a whole number in plain digits",
                {"value": quoted(text), "parsed": js_parse_int(text, radix10=self.radix10)},
            )
        return self._digits(text)

    def canonical(self, text: str) -> Canonical | None:
        """``+5``, ``-0`` and ``007``, which parseInt reads as 5, 0 and 7."""
        unsigned = text.removeprefix("+")
        if len(text) > _PLAIN_LENGTH:
            return None  # read() weighs a number this long
        if text == "-0":
            number = "0"
        elif DIGITS.fullmatch(unsigned):
            number = str(int(unsigned))
        else:
            return None
        if number == text:
            return None
        return Canonical(
            "number_form",
            number,
            f"Helicone's parseInt reads {text!r} as {number}, as meant; write {number!r}",
        )

    def _digits(self, text: str) -> int:
        # int() refuses over 4300 digits: a number longer than the limit is refused unread.
        if len(text.lstrip("0")) > len(str(self.limit)):
            shown = text if len(text) <= 30 else f"a number of {len(text)} digits"  # noqa: PLR2004
            raise self._too_large(shown)
        return int(text)

    def native(self) -> core_schema.CoreSchema | None:
        """An int in range."""
        return core_schema.int_schema(ge=self.low, le=self.limit, strict=True)

    def accept(self, value: object) -> object:
        """Take an int, but not a bool."""
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise type_error("an int", value)

    def check(self, value: int) -> object:
        """Keep the value inside the range Helicone handles."""
        if value < self.low:
            raise problem(
                "number_too_small",
                "{value} is below {low}: {reason}",
                {"value": value, "low": self.low, "reason": self.below},
            )
        if value > self.limit:
            shown = str(value) if value.bit_length() < 100 else "the number"  # noqa: PLR2004
            raise self._too_large(shown)
        return value

    def _too_large(self, shown: str) -> PydanticCustomError:
        reason = self.above or (
            "Helicone reads it with parseInt into a JavaScript number, which is exact only up "
            "to this; use a smaller number"
        )
        return problem(
            "number_too_large",
            "{value} is above {high}: {reason}",
            {"value": shown, "high": self.limit, "reason": reason},
        )

    def write(self, value: int) -> str:
        """Write the number in plain digits."""
        return self.render(value)

    def describe(self) -> Description:
        """Document the range and what Helicone does outside it."""
        # Above 2**53 - 1 every number is inexact: the reference says so once, not per header.
        limits = f"{self.low} … {self.high}" if self.high is not None else f"{self.low} or more"
        odd = f"below {self.low}: {self.below}"
        if self.high is not None:
            odd += f"; above {self.high}: {self.above}"
        return Description(f"`{self.render(0).replace('0', '<n>')}`, whole number", limits, odd)


class Number(Codec):
    """A positive decimal number such as ``2`` or ``0.5`` (no sign, no exponent)."""

    def __init__(self, *, below: str) -> None:
        """Say what Helicone does with zero."""
        self.below = below

    def native(self) -> core_schema.CoreSchema | None:
        """A positive int a float holds exactly, or a finite positive float (whole ones as ints).

        A whole number comes out as an int (``100``, not ``100.0``) on every path.
        """
        exact = core_schema.int_schema(gt=0, le=JS_MAX_SAFE, strict=True)
        real = core_schema.float_schema(gt=0, allow_inf_nan=False, strict=True)
        return core_schema.union_schema(
            [exact, core_schema.no_info_after_validator_function(whole, real)],
            mode="left_to_right",
        )

    def canonical(self, text: str) -> Canonical | None:
        """``.5``, ``+5``, ``5.``, ``2.50`` or ``1e3``, which parseFloat reads whole."""
        if len(text) <= _PLAIN_LENGTH and JS_FULL_FLOAT.fullmatch(text) is not None:
            number = float(text)
            written = format_number(number) if math.isfinite(number) else text
            if written != text:
                return Canonical(
                    "number_form",
                    written,
                    f"Helicone's parseFloat reads {text!r} as {written}, as meant; write {written!r}",
                )
        return None

    def read(self, text: str) -> object:
        """Take digits with an optional fraction."""
        if DECIMAL.fullmatch(text) is None:
            raise problem(
                "number_syntax",
                "Helicone reads this number with parseFloat, which would take {value} as "
                "{parsed}; write plain digits with an optional fraction, such as 2 or 1.5",
                {"value": quoted(text), "parsed": js_parse_float(text)},
            )
        number = float(text)
        if number == math.inf:  # more digits than a float holds
            raise problem(
                "number_too_large",
                "a number of {digits} digits is too large for a float: Helicone's parseFloat "
                "reads it as Infinity; use a number below 1e308",
                {"digits": len(text)},
            )
        return whole(number)

    def accept(self, value: object) -> object:
        """Take a finite int or float, but not a bool."""
        if isinstance(value, float) and not math.isfinite(value):
            raise problem(
                "number_not_finite",
                "{value} is not a finite number; Helicone's grammar has digits only",
                {"value": value},
            )
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return whole(float(value))
            except OverflowError:  # an int beyond the largest float
                raise problem(
                    "number_too_large",
                    "an int of about {digits} digits is too large for a float, and Helicone "
                    "reads numbers as floats; use a number below 1e308",
                    # str() of a huge int may itself be refused: count digits from the bits
                    {"digits": int(cast("int", value).bit_length() * math.log10(2)) + 1},
                ) from None
        raise type_error("an int or float", value)

    def check(self, value: float) -> object:
        """Keep the value above zero."""
        if value <= 0:
            raise problem(
                "number_too_small",
                "{value} is not greater than 0: {reason}",
                {"value": format_number(value), "reason": self.below},
            )
        return value

    def write(self, value: float) -> str:
        """Write digits with the fraction only when there is one."""
        return format_number(value)

    def describe(self) -> Description:
        """Document the number format."""
        return Description("decimal number such as `2` or `1.5`", "> 0", f"0 or less: {self.below}")


class Choice(Codec):
    """One of a fixed set of words (prompt mode, token-limit handler, body mapping)."""

    def __init__(self, words: object, *, otherwise: str, caseless: bool = False) -> None:
        """Take the words Helicone knows from the field's ``Literal`` *words*; say what else does."""
        self.choices: tuple[str, ...] = get_args(words)
        self.otherwise = otherwise
        self.caseless = caseless

    def read(self, text: str) -> object:
        """Take a known word; a caseless choice is normalised to lowercase."""
        if not text:
            return super().read(text)  # Helicone treats an empty word as absent
        word = text.lower() if self.caseless else text
        if word in self.choices:
            return word
        raise problem(
            "choice_value",
            "{value} is not one of {choices}: {reason}",
            {"value": quoted(text), "choices": ", ".join(self.choices), "reason": self.otherwise},
        )

    def native(self) -> core_schema.CoreSchema | None:
        """A known word, as it is."""
        return core_schema.literal_schema(list(self.choices))

    def accept(self, value: object) -> object:
        """Only strings name a choice."""
        raise type_error("a str", value)

    def describe(self) -> Description:
        """Document the words Helicone knows."""
        words = ", ".join(f"`{choice}`" for choice in self.choices)
        case = " (any case in, lowercase out)" if self.caseless else ""
        return Description(f"one of {words}{case}", "", self.otherwise)


_DEFAULT_PORTS = {"http": 80, "https": 443}
_URL_500 = "Helicone answers every request with HTTP 500 when its new URL() cannot parse it"


class Url(Codec):
    """An absolute http(s) URL, parsed by the WHATWG URL standard as Helicone's ``new URL()``.

    Helicone parses it in ``worker/src/routers/gatewayRouter.ts:107`` (Helicone-Target-URL) and
    ``worker/src/lib/clients/ProviderClient.ts:177`` (the API base).

    ``origin_only`` refuses a path, query, fragment or credentials, which Helicone drops.
    *unparsable* says what Helicone does with a URL it cannot parse.
    """

    def __init__(self, *, origin_only: bool = False, unparsable: str = _URL_500) -> None:
        """Say whether Helicone uses only the URL's origin, and what it does with a bad URL."""
        self.origin_only = origin_only
        self.unparsable = unparsable

    def read(self, text: str) -> object:
        """Take an absolute http(s) URL that the WHATWG URL standard parses."""
        super().read(text)
        shown = quoted(text)  # quoted() hides a URL's password
        try:
            url = WhatwgUrl(text)  # pydantic-core's URL type follows the WHATWG standard
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"].removeprefix("Input should be a valid URL, ")
            raise problem(
                "url_syntax",
                "{value} is not a URL by the WHATWG URL standard that Helicone's JavaScript "
                "follows ({reason}): {unparsable}; write it like 'https://api.example.com'",
                {"value": shown, "reason": reason, "unparsable": self.unparsable},
            ) from None
        if url.scheme not in _DEFAULT_PORTS:
            raise problem(
                "url_syntax",
                "{value} is not an http(s) URL, so Helicone cannot forward the request to it; "
                "write it like 'https://api.example.com'",
                {"value": shown},
            )
        if self.origin_only and (
            url.path != "/" or url.query or url.fragment or url.username or url.password
        ):
            port = "" if url.port == _DEFAULT_PORTS[url.scheme] else f":{url.port}"
            origin = f"{url.scheme}://{url.host}{port}"
            raise problem(
                "url_path",
                "Helicone sends the request to the origin {origin} only and silently drops the "
                "rest of {value}; write {origin} and put the path in the request URL",
                {"origin": repr(origin), "value": shown},
            )
        return text

    def accept(self, value: object) -> object:
        """Only strings are URLs here."""
        raise type_error("a str", value)

    def describe(self) -> Description:
        """Document the URL form."""
        if self.origin_only:
            return Description(
                "absolute http(s) origin such as `https://api.example.com`, by the WHATWG URL "
                "standard",
                "",
                f"an unparsable URL: {self.unparsable}; a path: silently dropped (only the "
                "origin is used)",
            )
        return Description(
            "absolute http(s) URL, by the WHATWG URL standard",
            "",
            f"an unparsable URL: {self.unparsable}",
        )


def codec_of(info: FieldInfo) -> Codec | None:
    """The codec in a field's metadata, if it has one."""
    return next((meta for meta in info.metadata if isinstance(meta, Codec)), None)


_NOT_A_MAP = ("header_value_type", "expected a dict of str to str, got {got}")


class HeaderMap(Codec):
    """A name -> value map of whole headers, such as custom properties or extra headers.

    It is not one header, so it has no grammar to read: ``checked_header_map`` checks it.
    """

    def __init__(
        self,
        name_problem: Callable[[str], str | None],
        *,
        prefix: str = "",
        hidden: bool,
        native_values: bool = False,
        not_a_map: tuple[str, str] = _NOT_A_MAP,
    ) -> None:
        """Say what is wrong with a name, how it becomes a header, and if values are secret.

        *native_values* lets pydantic-core check plain maps (token names, safe values) first,
        with *name_problem* still run on each name. *not_a_map* is the error (type, message with
        ``{got}``) for a value that is no mapping at all.
        """
        self.name_problem, self.prefix, self.hidden = name_problem, prefix, hidden
        self.native_values, self.not_a_map = native_values, not_a_map

    def validate(self, value: object) -> object:
        """Check the whole map."""
        return checked_header_map(
            value,
            self.name_problem,
            prefix=self.prefix,
            secret=self.hidden,
            not_a_map=self.not_a_map,
        )

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Hidden values are dumped as ``**********``, like a SecretStr."""
        schema = cast("dict[str, Any]", super().__get_pydantic_core_schema__(source, handler))
        if self.hidden:
            schema["serialization"] = core_schema.plain_serializer_function_ser_schema(
                redacted_map, when_used="always"
            )
        return cast("core_schema.CoreSchema", schema)

    def native(self) -> core_schema.CoreSchema | None:
        """A dict of token names to safe text, unique ignoring case, each name without fault."""
        if not self.native_values:
            return None
        # Each header line "<prefix><name>: <text>" fits the limit whatever the name's share.
        names = core_schema.str_schema(
            pattern=f"^{TOKEN.pattern}$", max_length=_NATIVE_NAME_LENGTH, strict=True
        )
        texts = core_schema.str_schema(
            pattern=f"^{SAFE_PATTERN}$",
            max_length=MAX_VALUE_LENGTH - len(self.prefix) - 2 - _NATIVE_NAME_LENGTH,
            strict=True,
        )
        return core_schema.no_info_after_validator_function(
            self._names_without_fault, core_schema.dict_schema(names, texts, strict=True)
        )

    def _names_without_fault(self, value: dict[str, str]) -> dict[str, str]:
        names = {name.lower() for name in value}
        if len(names) < len(value) or any(self.name_problem(name) for name in value):
            # Never seen by users: checked_header_map names the fault and explains.
            msg = "a name is at fault"
            raise ValueError(msg)
        return value


# Longer names are fine, but are left to checked_header_map, which weighs them with the value.
_NATIVE_NAME_LENGTH = 256


def checked_header_map(
    value: object,
    name_problem: Callable[[str], str | None],
    *,
    prefix: str = "",
    secret: bool,
    not_a_map: tuple[str, str] = _NOT_A_MAP,
) -> dict[str, str]:
    """Check a name -> value map of headers: valid names, unique ignoring case, safe values.

    *name_problem* says what is wrong with a name; *prefix* turns a name into its header
    (``Helicone-Property-``); *secret* values are never quoted; *not_a_map* is the error for a
    value that is no mapping.
    """
    if not isinstance(value, Mapping):
        raise problem(*not_a_map, {"got": type(value).__name__})
    seen: dict[str, str] = {}
    checked: dict[str, str] = {}
    for name, text in cast("Mapping[object, object]", value).items():
        if not isinstance(name, str):
            raise problem(
                "header_value_type", "names must be str, got {got}", {"got": type(name).__name__}
            )
        header = prefix + name
        try:
            clash = seen.get(name.lower())
            checked[name] = _checked_header(
                header,
                text,
                name_fault=name_problem(name),
                clash=None if clash is None else prefix + clash,
                secret=secret,
            )
        except PydanticCustomError as error:
            # The error names its header in its location, so that check() can report it.
            raise ValidationError.from_exception_data(
                "header map",
                [{"type": error, "loc": (escaped(header),), "input": REDACTED if secret else text}],
            ) from None
        seen[name.lower()] = name
    return checked


def _checked_header(
    header: str, text: object, *, name_fault: str | None, clash: str | None, secret: bool
) -> str:
    """The value of one header of a map, or the problem with its name or its value.

    *name_fault* is what is wrong with the name; *clash*, the header of the same name in another
    case.
    """
    if name_fault is not None:
        raise problem(
            "header_name", "{header}: {problem}", {"header": header, "problem": name_fault}
        )
    if clash is not None:
        raise problem(
            "header_name_case",
            "{header} and {first} differ only in case; header names are case-insensitive (and "
            "Helicone lowercases property names), so one would overwrite the other or both "
            "would be joined into one value; keep one",
            {"header": header, "first": clash},
        )
    if not isinstance(text, str):
        raise problem(
            "header_value_type",
            "{header}: expected a str value, got {got}",
            {"header": header, "got": type(text).__name__},
        )
    if secret and text == REDACTED:
        raise problem("secret_masked", "{header}: {masked}", {"header": header, "masked": MASKED})
    length = len(header) + 2 + len(text)  # the header line is "<header>: <text>"
    if SAFE_TEXT.fullmatch(text) is None or length > MAX_VALUE_LENGTH:
        raise problem(
            "header_value_unsafe",
            "{header}: the value {problem}",
            {"header": header, "problem": text_problem(text, secret=secret) or too_long(length)},
        )
    return text
