"""Reading a header dict: route each name to its field, and report every name Helicone would miss."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from helicone_headers._base import reraisable
from helicone_headers._codec import ON_WORDS
from helicone_headers._codes import problem
from helicone_headers._names import (
    PROPERTY_PREFIX,
    Route,
    is_helicone_lower,
    is_secret,
    routes,
    unmodeled_problem,
)
from helicone_headers._text import REDACTED, escaped, quoted, text_problem

if TYPE_CHECKING:
    from pydantic_core import InitErrorDetails

    from helicone_headers._base import HeaderModel

__all__ = [
    "MAX_HEADERS",
    "MAX_HEADER_BYTES",
    "Note",
    "Reading",
    "header_pairs",
    "read_headers",
    "too_large",
]

_PAIR = 2
# What one header dict may hold to be read at all: a request past this is refused on its way to
# Helicone (Cloudflare, which serves Helicone's hosted proxy, documents 128 KB of request
# headers), and reading it would only cost memory and time.
MAX_HEADERS = 2000
MAX_HEADER_BYTES = 128 * 1024
_PROPERTY_LOWER = PROPERTY_PREFIX.lower()
_NAME_TYPE = "header names must be str, got {got}"
_VALUE_TYPE = (
    "header values must be str, got {got}; httpx, the OpenAI SDK and LiteLLM refuse anything "
    "else, so write it as text such as 'true' or '3'"
)
_REPEATED = (
    "is sent twice, also as {first}; HTTP joins repeated headers with ', ', which Helicone "
    "would read as one garbled value; send it once"
)
_TWO_NAMES = (
    "sets the same option as {first}; Helicone reads only one of them when both are sent; "
    "send only the current name"
)
_SWITCH = (
    "Helicone turns this on whenever the header is present, whatever its value, so {value} "
    "turns it ON; write 'true', or leave the header out to keep it off"
)
_SWITCH_MISSING = (
    "Helicone ignores the other {group} headers unless this one is sent as 'true'; add it (the "
    "{group} options of HeliconeHeaders always send it)"
)


def _error(label: str, value: object, kind: str, message: str) -> InitErrorDetails:
    return {
        "type": problem(kind, f"{label}: {message}"),
        "loc": (label.split(" (", 1)[0],),
        "input": value,
    }


class _Reader:
    """Collects one header dict into model_validate input, and the errors of its names."""

    def __init__(self, model: type[HeaderModel], pairs: list[tuple[object, object]]) -> None:
        self.model = model
        self.table = routes(model)
        self.pairs = pairs
        self.passed: list[str] = []  # Helicone's names that are the client's own here
        self.data: dict[str, Any] = {}
        self.errors: list[InitErrorDetails] = []
        self.notes: list[Note] = []  # what Helicone applies as meant, though not as we write it
        self.seen: dict[str, str] = {}  # lowercase name -> name as sent
        self.placed: dict[str, str] = {}  # field -> the header that set it

    def add(self, name: object, value: object) -> None:
        if not isinstance(name, str):
            self.errors.append(
                _error(
                    repr(name),
                    value,
                    "header_name_type",
                    _NAME_TYPE.format(got=type(name).__name__),
                )
            )
            return
        lower = name.lower()
        if not is_helicone_lower(lower):
            return  # not Helicone's: Authorization, Content-Type, ...
        route = self.table.get(lower)
        if route is not None and _clients_own(route, value) and not self._caching():
            self.passed.append(name)  # Cache-Control: no-store, with no caching: the provider's
            return
        label = escaped(name) if route is None else f"{name} ({route.field})"
        problem = self._problem(name, lower, value, route)
        if problem is not None:
            # An unknown name may be a misspelled secret one (Helicone-Auht): never show its value.
            shown = REDACTED if route is None or is_secret(self.model, name) else value
            self.errors.append(_error(label, shown, *problem))
        self.seen.setdefault(lower, name)
        if route is not None:
            self.placed.setdefault(route.field, name)

    def _caching(self) -> bool:
        """Whether a header that turns Helicone's cache on is sent (asked of a Cache-Control)."""
        return any(
            isinstance(name, str)
            and (route := self.table.get(name.lower())) is not None
            and route.field in _CACHE_SWITCHES
            for name, _ in self.pairs
        )

    def _problem(
        self, name: str, lower: str, value: object, route: Route | None
    ) -> tuple[str, str] | None:
        """Place the value, or say why not as (error type, template with the context filled)."""
        if lower in self.seen:
            return ("header_repeated", _REPEATED.format(first=repr(self.seen[lower])))
        if not isinstance(value, str):
            return ("header_value_type", _VALUE_TYPE.format(got=type(value).__name__))
        value = self._trimmed(name, value)
        if route is None:
            return self._place_unmodeled(name, lower, value)
        if route.field in self.placed:
            return ("header_repeated", _TWO_NAMES.format(first=repr(self.placed[route.field])))
        if route.switch:
            return self._place_switch(name, value, route)
        return self._place_field(name, value, route)

    def _trimmed(self, name: str, value: str) -> str:
        """The value without outer spaces, which HTTP strips on the way to Helicone."""
        stripped = value.strip(" \t")
        if stripped and stripped != value:
            shown = "the value" if is_secret(self.model, name) else quoted(stripped)
            self.notes.append(
                Note(
                    "outer_space",
                    name,
                    f"{name}: HTTP strips the spaces around the value, so Helicone receives "
                    f"{shown}, as meant; write it without them",
                )
            )
            return stripped
        return value

    def _place_switch(self, name: str, value: str, route: Route) -> tuple[str, str] | None:
        if value != "true" and value.lower() in ON_WORDS:
            self.notes.append(
                Note(
                    "switch_form",
                    name,
                    f"{name}: Helicone switches {route.field} on for any value, so {quoted(value)} "
                    "works as meant; write 'true'",
                )
            )
        elif value != "true":
            return ("switch_value", _SWITCH.format(value=quoted(value)))
        self.data.setdefault(route.field, {})
        return None

    def _place_field(self, name: str, value: str, route: Route) -> tuple[str, str] | None:
        # Every route but a group's switch has its field's codec.
        on_the_wire = route.codec and route.codec.header_problem(value)
        if on_the_wire:
            return on_the_wire
        fixed = route.codec and route.codec.canonical(value)
        if fixed:
            self.notes.append(Note(fixed.code, name, f"{name}: {fixed.why}"))
            if fixed.text is None:
                return None  # off, as meant: nothing to place
            value = fixed.text
        target = self.data if route.group is None else self.data.setdefault(route.group, {})
        target[route.header] = value
        return None

    def _place_unmodeled(self, name: str, lower: str, value: str) -> tuple[str, str] | None:
        if lower.startswith(_PROPERTY_LOWER):
            self.data.setdefault("properties", {})[name[len(PROPERTY_PREFIX) :]] = value
            return None
        problem = unmodeled_problem(self.model, name)
        if problem is not None:
            return ("header_name_unknown", problem)
        self.data.setdefault("extra_headers", {})[name] = value
        return None

    def finish(self) -> tuple[dict[str, Any], list[InitErrorDetails], list[Note]]:
        for route in self.table.values():
            if route.switch and route.field in self.data and route.header.lower() not in self.seen:
                self.errors.append(
                    _error(
                        route.header,
                        None,
                        "switch_missing",
                        _SWITCH_MISSING.format(group=route.field),
                    )
                )
        return self.data, self.errors, self.notes


