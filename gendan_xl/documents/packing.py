"""Packing arithmetic for documents: carton numbers, part-filled cartons, weights, volume, containers.

Cartons are numbered through the lines in order (``1-25``, ``26-40`` …): an order's lines, or a
shipment's lines of all its orders, so the numbering runs on across the orders. A line whose
quantity is not a multiple of its carton quantity ends in one part-filled carton; it gets its
own packing-list row, with its net weight pro rata and the full carton's tare, because a packing
list that claims 100 pieces in a carton holding 40 is wrong on inspection. Every document takes
cartons, weights and volume from here, so they agree.

Each row's weights and volume are rounded as printed (0.01 kg, 0.001 m³) and every total is the
sum of the rounded rows, as amounts are sums of rounded lines: the figures on a packing list add
up, and a shipment's totals are the sums of its orders' totals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from gendan_xl.checks.volume import Volume, container_mix
from gendan_xl.config import Settings
from gendan_xl.models import OrderLine

__all__ = ["LinePacking", "PackingRow", "PackingTotals", "containers_text", "pack_lines", "sum_known"]

KG = Decimal("0.01")
CBM = Decimal("0.001")


@dataclass(frozen=True, slots=True)
class PackingRow:
    """One packing-list row: a run of cartons holding the same quantity of one item."""

    line_index: int
    first: int
    last: int
    per_carton: Decimal
    nw_per_carton: Decimal
    gw_per_carton: Decimal
    cbm_per_carton: Decimal

    @property
    def cartons(self) -> int:
        """Cartons in the run."""
        return self.last - self.first + 1

    @property
    def carton_range(self) -> str:
        """``1-25`` (or ``26`` for a single carton)."""
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    @property
    def qty(self) -> Decimal:
        """Pieces in the run."""
        return self.per_carton * self.cartons

    @property
    def nw(self) -> Decimal:
        """Net weight of the run, kg, rounded to 0.01."""
        return _round(self.nw_per_carton * self.cartons, KG)

    @property
    def gw(self) -> Decimal:
        """Gross weight of the run, kg, rounded to 0.01."""
        return _round(self.gw_per_carton * self.cartons, KG)

    @property
    def cbm(self) -> Decimal:
        """Volume of the run, m³, rounded to 0.001."""
        return _round(self.cbm_per_carton * self.cartons, CBM)


@dataclass(frozen=True, slots=True)
class LinePacking:
    """How one order line is packed; ``rows`` is empty when its carton data is incomplete."""

    rows: tuple[PackingRow, ...]
    missing: tuple[str, ...]

    @property
    def cartons(self) -> int | None:
        """Cartons for the line (None without carton data)."""
        return sum(r.cartons for r in self.rows) if self.rows else None

    @property
    def carton_range(self) -> str:
        """``26-40`` over all of the line's cartons."""
        if not self.rows:
            return ""
        first, last = self.rows[0].first, self.rows[-1].last
        return str(first) if first == last else f"{first}-{last}"

    def total(self, what: str) -> Decimal | None:
        """Sum of ``nw``, ``gw`` or ``cbm`` over the line's rows (None without carton data)."""
        if not self.rows:
            return None
        return sum((getattr(r, what) for r in self.rows), Decimal(0))


@dataclass(frozen=True, slots=True)
class PackingTotals:
    """Totals over the lines that have carton data; ``complete`` is False if any line lacks it."""

    cartons: int
    nw: Decimal
    gw: Decimal
    cbm: Decimal
    complete: bool


def _round(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _missing(line: OrderLine) -> tuple[str, ...]:
    needed = {
        "qty": line.qty, "pcs_per_carton": line.pcs_per_carton, "carton_l": line.carton_l, "carton_w": line.carton_w,
        "carton_h": line.carton_h, "nw_per_carton": line.nw_per_carton, "gw_per_carton": line.gw_per_carton,
    }
    gone = tuple(name for name, value in needed.items() if value is None)
    if not gone and (line.pcs_per_carton is not None and line.pcs_per_carton <= 0):
        gone = ("pcs_per_carton",)
    return gone


def pack_lines(lines: Sequence[OrderLine]) -> tuple[tuple[LinePacking, ...], PackingTotals]:
    """Number the cartons of ``lines`` in order; returns each line's packing and the totals (sums of the rows)."""
    packed: list[LinePacking] = []
    next_carton = 1
    cartons = 0
    nw = gw = cbm = Decimal(0)
    complete = True
    for index, line in enumerate(lines):
        gone = _missing(line)
        if gone or line.qty is None or line.qty <= 0:
            packed.append(LinePacking((), gone or ("qty",)))
            complete = False
            continue
        assert line.pcs_per_carton and line.nw_per_carton is not None and line.gw_per_carton is not None
        assert line.carton_cbm is not None
        per = Decimal(line.pcs_per_carton)
        full = math.floor(line.qty / per)
        rest = line.qty - per * full
        volume = line.carton_cbm
        rows: list[PackingRow] = []
        if full:
            rows.append(PackingRow(index, next_carton, next_carton + full - 1, per, line.nw_per_carton,
                                   line.gw_per_carton, volume))
            next_carton += full
        if rest:
            net = _round(line.nw_per_carton * rest / per, KG)
            tare = line.gw_per_carton - line.nw_per_carton
            rows.append(PackingRow(index, next_carton, next_carton, rest, net, net + tare, volume))
            next_carton += 1
        line_packing = LinePacking(tuple(rows), ())
        packed.append(line_packing)
        cartons += line_packing.cartons or 0
        nw += line_packing.total("nw") or 0
        gw += line_packing.total("gw") or 0
        cbm += line_packing.total("cbm") or 0
    return tuple(packed), PackingTotals(cartons, _round(nw, KG), _round(gw, KG), _round(cbm, CBM), complete)


def containers_text(totals: PackingTotals, settings: Settings) -> str:
    """The checks' container suggestion (:func:`gendan_xl.checks.volume.container_mix`) for the packed
    volume and weight, as a booking note writes it: ``LCL``, ``1 X 40HQ``, ``2 X 40HQ + 1 X 20GP``."""
    volume = Volume(cartons=totals.cartons, cbm=totals.cbm, net_kg=totals.nw, gross_kg=totals.gw, complete=True)
    return container_mix(volume, settings).text(" X ")


def sum_known(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of weights or volumes, or None when any is missing (a line without carton data)."""
    found = list(values)
    return None if None in found else sum((v for v in found if v is not None), Decimal(0))
