"""The shared model bases: frozen config, error messages that name headers, header output."""

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_core import (
    ErrorDetails,
    InitErrorDetails,
    PydanticCustomError,
    SchemaValidator,
    core_schema,
)
from typing_extensions import Self

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

from helicone_headers._types import REDACTED, SLOW, Codec, HeaderMap

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


# The headers a model sends, kept once written, and whether every option that was set sends
# a header (none is set to None or False), so that a merge may lay them over other headers.
_Written = tuple[dict[str, str], bool]


class WireField(NamedTuple):
    """How one field travels: its header name and how its value is written."""

    header: str
    write: Callable[[Any], str] | None
    """The codec's ``write``, or None for text, which is sent as it is."""


_NOT_WIRED = WireField("", None)  # a header map, written after the header fields


def merge_by_name(old: Mapping[str, str], new: Mapping[str, str]) -> dict[str, str]:
    """Merge two name -> value maps; a name in *new* replaces the same name in any case in *old*."""
    replaced = set(map(str.lower, new))
    if replaced.isdisjoint(map(str.lower, old)):
        return {**old, **new}
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
    nested: type["FrozenModel"] | None
    """The model inside the field, which names its own fields in its own errors."""


class _Plan(NamedTuple):
    """How a model is built without pydantic's full validation when every value is plain."""

    validator: SchemaValidator
    """pydantic-core's validator of plainly valid values, given by field name: native checks
    where a codec can state its rule that way, the codec's fast check otherwise."""
    after: tuple[Callable[[Any], object], ...]
    """The rules across fields (``model_validator(mode="after")``), run on the built model."""


def _must_be_fast(fast: Callable[[object], object]) -> Callable[[object], object]:
    def check(value: object) -> object:
        checked = fast(value)
        if checked is SLOW:
            # Never seen by users: it sends the value to the full validation, which explains.
            msg = "left to the full validation"
            raise ValueError(msg)
        return checked

    return check


def _plain_schema(info: "FieldInfo") -> core_schema.CoreSchema:
    """The schema of a field's plainly valid values."""
    codec = next((meta for meta in info.metadata if isinstance(meta, Codec)), None)
    nested = nested_model(info.annotation)
    if codec is not None:
        schema = codec.native() or core_schema.no_info_plain_validator_function(
            _must_be_fast(codec.fast)
        )
    elif nested is not None and info.annotation in (nested, nested | None):
        # A model instance is valid already, and pydantic keeps it as it is; a dict is not plain.
        schema = core_schema.is_instance_schema(nested)
    else:
        schema = core_schema.no_info_plain_validator_function(_must_be_fast(lambda _: SLOW))
    if type(None) in getattr(info.annotation, "__args__", ()):
        schema = core_schema.nullable_schema(schema)
    if info.default_factory is not None:
        factory = cast("Callable[[], object]", info.default_factory)
        return core_schema.with_default_schema(schema, default_factory=factory)
    if info.is_required():
        return schema
    return core_schema.with_default_schema(schema, default=info.default)


def _plan(model: type["FrozenModel"]) -> _Plan | None:
    """The plan of *model*, or None when only pydantic's full validation can build it."""
    decorators = model.__pydantic_decorators__
    validators = decorators.model_validators.values()
    # A subclass with model_post_init, private attributes, its own config or defaults to
    # validate needs pydantic's own init.
    if (
        model.__pydantic_post_init__ is not None
        or model.model_config != FrozenModel.model_config
        or any(info.validate_default for info in model.model_fields.values())
        or decorators.field_validators
        or any(
            each.info.mode != "after" and each.cls_var_name != "_name_the_header"
            for each in validators
        )
    ):
        return None
    fields = {
        name: core_schema.model_field(_plain_schema(info))
        for name, info in model.model_fields.items()
    }
    validator = SchemaValidator(
        core_schema.model_schema(
            model,
            core_schema.model_fields_schema(fields, extra_behavior="forbid"),
            custom_init=False,
            root_model=False,
        )
    )
    return _Plan(validator, tuple(each.func for each in validators if each.info.mode == "after"))


def _build_fast(model: BaseModel, plan: _Plan, data: dict[str, Any]) -> bool:
    """Build *model* from *data* when every value is plainly valid, or return False.

    Only values given by field name are taken here, checked natively by pydantic-core where a
    codec can say its rule that way; a value given by alias, one that needs converting or
    explaining, or a broken rule across fields is left to pydantic's full validation.
    """
    try:
        plan.validator.validate_python(data, self_instance=model)
        for rule in plan.after:
            rule(model)
    except (ValidationError, PydanticCustomError, ValueError, AssertionError):
        return False
    return True