# The fields whose headers turn Helicone's cache on: without one, Cache-Control is the client's.
_CACHE_SWITCHES = frozenset({"cache.enabled", "cache.save", "cache.read"})


def _clients_own(route: Route, value: object) -> bool:
    """Whether *value* is a Cache-Control that sets no cache lifetime (``no-store``).

    Without caching on, Helicone forwards such a header to the provider and reads nothing from
    it; one with ``max-age`` is still reported, since Helicone caches nothing without the switch.
    """
    if route.field != "cache.max_age_seconds" or route.codec is None or not isinstance(value, str):
        return False
    text = value.strip(" \t")
    if text_problem(text) is not None or route.codec.canonical(text) is not None:
        return False  # unsendable, or a lifetime Helicone would find in it
    try:
        route.codec.validate(text)
    except PydanticCustomError as error:
        return error.type == "cache_control_syntax"
    return False


class Note(NamedTuple):
    """A header Helicone applies as meant, though it is not written as this library writes it."""

    code: str
    header: str
    message: str


class Reading(NamedTuple):
    """What reading a header dict gives: the model or every error, and the notes."""

    model: HeaderModel | None
    errors: list[InitErrorDetails]
    notes: list[Note]
    passed: tuple[str, ...] = ()
    """Headers with Helicone's names that it does not read here, sent on as they are."""

    def built(self, title: str) -> HeaderModel:
        """The model read, or every error at once as a ValidationError titled *title*.

        Raises:
            pydantic.ValidationError: a name or value was refused.
        """
        if self.model is None:
            raise ValidationError.from_exception_data(title, self.errors, hide_input=True)
        return self.model


