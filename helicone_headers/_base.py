"""The shared model bases: frozen config, error messages that name headers, header output."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from helicone_headers._types import REDACTED, Codec

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails, InitErrorDetails
    from typing_extensions import Self

__all__ = [
    "FrozenModel",
    "HeaderModel",
    "WireField",
    "custom_error",
    "group_type",
    "merge_by_name",
    "nested_model",
    "reraisable",
]


class WireField(NamedTuple):
    """How one field travels: its header name and its codec."""

    header: str
    codec: Codec


def merge_by_name(old: Mapping[str, str], new: Mapping[str, str]) -> dict[str, str]:
    """Merge two name -> value maps; a name in *new* replaces the same name in any case in *old*."""
    replaced = {name.lower() for name in new}
    merged = {name: value for name, value in old.items() if name.lower() not in replaced}
    merged.update(new)
    return merged


def custom_error(kind: str, message: str, ctx: dict[str, Any] | None = None) -> PydanticCustomError:
    """A PydanticCustomError from a message built at run time (pydantic asks for literals)."""
    return PydanticCustomError(kind, message, ctx)  # pyright: ignore[reportArgumentType]


def reraisable(
    error: ErrorDetails, message: str | None = None, value: object = None
) -> InitErrorDetails:
    """Turn a reported error back into one that ValidationError.from_exception_data accepts."""
    return {
        "type": custom_error(error["type"], message or error["msg"], error.get("ctx")),
        "loc": error["loc"],
        "input": error["input"] if value is None else value,
    }


class _Label(NamedTuple):
    """How errors of one field are reported."""

    prefix: str | None
    """Prepended to its messages: ``Header (field)``, the field name, or None for a group."""
    secret: bool
    """Whether the input must never be shown."""
    nested: type[FrozenModel] | None
    """The model inside the field, which names its own fields in its own errors."""


class FrozenModel(BaseModel):
    """A frozen, strict-keyed model whose errors name the header and field at fault."""

    model_config = ConfigDict(
        frozen=True,  # hashable where possible, safe to share as client-wide defaults
        extra="forbid",  # "Helicone-Retry-Nmu" is an error, not a no-op
        validate_by_name=True,  # RetryOptions(max_attempts=3) ...
        validate_by_alias=True,  # ... and model_validate({"Helicone-Retry-Num": "3"})
        serialize_by_alias=True,  # dumps use header names
        # Field docstrings are read by the docs generator when it runs, not at every import.
        hide_input_in_errors=True,  # pydantic must never echo an API key it was handed
        defer_build=True,  # validators are built on first use, not at import
    )

    _labels: ClassVar[dict[str, _Label]]
    """Field name and alias -> how its errors are reported."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Index the fields by name and alias for error messages."""
        super().__pydantic_init_subclass__(**kwargs)
        labels: dict[str, _Label] = {}
        for name, info in cls.model_fields.items():
            secret = any(isinstance(meta, Codec) and meta.secret for meta in info.metadata)
            nested = nested_model(info.annotation)
            if info.alias is not None:
                label = _Label(f"{info.alias} ({name})", secret, nested)
                labels[info.alias] = label
            else:
                # A nested option group labels its own errors.
                label = _Label(None if nested else name, secret, nested)
            labels[name] = label
        cls._labels = labels

    @model_validator(mode="wrap")
    @classmethod
    def _name_the_header(cls, data: Any, handler: Any) -> Any:
        """Prefix each field error with its header and field, and redact secret input."""
        try:
            return handler(data)
        except ValidationError as exc:
            raise cls._with_header_names(exc) from None

    @classmethod
    def _with_header_names(cls, exc: ValidationError) -> ValidationError:
        """The same errors, each prefixed with its header and field, secret input redacted."""
        return ValidationError.from_exception_data(
            exc.title, [cls._renamed(error) for error in exc.errors()], hide_input=True
        )

    @classmethod
    def _renamed(cls, error: ErrorDetails) -> InitErrorDetails:
        # Each model names its own fields; a nested model has already named its own.
        loc = error["loc"]
        label = cls._labels.get(str(loc[0])) if loc else None
        message = error["msg"]
        if label is not None and label.prefix is not None:
            message = f"{label.prefix}: {message}"
        # A rule across fields holds every value of its model in its input: never show it.
        hidden = (
            label is None or label.secret or (label.prefix is None and label.nested is not None)
        )
        return reraisable(error, message, REDACTED if hidden else None)


