"""Documentary credits and collections (信用证与托收): the L/C's dates, and the documents of D/P, D/A and CAD.

Under an L/C (UCP 600) the B/L may not be dated after the credit's latest shipment date (its
expiry when it names none); the documents are presented within the presentation period after the
B/L date — 21 calendar days unless the credit says otherwise (art. 14(c)) — and never after the
expiry (art. 6(d)). When the last day for presentation or the expiry falls on a day the bank is
closed, it moves to the next banking day (art. 29(a), the working-day calendar); the latest
shipment date does not move (art. 29(c)). A date within the warning window is a warning, a
missed one an error.

Under a collection (URC 522) the documents go to the bank soon after shipment, and for D/A the
buyer's acceptance of the draft is followed up; payment at maturity is checked with the other
instalments (``balance-overdue``, :mod:`gendan_xl.checks.instalments`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from gendan_xl.checks.base import CheckContext, check
from gendan_xl.checks.common import order_shipments
from gendan_xl.checks.delivery import is_open
from gendan_xl.findings import Finding, Severity, define_family, define_rule
from gendan_xl.models import Order, Shipment
from gendan_xl.vocab import PaymentMethod

__all__ = ["presentation_deadline"]

E, W = Severity.ERROR, Severity.WARNING
AS_OF = date(2026, 12, 2)  # the day the sources below were checked
UCP = "ICC Uniform Customs and Practice for Documentary Credits, UCP 600 (2007 revision)"

DOCUMENTARY = define_family("documentary", "信用证与托收", "L/C and collections", stage=70,
                            status_column="delivery_status")

define_rule(
    "lc-expiry-missing", W, "documentary",
    title=("缺少信用证有效期", "L/C expiry not recorded"),
    message=("{address}：信用证 {lc_date} 已到，但没有填有效期，无法计算交单期限",
             "{address}: the L/C arrived {lc_date} but its expiry is not recorded; the presentation deadline "
             "cannot be watched"),
    rule="An order on L/C terms whose L/C has arrived needs the credit's expiry (and its latest shipment date) "
         "on the order row.",
    example="订单!AE7: the L/C arrived 2026-10-12 but its expiry is not recorded",
)
define_rule(
    "lc-shipment-due", W, "documentary",
    title=("信用证最迟装运日临近", "L/C latest shipment date close"),
    message=("{address}：信用证最迟装运日 {due}（还有 {workdays} 个工作日），货尚未出运",
             "{address}: the L/C's latest shipment date is {due} ({workdays} working day(s) left) and the goods "
             "have not shipped"),
    rule="The goods are not shipped and the L/C's latest shipment date (its expiry when it names none) is within "
         "the warning window; the date does not move for holidays.",
    example="订单!AD4: the L/C's latest shipment date is 2026-11-30 (2 working day(s) left)",
    action=("按信用证装期出运或请客户改证", "ship by the L/C date or get the L/C amended"),
    at_risk=True,
    source=f"{UCP}, art. 29(c)",
    as_of=AS_OF,
)
define_rule(
    "lc-shipment-missed", E, "documentary",
    title=("超过信用证最迟装运日", "L/C latest shipment date missed"),
    message=("{address}：信用证最迟装运日 {due}，{shipped_text}",
             "{address}: the L/C's latest shipment date was {due}; {shipped_text_en}"),
    rule="The B/L is dated after the L/C's latest shipment date (its expiry when it names none), or that date "
         "passed before shipment: the documents will be discrepant unless the L/C is amended.",
    example="出运!N5: the L/C's latest shipment date was 2026-11-10; B/L dated 2026-11-14",
    action=("请客户改证（展期）", "ask the customer to amend (extend) the L/C"),
    source=f"{UCP}, art. 14(c), 29(c)",
    as_of=AS_OF,
)
define_rule(
    "lc-presentation-due", W, "documentary",
    title=("信用证交单期临近", "L/C presentation due"),
    message=("{address}：提单日 {bl_date}，最迟交单日 {due}（还有 {workdays} 个工作日），单据尚未提交",
             "{address}: B/L dated {bl_date}, documents to be presented by {due} ({workdays} working day(s) "
             "left)"),
    rule="Under an L/C the documents must be presented within the presentation period after the B/L date "
         "(order column 交单期(天), else `交单期(天)`, 21) and not after the expiry; the last day within the "
         "warning window is a warning.",
    example="出运!P5: B/L dated 2026-11-10, documents to be presented by 2026-12-01 (3 working day(s) left)",
    action=("向银行交单", "present the documents to the bank"),
    source=f"{UCP}, art. 14(c), 6(d), 29(a)",
    as_of=AS_OF,
)
define_rule(
    "lc-presentation-late", E, "documentary",
    title=("信用证交单逾期", "L/C presentation period missed"),
    message=("{address}：提单日 {bl_date}，最迟交单日 {due}，{presented_text}",
             "{address}: B/L dated {bl_date}, the last day for presentation was {due}; {presented_text_en}"),
    rule="The documents were not presented within the presentation period after the B/L date (21 days unless "
         "the credit says otherwise) or not before the expiry: the bank may refuse them as discrepant; payment "
         "then depends on the buyer waiving the discrepancy.",
    example="出运!P5: B/L dated 2026-10-20, the last day for presentation was 2026-11-10; not presented",
    action=("立即交单并联系客户接受不符点", "present now and ask the buyer to accept the discrepancy"),
    source=f"{UCP}, art. 14(c), 6(d), 29(a)",
    as_of=AS_OF,
)
define_rule(
    "collection-documents-not-sent", W, "documentary",
    title=("托收单据未寄", "Collection documents not sent"),
    message=("{address}：{terms} 托收，提单日 {bl_date}，单据应于 {due} 前交银行寄出，尚未寄单",
             "{address}: {terms}, B/L dated {bl_date}; the documents were due at the bank by {due} and are not "
             "sent"),
    rule="Under D/P, D/A or CAD the buyer pays or accepts against the documents: they go to the bank within "
         "`尾款宽限天数` (7) days after the B/L date (column 交单日 Documents Presented).",
    example="出运!P8: D/P at sight, B/L dated 2026-11-02; the documents were due at the bank by 2026-11-09",
    action=("寄单托收", "send the documents for collection"),
    source="ICC Uniform Rules for Collections, URC 522 (1995 revision): documents released against payment "
           "(D/P) or acceptance (D/A)",
    as_of=AS_OF,
)
define_rule(
    "acceptance-missing", W, "documentary",
    title=("未收到承兑通知", "No acceptance advice"),
    message=("{address}：D/A 单据 {presented} 已寄，{due} 前应收到承兑，至今未承兑",
             "{address}: D/A documents sent {presented}; the acceptance was expected by {due} and has not come"),
    rule="Under D/A the buyer accepts the draft when the collecting bank presents the documents; no acceptance "
         "date (column 承兑日) `尾款宽限天数` days after arrival (ETA, else the day the documents were sent) needs a "
         "call to the bank.",
    example="出运!Q8: D/A documents sent 2026-10-05; the acceptance was expected by 2026-11-09",
    action=("向代收行查询承兑", "ask the collecting bank about the acceptance"),
    source="ICC Uniform Rules for Collections, URC 522 (1995 revision), art. 22 and 26",
    as_of=AS_OF,
)


def presentation_deadline(ctx: CheckContext, order: Order, bl_date: date) -> date:
    """The last day to present L/C documents for a B/L of ``bl_date``: the period, capped by the expiry, on a bank day."""
    days = order.lc_presentation_days if order.lc_presentation_days is not None else ctx.settings.lc_presentation_days
    deadline = bl_date + timedelta(days=days)
    if order.lc_expiry is not None:
        deadline = min(deadline, order.lc_expiry)
    return ctx.calendar.next_workday(deadline)


@check("documentary")
def check_documentary(ctx: CheckContext) -> Iterator[Finding]:
    """L/C shipment and presentation dates; D/P, D/A and CAD documents and acceptance."""
    for order in ctx.workbook.orders:
        terms = order.terms
        if terms is None or order.is_cancelled or order.is_closed:
            continue
        if terms.lc is not None:
            yield from _credit(ctx, order)
        collection = terms.collection
        if collection is not None:
            yield from _collection(ctx, order, collection.method)


def _window(ctx: CheckContext, due: date) -> int | None:
    """Working days to ``due`` when it is within the warning window (and not past), else None."""
    if due < ctx.today:
        return None
    workdays = ctx.calendar.workdays_until(ctx.today, due)
    return workdays if workdays <= ctx.settings.warning_days else None


def _credit(ctx: CheckContext, order: Order) -> Iterator[Finding]:
    where: dict[str, Any] = {"order_no": order.order_no}
    if order.lc_date is not None and order.lc_expiry is None:
        yield ctx.finding("lc-expiry-missing", sheet="orders", field="lc_expiry", row=order.row, **where,
                          lc_date=order.lc_date)
    latest = order.lc_latest_shipment or order.lc_expiry
    field = "lc_latest_shipment" if order.lc_latest_shipment else "lc_expiry"
    shipped = [s for s in order_shipments(ctx, order.order_no) if s.bl_date is not None]
    if latest is not None:
        for shipment in shipped:
            assert shipment.bl_date is not None
            if shipment.bl_date > latest:
                yield ctx.finding("lc-shipment-missed", sheet="shipments", field="bl_date", row=shipment.row,
                                  **where, due=latest, shipped_text=f"提单日 {shipment.bl_date} 晚于装期",
                                  shipped_text_en=f"B/L dated {shipment.bl_date}")
        if not shipped and is_open(ctx, order):
            if latest < ctx.today:
                yield ctx.finding("lc-shipment-missed", sheet="orders", field=field, row=order.row, **where,
                                  due=latest, shipped_text="货仍未出运", shipped_text_en="the goods have not shipped")
            elif (workdays := _window(ctx, latest)) is not None:
                yield ctx.finding("lc-shipment-due", sheet="orders", field=field, row=order.row, **where, due=latest,
                                  workdays=workdays)
    for shipment in shipped:
        yield from _presentation(ctx, order, shipment)


def _presentation(ctx: CheckContext, order: Order, shipment: Shipment) -> Iterator[Finding]:
    assert shipment.bl_date is not None
    deadline = presentation_deadline(ctx, order, shipment.bl_date)
    where: dict[str, Any] = {"sheet": "shipments", "field": "documents_presented", "row": shipment.row,
                             "order_no": order.order_no, "bl_date": shipment.bl_date, "due": deadline}
    presented = shipment.documents_presented
    if presented is not None:
        if presented > deadline:
            yield ctx.finding("lc-presentation-late", **where, presented_text=f"{presented} 才交单",
                              presented_text_en=f"presented only on {presented}")
        return
    if deadline < ctx.today:
        yield ctx.finding("lc-presentation-late", **where, presented_text="尚未交单", presented_text_en="not presented")
    elif (workdays := _window(ctx, deadline)) is not None:
        yield ctx.finding("lc-presentation-due", **where, workdays=workdays)


def _collection(ctx: CheckContext, order: Order, method: PaymentMethod) -> Iterator[Finding]:
    grace = timedelta(days=ctx.settings.balance_grace_days)
    for shipment in order_shipments(ctx, order.order_no):
        if shipment.bl_date is None:
            continue
        where: dict[str, Any] = {"sheet": "shipments", "row": shipment.row, "order_no": order.order_no}
        presented = shipment.documents_presented
        if presented is None:
            due = shipment.bl_date + grace
            if due < ctx.today:
                yield ctx.finding("collection-documents-not-sent", field="documents_presented", **where, due=due,
                                  terms=order.payment_terms, bl_date=shipment.bl_date)
            continue
        if method is PaymentMethod.DA and shipment.documents_accepted is None:
            due = max(shipment.eta or presented, presented) + grace
            if due < ctx.today:
                yield ctx.finding("acceptance-missing", field="documents_accepted", **where, due=due,
                                  presented=presented)
