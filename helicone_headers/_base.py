"""The shared model bases: frozen config, error messages that name headers, header output."""

import copy
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

from pydantic import AliasChoices, BaseModel, ConfigDict, GetCoreSchemaHandler, ValidationError
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError, core_schema
from typing_extensions import Self

from helicone_headers._codec import EXPLAINED, NATIVE, Codec, HeaderMap, codec_of
from helicone_headers._codes import problem
from helicone_headers._text import REDACTED, redacted_map, without_password

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

__all__ = [
    "FrozenModel",
    "HeaderModel",
    "NonEmptyGroup",
    "OneField",
    "WireField",
    "group_type",
    "nested_model",
    "reraisable",
]


class WireField(NamedTuple):
    """How one field travels: its header name and how its value is written."""

    name: str
    header: str | None
    """The header name, or None for a nested group, which writes its own headers."""
    write: Callable[[Any], str] | None
    """The codec's ``write``, or None for text, which is sent as it is."""


def reraisable(
    error: ErrorDetails, message: str | None = None, value: object = None
) -> InitErrorDetails:
    """Turn a reported error back into one that ValidationError.from_exception_data accepts.

    The message is final: it is not filled again (text from the input may look like a
    placeholder). A URL's password in the input is hidden.
    """
    shown = error["input"] if value is None else value
    return {
        # pydantic's own types too (missing, extra_forbidden, ...): not only registered ones.
        "type": PydanticCustomError(error["type"], message or error["msg"]),  # pyright: ignore[reportArgumentType]
        "loc": error["loc"],
        "input": without_password(shown) if isinstance(shown, str) else shown,
    }


class OneField(Exception):  # noqa: N818 - it carries an error, it is not one
    """A rule across fields that one field breaks: raise it so the error names that header."""

    def __init__(self, field: str, error: PydanticCustomError) -> None:
        super().__init__(field, error)
        self.field, self.error = field, error


class _Label(NamedTuple):
    """How errors of one field are reported."""

    prefix: str | None
    """Prepended to its messages: ``Header (field)``, the field name, or None for a group."""
    secret: bool
    """Whether the input must never be shown."""
    nested: type["FrozenModel"] | None
    """The model inside the field, which names its own fields in its own errors."""
    branches: bool
    """Whether the field's schema is a codec's union, whose branch labels follow the field."""


def _inherit_codec(model: type[BaseModel], name: str, info: "FieldInfo") -> Codec | None:
    """Give a re-declared header field the codec of the field it replaces, if it has none.

    The codec goes last: it reads the header text, and the field type with the subclass's own
    constraints checks what it read.

    Raises:
        TypeError: the field no longer has the header name it replaces.
    """
    parent = next(
        (
            base.model_fields[name]
            for base in model.__mro__[1:]
            if issubclass(base, BaseModel) and name in base.model_fields
        ),
        None,
    )
    codec = None if parent is None else codec_of(parent)
    if parent is None or codec is None:
        return None
    if info.alias != parent.alias:
        msg = (
            f"{model.__name__}.{name} replaces a field sent as {parent.alias}; keep "
            f"Field(alias={parent.alias!r}) in its annotation"
        )
        raise TypeError(msg)
    info.metadata.append(codec)
    return codec


# What pydantic refuses to assign before any validation.
_REFUSALS = frozenset({"frozen_instance", "frozen_field"})

# Names people reach for, and the option they mean.
_SYNONYMS = {
    "ttl": "max_age_seconds",
    "max_age": "max_age_seconds",
    "cache_ttl": "max_age_seconds",
    "retries": "max_attempts",
    "num_retries": "max_attempts",
    "max_retries": "max_attempts",
    "user": "user_id",
    "api_base": "openai_api_base",
    "base_url": "target_url",
    "metadata": "properties",
    "bucket_size": "bucket_max_size",
    "window": "window_seconds",
}


def _first_field(model: type[BaseModel]) -> str:
    return next(iter(model.model_fields))


def _names_of(name: str, info: "FieldInfo") -> list[str]:
    """Every key a field is given by: its name, its alias and its validation aliases."""
    names = [name] if info.alias is None else [name, info.alias]
    if isinstance(info.validation_alias, AliasChoices):
        names += [each for each in info.validation_alias.choices if isinstance(each, str)]
    return names


