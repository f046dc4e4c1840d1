"""Build frozen pydantic models from values that are already typed, without re-validating them.

pydantic's ``model_construct`` exists for "trusted or pre-validated data"; this does the same with
less per-call overhead, which matters when a workbook yields 100,000 rows or tens of thousands of
findings. Only for frozen models whose values the caller guarantees (tests validate samples with
``model_validate`` and compare): the shared ``fields_set`` is then never mutated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["typed_constructor"]

M = TypeVar("M", bound=BaseModel)


def typed_constructor(model: type[M]) -> Callable[[dict[str, Any]], M]:
    """A function that turns a dict of typed field values into a ``model`` instance, defaults filled."""
    if not model.model_config.get("frozen"):
        raise TypeError(f"{model.__name__} must be frozen to share its fields set")
    defaults = {name: info.get_default(call_default_factory=True) for name, info in model.model_fields.items()
                if not info.is_required()}
    fields_set = set(model.model_fields)
    new = object.__new__
    setattr_ = object.__setattr__

    def construct(values: dict[str, Any]) -> M:
        data = defaults.copy()
        data.update(values)
        instance = new(model)
        setattr_(instance, "__dict__", data)
        setattr_(instance, "__pydantic_fields_set__", fields_set)
        setattr_(instance, "__pydantic_extra__", None)
        setattr_(instance, "__pydantic_private__", None)
        return instance

    return construct
