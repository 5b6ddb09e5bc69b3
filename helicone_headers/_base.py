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
    "nested_model",
    "reraisable",
]


# The headers a model sends, kept once written, and whether every option that was set sends
# a header (none is set to None or False), so that a merge may lay them over other headers.
_Written = tuple[dict[str, str], bool]
# A merge's headers before they are laid over each other: ours, theirs, and whether ours are
# complete (theirs are).
_Overlay = tuple[dict[str, str], dict[str, str], bool]


class WireField(NamedTuple):
    """How one field travels: its header name and how its value is written."""

    header: str
    write: Callable[[Any], str] | None
    """The codec's ``write``, or None for text, which is sent as it is."""


_NOT_WIRED = WireField("", None)  # a header map, written after the header fields

# A model keeps in its __dict__ what it works out from its values once, as it is frozen.
_FORGET: dict[str, None] = dict.fromkeys(("_written", "_overlay", "_lowered"))

# Setting pydantic's slots through their descriptors skips a lookup by name: merges are hot.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


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
    """Field name -> how it is written: None for a nested group, ``_NOT_WIRED`` for a header map
    or a field that is no header; in field order."""

    _maps: ClassVar[dict[str, str]]
    """Field name -> header prefix of the name -> value header maps (custom properties)."""

    _first: ClassVar[dict[str, str]]
    """The headers the group sends before its options: its switch."""

    _plain_merge: ClassVar[bool]
    """Whether a merge may fill the merged model with the merged values as they are."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Record which fields are headers and which are nested groups, in field order."""
        super().__pydantic_init_subclass__(**kwargs)
        wire: dict[str, WireField | None] = {}
        maps: dict[str, str] = {}
        for name, info in cls.model_fields.items():
            codec = next((meta for meta in info.metadata if isinstance(meta, Codec)), None)
            wire[name] = _NOT_WIRED
            if isinstance(codec, HeaderMap):
                maps[name] = codec.prefix
            elif codec is not None and info.alias is not None:
                wire[name] = WireField(info.alias, None if codec.verbatim else codec.write)
            elif group_type(info.annotation) is not None:
                wire[name] = None
        cls._wire, cls._maps = wire, maps
        cls._first = {cls.switch: "true"} if cls.switch is not None else {}
        cls._plain_merge = not (
            cls.rules_across_fields
            or cls.__private_attributes__
            or cls.model_config.get("extra") == "allow"
        )

    @model_validator(mode="after")
    def _check_sends_something(self) -> Self:
        # An empty group would vanish on the wire and come back as None from from_headers().
        if self.empty_error is not None and not self._write()[0]:
            raise custom_error(*self.empty_error)
        return self

    def to_headers(self) -> dict[str, str]:
        """Return the options as a header dict, omitting what is unset or false."""
        values = self.__dict__
        written: _Written | None = values.get("_written")
        if written is None:
            overlay: _Overlay | None = values.get("_overlay")
            if overlay is not None:  # a merge, whose headers are rarely asked for twice
                return {**overlay[0], **overlay[1]}
            written = self._write()
        return written[0].copy()

    def _write(self) -> _Written:
        # Written once and kept: the model is frozen. Only the fields that were set can send
        # anything (every other header field is None or False), in field order so the output is
        # stable; nested groups reuse their own kept headers; header maps come last.
        values: dict[str, Any] = vars(self)
        written: _Written | None = values.get("_written")
        if written is not None:
            return written
        overlay: _Overlay | None = values.get("_overlay")
        if overlay is not None:
            mine, theirs, complete = overlay
            written = values["_written"] = ({**mine, **theirs}, complete)
            return written
        cls = type(self)
        wire = cls._wire
        headers = cls._first.copy()
        given = self.__pydantic_fields_set__
        sent = 0  # the options set that send something
        complete = True
        for name, value in values.items():
            if value is None or value is False or name not in given:
                continue
            sent += 1
            field = wire[name]
            if field is None:  # a nested group
                group_headers, group_complete = value.__dict__.get("_written") or value._write()  # noqa: SLF001
                headers.update(group_headers)
                complete = complete and group_complete
            elif field is not _NOT_WIRED:
                header, write = field
                headers[header] = value if write is None else write(value)
        for name, prefix in cls._maps.items():
            for key, text in values[name].items():
                headers[prefix + key] = text
        complete = complete and sent == len(given)
        written = values["_written"] = (headers, complete)
        return written

    def merge(self, other: Self) -> Self:  # noqa: C901, PLR0912 - flat on purpose, see below
        """Return a copy with the options *other* sets laid over these; later wins.

        Nested groups merge option by option, and name -> value maps (properties) merge by name,
        ignoring case. A group whose options depend on each other (retry timeouts, cache
        switches) is validated again; the rest is made of values that are valid already.

        The merged headers are the same as those of a model built with the merged options, though
        usually in another order (these first, then those only *other* sends); HTTP gives header
        order no meaning.
        """
        # One flat function, as it runs for every request: each call or lookup saved here shows.
        cls = type(self)
        mine, given = self.__pydantic_fields_set__, other.__pydantic_fields_set__
        values, theirs = self.__dict__, other.__dict__
        # What was worked out from our values is forgotten; the merged model works out its own.
        merged_values = {**values, **_FORGET}
        replaced: list[str] = []  # our map headers that a name of theirs in another case replaces
        for name in given:
            new = theirs[name]
            if name in mine:
                old = values[name]
                if name in cls._maps:
                    # The names are kept lowercased: the client-wide side is merged again and again.
                    lowered = theirs.get("_lowered") or other._map_headers_lowered()
                    if (values.get("_lowered") or self._map_headers_lowered()).isdisjoint(lowered):
                        new = {**old, **new}
                    else:  # a name of theirs is one of ours, in this case or another
                        new, lost = self._merged_map(old, new, cls._maps[name], lowered)
                        replaced += lost
                elif isinstance(new, HeaderModel) and isinstance(old, HeaderModel):
                    new = old.merge(new)
            merged_values[name] = new
        fields_set = mine | given
        if not cls._plain_merge:
            if cls.rules_across_fields:
                return cls(**{name: merged_values[name] for name in fields_set})
            # A subclass with private attributes or extra fields: pydantic copies those.
            merged = self.model_copy(update={name: merged_values[name] for name in given})
            merged_values = vars(merged)
        else:
            # Valid values, and no rule ties them together: the merge is valid as it is.
            merged = object.__new__(cls)
            _set_dict(merged, merged_values)
            _set_fields_set(merged, fields_set)
            _set_extra(merged, None)
            _set_private(merged, None)
        their_headers, complete = theirs.get("_written") or other._write()
        if complete:
            # Every option of theirs sends its headers, which replace ours: lay them over our
            # kept headers instead of writing everything again.
            my_headers, my_complete = values.get("_written") or self._write()
            if replaced:
                headers = {**my_headers, **their_headers}
                for header in replaced:
                    del headers[header]
                merged_values["_written"] = (headers, my_complete)
            else:  # laid over when asked for
                merged_values["_overlay"] = (my_headers, their_headers, my_complete)
        return merged

    @staticmethod
    def _merged_map(
        old: dict[str, str], new: dict[str, str], prefix: str, lowered: frozenset[str]
    ) -> tuple[dict[str, str], list[str]]:
        """Lay the header map *new* over *old*, whose names clash with its *lowered* names.

        Returns the merged map and the headers of *old* that a name in another case replaced.
        """
        kept = {key: text for key, text in old.items() if (prefix + key).lower() not in lowered}
        merged = {**kept, **new}
        return merged, [prefix + key for key in old if key not in merged]

    def _map_headers_lowered(self) -> frozenset[str]:
        """The header names of our header maps, lowercased; kept, as the model is frozen."""
        values = vars(self)
        lowered = values["_lowered"] = frozenset(
            (prefix + key).lower() for name, prefix in self._maps.items() for key in values[name]
        )
        return lowered

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