class FrozenModel(BaseModel):
    """A frozen, strict-keyed model whose errors name the header and field at fault.

    Every instance is built by pydantic's validation of the model's core schema, whichever way
    it is made: ``Model(...)``, ``model_validate``, ``model_validate_json``, ``model_copy(update=)``
    or a merge.
    """

    model_config = ConfigDict(
        frozen=True,  # hashable where possible, safe to share as client-wide defaults
        extra="forbid",  # "Helicone-Retry-Nmu" is an error, not a no-op
        validate_by_name=True,  # RetryOptions(max_attempts=3) ...
        validate_by_alias=True,  # ... and model_validate({"Helicone-Retry-Num": "3"})
        serialize_by_alias=True,  # dumps use header names
        hide_input_in_errors=True,  # pydantic must never echo an API key it was handed
        # A subclass with frozen=False checks what is assigned as what is given to __init__.
        validate_assignment=True,
        defer_build=True,  # validators are built on first use, not at import
    )

    _labels: ClassVar[dict[str, _Label]]
    """Field name and alias -> how its errors are reported."""

    _field_of: ClassVar[dict[str, str]]
    """Field name, alias and validation alias -> field name."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Index the fields by name and alias for error messages."""
        super().__pydantic_init_subclass__(**kwargs)
        labels: dict[str, _Label] = {}
        field_of: dict[str, str] = {}
        for name, info in cls.model_fields.items():
            codec = codec_of(info) or _inherit_codec(cls, name, info)
            secret = codec is not None and (
                codec.secret or (isinstance(codec, HeaderMap) and codec.hidden)
            )
            branches = codec is not None and codec.native() is not None
            nested = nested_model(info.annotation)
            if info.alias is not None:
                label = _Label(f"{info.alias} ({name})", secret, nested, branches)
                labels[info.alias] = label
            else:
                # A nested option group labels its own errors.
                label = _Label(None if nested else name, secret, nested, branches)
            labels[name] = label
            field_of.update(dict.fromkeys(_names_of(name, info), name))
        cls._labels, cls._field_of = labels, field_of

    if not TYPE_CHECKING:  # pragma: no branch - type checkers keep pydantic's signature

        def __init__(self, /, *args: Any, **data: Any) -> None:
            """Build the model from its options by name, as pydantic does."""
            if args:
                raise TypeError(self._positional_hint())
            super().__init__(**data)

        # Validation of nested models must not call __init__ back: pydantic builds them itself.
        __init__.__pydantic_base_init__ = True

    @classmethod
    def _positional_hint(cls) -> str:
        """What to write instead of a positional argument."""
        return f"{cls.__name__}() takes its options by name, such as {cls.__name__}({_first_field(cls)}=...)"

    def __setattr__(self, name: str, value: Any) -> None:
        """Refuse to change a field of a frozen model, and check a value assigned to one that is not.

        Neither error echoes the value.
        """
        try:
            super().__setattr__(name, value)
        except ValidationError as exc:
            # Validation (of a model that is not frozen) named its errors; a refusal did not.
            refused = any(error["type"] in _REFUSALS for error in exc.errors())
            named = (self._with_header_names(exc) if refused else exc).errors()
            raise ValidationError.from_exception_data(
                exc.title, [reraisable(error, value=REDACTED) for error in named], hide_input=True
            ) from None

    def __repr_args__(self) -> Iterable[tuple[str | None, Any]]:
        """Show hidden header maps by name only, their values as ``**********``."""
        labels = self._labels
        for name, value in super().__repr_args__():
            label = labels.get(name) if name is not None else None
            if label is not None and label.secret and isinstance(value, Mapping):
                yield name, redacted_map(value)  # pyright: ignore[reportUnknownArgumentType]
            else:
                yield name, value

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """Copy the model; the values in *update* are validated like any other input.

        *update* takes field names or header names. Unlike pydantic's own ``model_copy``, which
        trusts them, the copy is validated again, so it never holds what its constructor would
        refuse (a line break in a header value, a quota of 0).

        Raises:
            pydantic.ValidationError: an updated value, or the copy as a whole, is invalid.
        """
        if not update:
            return super().model_copy(deep=deep)
        data = self._given()
        field_of = self._field_of
        for key, value in update.items():
            data[field_of.get(key, key)] = value
        return self.model_validate(copy.deepcopy(data) if deep else data)

    def _given(self) -> dict[str, Any]:
        """The values that were set, by field name, and any extra ones: what rebuilds the model."""
        data = {name: getattr(self, name) for name in self.model_fields_set}
        data.update(self.model_extra or {})
        return data

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler, /
    ) -> core_schema.CoreSchema:
        """Pydantic's schema of the model, its fields' validation wrapped by ``_validate_fields``.

        The wrap goes inside the model's schema, where pydantic validates input, so that a model
        instance given as a value (a group inside HeliconeHeaders, a merge) is taken as it is:
        it was validated when it was built.
        """
        schema = handler(source)
        node = cast("dict[str, Any]", handler.resolve_ref_schema(schema))
        while node["type"] != "model":  # a subclass's own model validators wrap it
            node = node["schema"]
        node["schema"] = core_schema.no_info_wrap_validator_function(
            cls._fields_validator(), node["schema"]
        )
        return schema

    @classmethod
    def _fields_validator(cls) -> Callable[[Any, Callable[[Any], Any]], Any]:
        """Validate the fields, name the header of each error, then check the rules across them.

        What it needs of the class is looked up once, here: it runs for every model built, and
        lookups on a pydantic model class are slow.
        """
        rename, check, title = cls._with_header_names, cls._check_across_fields, cls.__name__
        located = {name: info.alias or name for name, info in cls.model_fields.items()}

        def validate_fields(data: Any, handler: Callable[[Any], Any]) -> Any:
            try:
                validated = handler(data)
            except ValidationError as exc:
                raise rename(exc) from None
            try:
                check(validated[0])
            except PydanticCustomError as error:
                # Such a rule sees every value of the model: its input is never shown.
                raise ValidationError.from_exception_data(
                    title, [{"type": error, "loc": (), "input": REDACTED}], hide_input=True
                ) from None
            except OneField as one:
                loc = (located[one.field],)
                raise rename(
                    ValidationError.from_exception_data(
                        title, [{"type": one.error, "loc": loc, "input": REDACTED}]
                    )
                ) from None
            return validated

        return validate_fields

    @classmethod
    def _check_across_fields(cls, values: dict[str, Any]) -> None:
        """Raise a ``problem`` when the validated *values* break a rule that ties fields together.

        A subclass that adds a rule calls ``super()._check_across_fields(values)``.
        """

    @classmethod
    def _with_header_names(cls, exc: ValidationError) -> ValidationError:
        """The same errors, each prefixed with its header and field, secret input redacted."""
        errors = [cls._renamed(error) for error in exc.errors()]
        return ValidationError.from_exception_data(
            exc.title, [error for error in errors if error is not None], hide_input=True
        )

    @classmethod
    def _unknown_option(cls, key: str) -> str:
        """Say that *key* is no option of this model, and which one it likely means."""
        import difflib  # only when a name is unknown: keep it off import time

        known = list(cls._field_of)
        guess = _SYNONYMS.get(key.lower())
        if guess not in cls._field_of:
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
            guess = close[0] if close else None
        hint = "" if guess is None else f"; did you mean {cls._field_of[guess]}?"
        return f"{key!r} is not an option of {cls.__name__}{hint}"

    @classmethod
    def _not_a_group(cls, field: str, group: type["FrozenModel"]) -> str:
        """Say that *field* takes its option group (the value given may be secret: not shown)."""
        first = next(iter(group.model_fields))
        return (
            f"{field} takes a {group.__name__} or a dict of its options; write "
            f"{field}={group.__name__}({first}=...)"
        )

    @classmethod
    def _renamed(cls, error: ErrorDetails) -> InitErrorDetails | None:
        # Each model names its own fields; a nested model has already named its own.
        loc = error["loc"]
        label = cls._labels.get(str(loc[0])) if loc else None
        if label is not None and label.branches:
            if loc[1:2] == (NATIVE,):
                return None  # the explaining branch says what is wrong
            # The branch label is no place of the user's.
            error = {
                **error,
                "loc": tuple(p for i, p in enumerate(loc) if (i, p) != (1, EXPLAINED)),
            }
        message = error["msg"]
        if error["type"] == "extra_forbidden" and len(loc) == 1:
            message = cls._unknown_option(str(loc[0]))
        elif (
            label is not None
            and label.nested is not None
            and len(loc) == 1
            and error["type"] in {"model_type", "model_attributes_type"}
        ):
            message = cls._not_a_group(str(loc[0]), label.nested)
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

    _wire: ClassVar[tuple[WireField, ...]]
    """How each header field and nested group is written, in field order."""

    _maps: ClassVar[dict[str, str]]
    """Field name -> header prefix of the name -> value header maps (custom properties)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Record which fields are headers and which are nested groups, in field order."""
        super().__pydantic_init_subclass__(**kwargs)
        wire: list[WireField] = []
        maps: dict[str, str] = {}
        for name, info in cls.model_fields.items():
            codec = codec_of(info)
            if isinstance(codec, HeaderMap):
                maps[name] = codec.prefix
            elif codec is not None and info.alias is not None:
                wire.append(WireField(name, info.alias, None if codec.verbatim else codec.write))
            elif group_type(info.annotation) is not None:
                wire.append(WireField(name, None, None))
        cls._wire, cls._maps = tuple(wire), maps

    def to_headers(self) -> dict[str, str]:
        """Return the options as a header dict, omitting what is unset or false."""
        if self.model_config.get("frozen"):
            return self._headers.copy()
        # A model that can change is written afresh every time.
        return self._write()

    @cached_property
    def _headers(self) -> dict[str, str]:
        """The headers, written once: the model is frozen."""
        return self._write()

    def _write(self) -> dict[str, str]:
        """The headers the values send, in field order, so the output is stable.

        None and False send nothing; nested groups write their own; header maps come last.
        """
        # Class attributes are read through the instance: pydantic's metaclass makes lookups on
        # the class itself several times slower, and this runs for every request.
        values = self.__dict__
        switch = self.switch
        headers = {switch: "true"} if switch is not None else {}
        for name, header, write in self._wire:
            value = values[name]
            if value is None or value is False:
                continue
            if header is None:  # a nested group: its kept headers when it is frozen, not a copy
                frozen = value.model_config.get("frozen")
                headers.update(value._headers if frozen else value._write())  # noqa: SLF001
            else:
                headers[header] = value if write is None else write(value)
        for name, prefix in self._maps.items():
            for key, text in values[name].items():
                headers[prefix + key] = text
        return headers

    def merge(self, other: Self) -> Self:
        """Return these options with those *other* sets laid over them; later wins.

        Nested groups merge option by option, and name -> value maps (properties) merge by name,
        ignoring case. The result is validated like any other input, so a subclass's own
        validators and ``model_post_init`` run on it.

        Raises:
            TypeError: *other* is not a model of this class (or of one it derives from).
            pydantic.ValidationError: the merged options break a rule across fields.
        """
        if not self._merges_with(other):
            msg = (
                f"can only merge {type(self).__name__} with another {type(self).__name__}, "
                f"got {type(other).__name__}"
            )
            raise TypeError(msg)
        return self._merged(other)

    def _merged(self, other: Self) -> Self:
        data = self._given()
        maps = self._maps
        for name in other.model_fields_set:
            new = getattr(other, name)
            old = data.get(name)
            if name in maps and old is not None:
                new = _merged_map(old, new)
            elif isinstance(new, HeaderModel) and isinstance(old, HeaderModel):
                new = old.merge(new)
            data[name] = new
        data.update(other.model_extra or {})
        return self.model_validate(data)

    def __or__(self, other: object) -> Self:
        """``a | b`` is ``a.merge(b)``."""
        if not self._merges_with(other):
            return NotImplemented
        return self._merged(cast("Self", other))

    def _merges_with(self, other: object) -> bool:
        # A model of this class, a subclass, or a class it derives from: never an unrelated one.
        return isinstance(other, HeaderModel) and (
            isinstance(other, type(self)) or isinstance(self, type(other))
        )


def _merged_map(old: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """*new* laid over *old* by name, ignoring case: a name in another case replaces ours."""
    lowered = {key.lower() for key in new}
    return {**{key: text for key, text in old.items() if key.lower() not in lowered}, **new}


class NonEmptyGroup(HeaderModel):
    """A group of options of which at least one must send a header."""

    empty_error: ClassVar[tuple[str, str]]
    """(error type, message) for a group that would send no header at all."""

    @classmethod
    def _check_across_fields(cls, values: dict[str, Any]) -> None:
        """An empty group would vanish on the wire and come back as None from from_headers()."""
        super()._check_across_fields(values)
        # Its options are flags and text: set to anything but False or None, one sends a header.
        if all(values[field.name] in (None, False) for field in cls._wire):
            raise problem(*cls.empty_error)


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
