"""Read-only containers: the dicts and lists inside frozen models.

A frozen model refuses a new value for a field, but a dict or list it holds would still change in
place, and its headers with it, past every check (a property value with a line break in it). So the
models hold these instead: a ``dict`` and a ``list`` that refuse every change once made. They stay
a ``dict`` and a ``list`` (pydantic dumps them, ``json`` writes them, ``==`` compares them with
plain ones), and they are hashable, as are the models that hold them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from pydantic_core import core_schema

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic import GetCoreSchemaHandler

__all__ = ["FROZEN", "FROZEN_JSON", "FrozenDict", "FrozenList", "frozen"]

_K = TypeVar("_K")
_V = TypeVar("_V")
_T = TypeVar("_T")

_READ_ONLY = (
    "{kind} of a built model is read-only, so that the model always sends what was checked; "
    "build a new model instead, such as model.model_copy(update={{...}}) or model | other"
)


def _refuse(self: object, *_: object, **__: object) -> NoReturn:
    kind = "this mapping" if isinstance(self, dict) else "this list"
    raise TypeError(_READ_ONLY.format(kind=kind.capitalize()))


class FrozenDict(dict[_K, _V]):
    """A dict that refuses every change once made."""

    __slots__ = ()

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __hash__(self) -> int:  # type: ignore[override]  # a dict is unhashable, this one is not
        """Hash the items: equal maps hash alike."""
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        """Copy and pickle through the constructor: item by item would be refused."""
        return (type(self), (dict(self),))


class FrozenList(list[_T]):
    """A list that refuses every change once made."""

    __slots__ = ()

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = extend = insert = remove = pop = clear = sort = reverse = _refuse

    def __hash__(self) -> int:  # type: ignore[override]  # a list is unhashable, this one is not
        """Hash the items in order: equal lists hash alike."""
        return hash(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        """Copy and pickle through the constructor: item by item would be refused."""
        return (type(self), (list(self),))


def frozen(value: object) -> object:
    """*value* with every dict and list in it, at any depth, made read-only."""
    if isinstance(value, dict):
        return FrozenDict({key: frozen(item) for key, item in value.items()})  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
    if isinstance(value, list):
        return FrozenList([frozen(item) for item in value])  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
    return value


def _frozen_outside(value: object) -> object:
    """*value* made read-only if it is a dict or a list; what it holds is immutable already."""
    if isinstance(value, dict):
        return FrozenDict(value)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    if isinstance(value, list):
        return FrozenList(value)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    return value


class _Frozen:
    """Field metadata: the validated value is made read-only, whichever way it was given."""

    def __init__(self, freeze: Callable[[object], object]) -> None:
        self.freeze = freeze

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Freeze what the field's own schema (its codec's included) returns."""
        return core_schema.no_info_after_validator_function(self.freeze, handler(source))


# Maps of text, lists of text, numbers or models: only the container itself can change. Each
# model is built through this once per request, so it does no more than that.
FROZEN = _Frozen(_frozen_outside)
# JSON values, which nest dicts and lists at any depth.
FROZEN_JSON = _Frozen(frozen)