def too_large(pairs: list[tuple[object, object]]) -> str | None:
    """Say why *pairs* (as ``header_pairs`` gives them) are too many to read, or return None."""
    if len(pairs) > MAX_HEADERS:
        return f"more than {MAX_HEADERS} headers"
    size = 0
    for name, value in pairs:
        size += (len(name) if isinstance(name, str) else 0) + (
            len(value) if isinstance(value, str) else 0
        )
    if size > MAX_HEADER_BYTES:
        return f"{size} characters of names and values, more than {MAX_HEADER_BYTES}"
    return None


def read_headers(model: type[HeaderModel], headers: object) -> Reading:
    """Read a header dict into *model*: each name routed, each value validated by the model.

    Raises:
        TypeError: *headers* is neither a mapping nor an iterable of (name, value) pairs.
    """
    pairs = header_pairs(headers)
    oversize = too_large(pairs)
    if oversize is not None:
        error: InitErrorDetails = {
            "type": problem(
                "input_too_large",
                "the headers hold {size}; no request with headers this large reaches Helicone "
                "(Cloudflare, in front of its hosted proxy, documents a limit of 128 KB), so "
                "they are not read",
                {"size": oversize},
            ),
            "loc": (),
            "input": REDACTED,
        }
        return Reading(None, [error], [])
    reader = _Reader(model, pairs)
    for name, value in pairs:
        reader.add(name, value)
    data, errors, notes = reader.finish()
    try:
        built = model.model_validate(data)
    except ValidationError as exc:
        # Every problem at once: the names as well as the values.
        errors.extend(reraisable(error) for error in exc.errors())
        built = None
    return Reading(None if errors else built, errors, notes, tuple(reader.passed))


def header_pairs(headers: object) -> list[tuple[object, object]]:
    """The (name, value) pairs of a mapping or of an iterable of pairs (tuples or lists).

    Each of a header sent twice comes as its own pair where the object keeps them apart
    (``httpx.Headers.multi_items()``). At most one pair more than ``MAX_HEADERS`` is taken, so
    that a huge input costs no more than telling it is too large.

    Raises:
        TypeError: *headers* is neither.
    """
    kind = type(headers).__name__
    bound = MAX_HEADERS + 1
    multi_items = getattr(headers, "multi_items", None)
    if isinstance(headers, Mapping):
        mapping = cast("Mapping[object, object]", headers)
        every: Iterable[tuple[object, object]] = (
            cast("Iterable[tuple[object, object]]", multi_items())
            if callable(multi_items)
            else mapping.items()
        )
        return list(islice(every, bound))
    # A pydantic model (a parsed completion) iterates as (field, value) pairs: no headers.
    if isinstance(headers, Iterable) and not isinstance(headers, (str, bytes, BaseModel)):
        # Pairs as tuples, or as two-item lists, which is how JSON writes them.
        items = list(islice(cast("Iterable[object]", headers), bound))
        pairs = [
            tuple(cast("list[object]", item)) for item in items if isinstance(item, (tuple, list))
        ]
        if len(pairs) == len(items) and all(len(pair) == _PAIR for pair in pairs):
            return cast("list[tuple[object, object]]", pairs)
    msg = (
        "expected a mapping of header names to values, or an iterable of (name, value) pairs, "
        f"got {kind}"
    )
    raise TypeError(msg)
