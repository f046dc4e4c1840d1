"""Volume and weights: cartons, CBM, N.W., G.W. per line and order, and a container suggestion.

Cartons = ceil(qty ÷ pcs per carton); carton CBM = L × W × H (cm) ÷ 1,000,000; N.W. ≤ G.W.
(domain.md §3). The container suggestion uses the practical loads and working payloads of the
settings (domain.md §4): LCL below the LCL limit in revenue tons (W/M), else the smallest
container that takes both the volume and the weight, else as many 40HQ as the volume or the
weight fills plus the smallest fit for the rest.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.checks.coverage import keeps_carton_data
from gendan_xl.checks.delivery import is_open
from gendan_xl.config import ContainerSpec, Settings
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.models import OrderLine

__all__ = ["ContainerMix", "Volume", "container_mix", "order_volume", "suggest_containers"]

E, W = Severity.ERROR, Severity.WARNING
_BOOKING_NOTICE_DAYS = 7  # warn this many days before the booking deadline that carton data is needed

VOLUME = define_family("volume", "体积与装箱", "Volume and packing", stage=70, status_column="delivery_status")

define_rule(
    "nw-exceeds-gw", E, "volume",
    title=("净重大于毛重", "N.W. above G.W."),
    message=("{address}：每箱净重 {nw} kg 大于毛重 {gw} kg", "{address}: N.W. {nw} kg per carton exceeds G.W. {gw} kg"),
    rule="Net weight per carton cannot exceed gross weight per carton.",
    example="订单明细!Q14: N.W. 12.5 kg per carton exceeds G.W. 11.8 kg",
    action=("向工厂核对箱重", "check the carton weights with the factory"),
)
define_rule(
    "carton-data-missing", W, "volume",
    title=("缺少装箱资料", "Carton data missing"),
    message=("{address}：{item_no} 缺少{missing}，订舱截止 {due} 前需向工厂要装箱资料",
             "{address}: {item_no} lacks {missing_en}; get the carton data from the factory before booking ({due})"),
    rule="Orders whose booking deadline is within a week need pcs/carton, carton size and G.W. on every line "
         "to know the volume (CBM) for booking and consolidation (拼柜).",
    example="订单明细!K22: LT-3002 lacks pcs/carton, carton size; get the carton data before booking (2026-12-02)",
    action=("向工厂要装箱资料", "get the carton data from the factory"),
)


@dataclass(frozen=True, slots=True)
class Volume:
    """Cartons, volume and weights of a set of lines; ``complete`` is False if a line lacked data."""

    cartons: int
    cbm: Decimal
    net_kg: Decimal
    gross_kg: Decimal
    complete: bool


def order_volume(lines: Iterable[OrderLine]) -> Volume:
    """Totals over the lines that have carton data."""
    cartons, cbm, net, gross, complete = 0, Decimal(0), Decimal(0), Decimal(0), True
    for line in lines:
        count, carton_cbm = line.cartons, line.carton_cbm
        if count is None or carton_cbm is None or line.gw_per_carton is None:
            complete = False
            continue
        cartons += count
        cbm += carton_cbm * count
        gross += line.gw_per_carton * count
        net += (line.nw_per_carton or Decimal(0)) * count
    return Volume(cartons, cbm.quantize(Decimal("0.001")), net, gross, complete)


class ContainerMix(NamedTuple):
    """Suggested containers: full ones as (count, spec), plus whether a remainder goes LCL."""

    full: tuple[tuple[int, ContainerSpec], ...] = ()
    lcl: bool = False

    @property
    def label(self) -> str:
        """``LCL``, ``1×20GP``, ``2×40HQ + 1×20GP`` … (empty when there is nothing to ship)."""
        return self.text()

    def text(self, times: str = "×") -> str:
        """The mix written with ``times`` between count and type (a booking note writes ``1 X 40HQ``)."""
        parts = [f"{count}{times}{spec.name}" for count, spec in self.full]
        return " + ".join([*parts, "LCL"] if self.lcl else parts)

    @property
    def capacity(self) -> Decimal:
        """Practical volume of the full containers (m³); LCL adds none."""
        return sum((spec.cbm * count for count, spec in self.full), Decimal(0))


def container_mix(volume: Volume, settings: Settings) -> ContainerMix:
    """The containers for the volume and weight (see the module docstring for the rule)."""
    if volume.cbm == 0:
        return ContainerMix()
    if _fits_lcl(volume.cbm, volume.gross_kg, settings):
        return ContainerMix(lcl=True)
    containers = settings.containers
    for container in containers:
        if volume.cbm <= container.cbm and volume.gross_kg <= container.payload_kg:
            return ContainerMix(((1, container),))
    biggest = containers[-1]
    # Each full 40HQ takes the share of the goods its volume or its payload allows, whichever is smaller.
    share = min(biggest.cbm / volume.cbm, biggest.payload_kg / volume.gross_kg if volume.gross_kg else Decimal(1))
    count = math.floor(1 / share)
    rest = 1 - share * count
    if rest <= 0:
        return ContainerMix(((count, biggest),))
    rest_cbm, rest_kg = volume.cbm * rest, volume.gross_kg * rest
    if _fits_lcl(rest_cbm, rest_kg, settings):
        return ContainerMix(((count, biggest),), lcl=True)
    for container in containers[:-1]:
        if rest_cbm <= container.cbm and rest_kg <= container.payload_kg:
            return ContainerMix(((count, biggest), (1, container)))
    return ContainerMix(((count + 1, biggest),))


def suggest_containers(volume: Volume, settings: Settings) -> str:
    """``LCL``, ``1×20GP``, ``2×40HQ + 1×20GP`` … for the volume and weight."""
    return container_mix(volume, settings).label


def _fits_lcl(cbm: Decimal, kg: Decimal, settings: Settings) -> bool:
    # LCL is charged per revenue ton (W/M: 1 m³ or 1,000 kg, whichever is more); small in both goes LCL.
    return max(cbm, kg / 1000) < settings.lcl_max_cbm


_MISSING = (("pcs_per_carton", "装箱量", "pcs/carton"), ("carton_l", "外箱尺寸", "carton size"),
            ("gw_per_carton", "每箱毛重", "G.W. per carton"))


@check("volume")
def check_volume(ctx: CheckContext) -> Iterator[Finding]:
    """N.W. against G.W. per line; carton data for orders whose booking is near."""
    for line in ctx.workbook.lines:
        if line.nw_per_carton is not None and line.gw_per_carton is not None and line.nw_per_carton > line.gw_per_carton:
            yield ctx.finding("nw-exceeds-gw", sheet="lines", field="nw_per_carton", row=line.row,
                              order_no=line.order_no, nw=line.nw_per_carton, gw=line.gw_per_carton)
    if not keeps_carton_data(ctx.workbook):
        return  # the lines have no carton columns at all: checks-skipped says so once, not per line
    notice = timedelta(days=ctx.settings.booking_days + _BOOKING_NOTICE_DAYS)
    booking = timedelta(days=ctx.settings.booking_days)
    for order in ctx.workbook.orders:
        if order.delivery_date is None or order.delivery_date - notice > ctx.today or not is_open(ctx, order):
            continue
        for line in ctx.workbook.lines_by_order.get(order.order_no, []):
            missing = [(zh, en, field) for field, zh, en in _MISSING if _lacks(line, field)]
            if missing:
                yield ctx.finding("carton-data-missing", sheet="lines", field=missing[0][2], row=line.row,
                                  order_no=order.order_no, due=order.delivery_date - booking, item_no=line.item_no,
                                  missing="、".join(m[0] for m in missing), missing_en=", ".join(m[1] for m in missing))


def _lacks(line: OrderLine, field: str) -> bool:
    if field == "carton_l":
        return line.carton_cbm is None
    return getattr(line, field) is None