_UNPLANNED: Any = object()


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

    if not TYPE_CHECKING:  # pragma: no branch - type checkers keep pydantic's signature

        def __init__(self, /, **data: Any) -> None:
            """Build the model; when every value is plainly valid, without pydantic's validator."""
            model = type(self)
            # Kept on the class itself (not inherited), made on first use: no import cost.
            plan = model.__dict__.get("__fast_plan__", _UNPLANNED)
            if plan is _UNPLANNED:
                plan = _plan(model)
                type.__setattr__(model, "__fast_plan__", plan)
            if plan is None or not _build_fast(self, plan, data):
                # pydantic decides, and explains what is wrong.
                super().__init__(**data)

        # Validation (model_validate, nested models) must not call __init__ back.
        __init__.__pydantic_base_init__ = True

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """Copy the model, like pydantic; what was written from it is not kept by a changed copy."""
        copied = super().model_copy(update=update, deep=deep)
        if update:
            values = vars(copied)
            for kept in [name for name in values if name.startswith("_")]:  # never a field name
                del values[kept]
        return copied

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

    _maps: ClassVar[dict[str, str]]
    """Field name -> header prefix of the name -> value header maps (custom properties)."""

    _order: ClassVar[dict[str, int]]
    """Field name -> its position."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Record which fields are headers and which are nested groups, in field order."""
        super().__pydantic_init_subclass__(**kwargs)
        wire: dict[str, WireField | None] = {}
        maps: dict[str, str] = {}
        for name, info in cls.model_fields.items():
            codec = next((meta for meta in info.metadata if isinstance(meta, Codec)), None)
            if isinstance(codec, HeaderMap):
                maps[name] = codec.prefix
            elif codec is not None and info.alias is not None:
                wire[name] = WireField(info.alias, None if codec.verbatim else codec.write)
            elif group_type(info.annotation) is not None:
                wire[name] = None
        cls._wire, cls._maps = wire, maps
        cls._order = {name: position for position, name in enumerate(cls.model_fields)}

    @model_validator(mode="after")
    def _check_sends_something(self) -> Self:
        # An empty group would vanish on the wire and come back as None from from_headers().
        if self.empty_error is not None and not self._headers():
            raise custom_error(*self.empty_error)
        return self

    def to_headers(self) -> dict[str, str]:
        """Return the options as a header dict, omitting what is unset or false."""
        return (self.__dict__.get("_written") or self._write())[0].copy()

    def _headers(self) -> dict[str, str]:
        return self._write()[0]

    def _write(self) -> _Written:
        # Written once and kept: the model is frozen. Only the fields that were set can send
        # anything (every other header field is None or False), in field order so the output is
        # stable; nested groups reuse their own kept headers; header maps come last.
        values: dict[str, Any] = vars(self)
        written: _Written | None = values.get("_written")
        if written is not None:
            return written
        headers = {self.switch: "true"} if self.switch is not None else {}
        complete = True
        wire = self._wire
        for name in sorted(self.__pydantic_fields_set__, key=self._order.__getitem__):
            value = values[name]
            if value is None or value is False:
                complete = False
                continue
            field = wire.get(name, _NOT_WIRED)
            if field is None:  # a nested group
                group_headers, group_complete = value.__dict__.get("_written") or value._write()  # noqa: SLF001
                headers.update(group_headers)
                complete = complete and group_complete
            elif field is not _NOT_WIRED:
                header, write = field
                headers[header] = value if write is None else write(value)
        for name, prefix in self._maps.items():
            for key, text in values[name].items():
                headers[prefix + key] = text
        written = values["_written"] = (headers, complete)
        return written

    def merge(self, other: Self) -> Self:
        """Return a copy with the options *other* sets laid over these; later wins.

        Nested groups merge option by option, and name -> value maps (properties) merge by name,
        ignoring case. A group whose options depend on each other (retry timeouts, cache
        switches) is validated again; the rest is made of values that are valid already.

        The merged headers are the same as those of a model built with the merged options, though
        usually in another order (these first, then those only *other* sends); HTTP gives header
        order no meaning.
        """
        values, theirs = self.__dict__, other.__dict__
        merged_values, replaced = self._merged_values(other)
        merged = self._derive(merged_values, other.__pydantic_fields_set__)
        kept = vars(merged)
        if "_written" not in kept:
            their_headers, complete = theirs.get("_written") or other._write()
            if complete:
                # Every option of theirs sends its headers, which replace ours: lay them over
                # our kept headers instead of writing everything again.
                my_headers, my_complete = values.get("_written") or self._write()
                headers = {**my_headers, **their_headers}
                for header in replaced:  # a name in another case replaced ours
                    del headers[header]
                kept["_written"] = (headers, my_complete)
        return merged

    def _merged_values(self, other: Self) -> tuple[dict[str, Any], list[str]]:
        """Our values with theirs laid over, and our map headers a name in another case replaced."""
        mine, given = self.__pydantic_fields_set__, other.__pydantic_fields_set__
        values, theirs = self.__dict__, other.__dict__
        merged_values = values.copy()
        for name in given:
            merged_values[name] = theirs[name]
        replaced: list[str] = []
        for name in mine & given:
            old, new = values[name], theirs[name]
            if name in self._maps:
                merged_map = merged_values[name] = merge_by_name(old, new)
                if len(merged_map) < len(old) + len(new):  # a name of theirs was one of ours
                    replaced += [self._maps[name] + key for key in old if key not in merged_map]
            elif isinstance(new, HeaderModel) and isinstance(old, HeaderModel):
                merged_values[name] = old.merge(new)
        return merged_values, replaced

    def _derive(self, merged_values: dict[str, Any], given: set[str]) -> Self:
        """The model holding *merged_values*, with the fields set here and in *given*."""
        fields_set = self.__pydantic_fields_set__ | given
        if self.rules_across_fields:
            return type(self)(**{name: merged_values[name] for name in fields_set})
        if self.__pydantic_private__ is not None or self.__pydantic_extra__ is not None:
            # A subclass with private attributes or extra fields: pydantic copies those.
            return self.model_copy(update={name: merged_values[name] for name in given})
        # Valid values, and no rule ties them together: the merge is valid as it is.
        merged_values.pop("_written", None)
        merged = object.__new__(type(self))
        set_slot = object.__setattr__
        set_slot(merged, "__dict__", merged_values)
        set_slot(merged, "__pydantic_fields_set__", fields_set)
        set_slot(merged, "__pydantic_extra__", None)
        set_slot(merged, "__pydantic_private__", None)
        return merged

    __or__ = merge  # a | b is a.merge(b)


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
