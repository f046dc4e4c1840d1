"""Shipment planning (出运计划): which open orders ship together, their volume and containers.

:func:`plan_shipments` groups the open orders due within a horizon by customer, port of loading
and port of discharge, with delivery dates close enough to share a sailing (拼柜), totals their
cartons, volume and weight from the carton data, and suggests containers. :func:`write_plan`
puts the plan on its own sheet (出运计划) through the lossless writer; :func:`read_plan` reads its
groups back, so a group can be shipped with one set of documents (``gendan docs --shipment G3``).
"""

from gendan_xl.planning.shipments import PLAN_SHEET, PlanGroup, ShipmentPlan, plan_shipments, read_plan, write_plan

__all__ = ["PLAN_SHEET", "PlanGroup", "ShipmentPlan", "plan_shipments", "read_plan", "write_plan"]
