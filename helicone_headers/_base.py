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
    "reraisable",
]


class WireField(NamedTuple):
    """One field of a model as it travels: Python name, header name and codec."""

    name: str
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


class FrozenModel(BaseModel):
    """A frozen, strict-keyed model whose errors name the header and field at fault."""

    model_config = ConfigDict(
        frozen=True,  # hashable where possible, safe to share as client-wide defaults
        extra="forbid",  # "Helicone-Retry-Nmu" is an error, not a no-op
        validate_by_name=True,  # RetryOptions(max_attempts=3) ...
        validate_by_alias=True,  # ... and model_validate({"Helicone-Retry-Num": "3"})
        serialize_by_alias=True,  # dumps use header names
        use_attribute_docstrings=True,  # field docstrings become the published reference
        hide_input_in_errors=True,  # pydantic must never echo an API key it was handed
    )

    _labels: ClassVar[dict[str, tuple[str | None, bool]]]
    """Field name and alias -> (the prefix for its error messages, whether it is secret)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Index the fields by name and alias for error messages."""
        super().__pydantic_init_subclass__(**kwargs)
        labels: dict[str, tuple[str | None, bool]] = {}
        for name, info in cls.model_fields.items():
            secret = any(isinstance(meta, Codec) and meta.secret for meta in info.metadata)
            if info.alias is not None:
                label: str | None = f"{info.alias} ({name})"
                labels[info.alias] = (label, secret)
            else:
                # A nested option group labels its own errors.
                label = None if _nested_model(info.annotation) else name
            labels[name] = (label, secret)
        cls._labels = labels

    @model_validator(mode="wrap")
    @classmethod
    def _name_the_header(cls, data: Any, handler: Any) -> Any:
        """Prefix each field error with its header and field, and redact secret input."""
        try:
            return handler(data)
        except ValidationError as exc:
            raise ValidationError.from_exception_data(
                exc.title, [cls._renamed(error) for error in exc.errors()], hide_input=True
            ) from None

    @classmethod
    def _renamed(cls, error: ErrorDetails) -> InitErrorDetails:
        message: str = error["msg"]
        value: object = error["input"]
        loc: tuple[int | str, ...] = error["loc"]
        entry = cls._labels.get(str(loc[0])) if loc else None
        if entry is None:
            # A rule across fields: its message names them, but its input holds every value.
            value = REDACTED
        else:
            label, secret = entry
            if label is not None:
                message = f"{label}: {message}"
            if secret:
                value = REDACTED
        return reraisable(error, message, value)


class HeaderModel(FrozenModel):
    """A group of options whose field aliases are HTTP header names."""

    switch: ClassVar[str | None] = None
    """A header sent as ``true`` whenever the group is present (Helicone-Retry-Enabled)."""

    empty_error: ClassVar[tuple[str, str] | None] = None
    """(error type, message) for a group that would send no header at all."""

    _wire: ClassVar[tuple[WireField | str, ...]]
    """Header fields and nested groups (by name), in field order."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Record which fields are headers and which are nested groups, in field order."""
        super().__pydantic_init_subclass__(**kwargs)
        wire: list[WireField | str] = []
        for name, info in cls.model_fields.items():
            codec = next((meta for meta in info.metadata if isinstance(meta, Codec)), None)
            if codec is not None and info.alias is not None:
                wire.append(WireField(name, info.alias, codec))
            elif group_type(info.annotation) is not None:
                wire.append(name)
        cls._wire = tuple(wire)

    @model_validator(mode="after")
    def _check_sends_something(self) -> Self:
        # An empty group would vanish on the wire and come back as None from from_headers().
        if self.empty_error is not None and not self.to_headers():
            raise custom_error(*self.empty_error)
        return self

    def to_headers(self) -> dict[str, str]:
        """Return the options as a header dict, omitting what is unset or false."""
        headers: dict[str, str] = {}
        self._write(headers)
        return headers

    def _write(self, headers: dict[str, str]) -> None:
        if self.switch is not None:
            headers[self.switch] = "true"
        for field in self._wire:
            if isinstance(field, str):
                group = cast("HeaderModel | None", getattr(self, field))
                if group is not None:
                    group._write(headers)  # noqa: SLF001 - same class family
            elif (value := getattr(self, field.name)) is not None and (
                text := field.codec.write(value)
            ) is not None:
                headers[field.header] = text

    def merge(self, other: Self) -> Self:
        """Return a copy with the options *other* sets laid over these; later wins.

        Nested groups merge option by option, and name -> value maps (properties) merge by name,
        ignoring case. The result is validated like any new model.
        """
        data: dict[str, Any] = {name: getattr(self, name) for name in self.model_fields_set}
        for name in other.model_fields_set:
            new, old = getattr(other, name), data.get(name)
            if isinstance(new, HeaderModel) and isinstance(old, HeaderModel):
                new = old.merge(new)
            elif isinstance(new, Mapping) and isinstance(old, Mapping):
                new = merge_by_name(cast("Mapping[str, str]", old), cast("Mapping[str, str]", new))
            data[name] = new
        return self.model_validate(data)

    def __or__(self, other: Self) -> Self:
        """``a | b`` is ``a.merge(b)``."""
        return self.merge(other)


def group_type(annotation: object) -> type[HeaderModel] | None:
    """The HeaderModel class inside ``X | None``, if the annotation is one."""
    for candidate in getattr(annotation, "__args__", (annotation,)):
        if isinstance(candidate, type) and issubclass(candidate, HeaderModel):
            return candidate
    return None


def _nested_model(annotation: object) -> bool:
    """Whether the annotation is ``SomeModel`` or ``SomeModel | None``."""
    return any(
        isinstance(candidate, type) and issubclass(candidate, BaseModel)
        for candidate in getattr(annotation, "__args__", (annotation,))
    )
