"""The schema is the one source of truth: it must agree with the models and be unambiguous."""

from __future__ import annotations

import types
import typing
from datetime import date
from decimal import Decimal

import pytest

from gendan_xl.models import RowModel
from gendan_xl.vocab import COMMON_CURRENCIES, INCOTERMS, STATUS_CHOICES, UNIT_CHOICES, OrderStatus, squash
from gendan_xl.workbook.reader import MODELS
from gendan_xl.workbook.schema import SHEETS, STATUS_COLUMNS, ColumnType, SheetSpec, sheet_spec

PYTHON_TYPE = {
    ColumnType.TEXT: str, ColumnType.CODE: str, ColumnType.CURRENCY: str, ColumnType.INCOTERM: str,
    ColumnType.UNIT: str, ColumnType.COUNTRY: str, ColumnType.PAYMENT_TERMS: str,
    ColumnType.DECIMAL: Decimal, ColumnType.PERCENT: Decimal, ColumnType.DATE: date, ColumnType.BOOL: bool,
    ColumnType.INTEGER: int, ColumnType.STATUS: OrderStatus,
}
MODEL_SHEETS = [spec for spec in SHEETS if spec.key in MODELS]


def field_type(model: type[RowModel], name: str) -> type:
    """The non-None type of a model field (``Decimal | None`` → Decimal)."""
    annotation = typing.get_type_hints(model)[name]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        (inner,) = [a for a in typing.get_args(annotation) if a is not type(None)]
        return typing.cast(type, inner)
    return typing.cast(type, annotation)


def test_every_sheet_but_settings_has_a_model() -> None:
    assert {spec.key for spec in SHEETS} - set(MODELS) == {"settings"}


@pytest.mark.parametrize("spec", MODEL_SHEETS, ids=lambda s: s.key)
def test_columns_and_model_fields_agree(spec: SheetSpec) -> None:
    model = MODELS[spec.key]
    fields = set(model.model_fields) - {"row"}
    columns = {c.field: c for c in spec.columns}
    assert fields - set(columns) == set(), "model fields without a column"
    for name, column in columns.items():
        if column.type is ColumnType.DIMENSIONS:
            assert {"carton_l", "carton_w", "carton_h"} <= fields  # one cell feeding the three fields
            continue
        assert name in fields, f"{spec.key}.{name} has a column but no model field"
        assert field_type(model, name) is PYTHON_TYPE[column.type], f"{spec.key}.{name}"


@pytest.mark.parametrize("spec", MODEL_SHEETS, ids=lambda s: s.key)
def test_required_model_fields_have_required_columns(spec: SheetSpec) -> None:
    model = MODELS[spec.key]
    for name, info in model.model_fields.items():
        if name != "row" and info.is_required():
            assert spec.column(name).required, f"{spec.key}.{name} is required by the model"


def test_sheet_names_are_unambiguous() -> None:
    owner: dict[str, str] = {}
    for spec in SHEETS:
        for name in spec.names:
            assert owner.setdefault(squash(name), spec.key) == spec.key, name
    assert len({spec.key for spec in SHEETS}) == len(SHEETS)


@pytest.mark.parametrize("spec", SHEETS, ids=lambda s: s.key)
def test_every_column_is_documented(spec: SheetSpec) -> None:
    assert spec.zh and spec.en and spec.meaning
    fields = [c.field for c in spec.columns]
    assert len(fields) == len(set(fields)), "a field twice on one sheet"
    for column in spec.columns:
        assert column.zh and column.en and column.meaning, column.field
        assert column.header == f"{column.zh}\n{column.en}"
        assert column.width > 0
        assert len(column.input_message) <= 255  # Excel's limit for an input message


def test_drop_down_choices() -> None:
    orders, lines = sheet_spec("orders"), sheet_spec("lines")
    assert orders.column("currency").choices == COMMON_CURRENCIES
    assert orders.column("incoterm").choices == INCOTERMS
    assert orders.column("status").choices == STATUS_CHOICES
    assert lines.column("unit").choices == UNIT_CHOICES
    assert orders.column("payment_terms").choices
    assert len(INCOTERMS) == 11


def test_required_sheets_and_status_columns() -> None:
    assert [spec.key for spec in SHEETS if spec.required] == ["orders", "lines"]
    assert set(STATUS_COLUMNS) == {"orders", "lines"}
    assert [s.key for s in STATUS_COLUMNS["orders"]][:3] == ["price_check", "amount_check", "delivery_status"]
    with pytest.raises(KeyError):
        sheet_spec("nope")
    with pytest.raises(KeyError):
        orders = sheet_spec("orders")
        orders.column("nope")


def test_every_row_sheet_is_a_workbook_field_of_its_model() -> None:
    from typing import get_args

    from gendan_xl.models import Workbook
    from gendan_xl.workbook.schema import ORDER_SHEETS, ROW_SHEETS

    assert tuple(s.key for s in ROW_SHEETS) == Workbook.row_fields()
    for spec in ROW_SHEETS:
        assert get_args(Workbook.model_fields[spec.key].annotation) == (spec.model,)
    assert {s.key for s in ORDER_SHEETS} == {"orders", "lines", "shipments", "payments", "samples", "complaints",
                                             "changes", "documents"}
