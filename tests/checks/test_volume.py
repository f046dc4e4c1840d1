"""Cartons, CBM and weights, and the container suggestion."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan_xl.checks.volume import Volume, order_volume, suggest_containers
from gendan_xl.config import Settings
from gendan_xl.models import OrderLine


def test_order_volume_sums_cartons_cbm_and_weights() -> None:
    lines = [
        OrderLine(row=2, order_no="A", item_no="X", qty=Decimal(1001), pcs_per_carton=50, carton_l=Decimal(50),
                  carton_w=Decimal(40), carton_h=Decimal(30), nw_per_carton=Decimal(10), gw_per_carton=Decimal(11)),
        OrderLine(row=3, order_no="A", item_no="Y", qty=Decimal(10), pcs_per_carton=10, carton_l=Decimal(100),
                  carton_w=Decimal(100), carton_h=Decimal(100), gw_per_carton=Decimal("20.5")),
    ]
    volume = order_volume(lines)
    assert volume.cartons == 21 + 1
    assert volume.cbm == Decimal("1.260") + Decimal("1.000")
    assert volume.gross_kg == Decimal(231) + Decimal("20.5")
    assert volume.net_kg == Decimal(210)
    assert volume.complete


def test_incomplete_lines_are_skipped_and_flagged() -> None:
    volume = order_volume([OrderLine(row=2, order_no="A", item_no="X", qty=Decimal(5))])
    assert (volume.cartons, volume.complete) == (0, False)


@pytest.mark.parametrize(("cbm", "kg", "expected"), [
    ("0", "0", ""),
    ("14.9", "3000", "LCL"),
    ("20", "5000", "1×20GP"),
    ("20", "19000", "1×40GP"),  # too heavy for a 20GP worked at 17.5 t
    ("60", "9000", "1×40HQ"),
    ("68", "9000", "1×40HQ"),
    ("130", "20000", "2×40HQ"),
    ("160", "20000", "2×40HQ + 1×20GP"),
    ("180", "20000", "2×40HQ + 1×40GP"),
    ("200", "20000", "3×40HQ"),
    ("140", "20000", "2×40HQ + LCL"),
    ("80", "45000", "2×40HQ + LCL"),  # weight-limited: the last 1 t (≈1.8 m³) goes LCL
    ("40", "60000", "2×40HQ + 1×20GP"),
])
def test_container_suggestion(cbm: str, kg: str, expected: str) -> None:
    volume = Volume(cartons=1, cbm=Decimal(cbm), net_kg=Decimal(0), gross_kg=Decimal(kg), complete=True)
    assert suggest_containers(volume, Settings()) == expected