class HeaderModel(FrozenModel):
    """A group of options whose field aliases are HTTP header names."""

    switch: ClassVar[str | None] = None
    """A header sent as ``true`` whenever the group is present (Helicone-Retry-Enabled)."""

    empty_error: ClassVar[tuple[str, str] | None] = None
    """(error type, message) for a group that would send no header at all."""

    rules_across_fields: ClassVar[bool] = True
    """Whether a merge must validate again, because options of the group depend on each other."""

    _wire: ClassVar[dict[str, WireField | None]]
    """Field name -> how it is written (None for a nested group), in field order."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Record which fields are headers and which are nested groups, in field order."""
        super().__pydantic_init_subclass__(**kwargs)
        wire: dict[str, WireField | None] = {}
        for name, info in cls.model_fields.items():
            codec = next((meta for meta in info.metadata if isinstance(meta, Codec)), None)
            if codec is not None and info.alias is not None:
                wire[name] = WireField(info.alias, codec)
            elif group_type(info.annotation) is not None:
                wire[name] = None
        cls._wire = wire

    @model_validator(mode="after")
    def _check_sends_something(self) -> Self:
        # An empty group would vanish on the wire and come back as None from from_headers().
        if self.empty_error is not None and not self._headers():
            raise custom_error(*self.empty_error)
        return self

    def to_headers(self) -> dict[str, str]:
        """Return the options as a header dict, omitting what is unset or false."""
        return dict(self._headers())

    def _headers(self) -> dict[str, str]:
        # Written once and kept: the model is frozen. Only the fields that were set can send
        # anything, and nested groups reuse their own kept dicts.
        values: dict[str, Any] = vars(self)
        headers: dict[str, str] | None = values.get("_written")
        if headers is not None:
            return headers
        headers = {self.switch: "true"} if self.switch is not None else {}
        wire = self._wire
        for name in wire:  # field order, so the output order is stable
            if name not in self.__pydantic_fields_set__:
                continue
            value = values[name]
            if value is None or value is False:
                continue
            field = wire[name]
            if field is None:
                headers.update(cast("HeaderModel", value)._headers())  # noqa: SLF001
            else:
                headers[field.header] = field.codec.write(value)
        self._add_headers(headers)
        values["_written"] = headers
        return headers

    def _add_headers(self, headers: dict[str, str]) -> None:
        """Add headers that are not one field each (properties, extra headers)."""

    def merge(self, other: Self) -> Self:
        """Return a copy with the options *other* sets laid over these; later wins.

        Nested groups merge option by option, and name -> value maps (properties) merge by name,
        ignoring case. A group whose options depend on each other (retry timeouts, cache
        switches) is validated again; the rest is made of values that are valid already.
        """
        mine = self.model_fields_set
        changes: dict[str, Any] = {}
        for name in other.model_fields_set:
            new, old = getattr(other, name), getattr(self, name) if name in mine else None
            if isinstance(new, HeaderModel) and isinstance(old, HeaderModel):
                new = old.merge(new)
            elif isinstance(new, Mapping) and isinstance(old, Mapping):
                new = merge_by_name(cast("Mapping[str, str]", old), cast("Mapping[str, str]", new))
            changes[name] = new
        if self.rules_across_fields:
            return self.model_validate({**{name: getattr(self, name) for name in mine}, **changes})
        return self.model_copy(update=changes)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """Copy the model, like pydantic; written headers are not carried over to a changed copy."""
        copied = super().model_copy(update=update, deep=deep)
        if update:
            vars(copied).pop("_written", None)
        return copied

    def __or__(self, other: Self) -> Self:
        """``a | b`` is ``a.merge(b)``."""
        return self.merge(other)


def group_type(annotation: object) -> type[HeaderModel] | None:
    """The option group (a HeaderModel) inside ``X | None``, if the annotation holds one."""
    model = nested_model(annotation)
    return model if model is not None and issubclass(model, HeaderModel) else None


def nested_model(annotation: object) -> type[FrozenModel] | None:
    """The model in ``Model``, ``Model | None`` or ``list[Model] | None``, if there is one."""
    candidates: tuple[object, ...] = getattr(annotation, "__args__", (annotation,))
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, FrozenModel):
            return candidate
    nested = (nested_model(each) for each in candidates if hasattr(each, "__args__"))
    return next((model for model in nested if model is not None), None)
