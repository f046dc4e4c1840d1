"""Build the Word templates of every document kind, reproducibly (``python -m gendan_xl.documents.build_templates``).

The templates in ``gendan_xl/templates/`` are this script's output; a test rebuilds them and
compares every zip member, so edit this file, not the .docx (users who want another layout copy a
template into their own templates folder and edit it in Word). Tags are docxtpl/Jinja:
``{{ order.contract_no }}``, ``{%tr for l in lines %}`` rows. The variables are listed in
``docs/documents.md``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from .docxkit import (
    HEADER_FILL,
    Col,
    Doc,
    Groups,
    add_page_footer,
    add_par,
    content_width,
    grid,
    items_table,
    keep_together,
    new_document,
    reproducible_bytes,
    set_cell,
)
from .kinds import KINDS

__all__ = ["BUILDERS", "TEMPLATE_DIR", "build_all", "build_template", "main"]

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


# --- building blocks ---------------------------------------------------------------------------


def header_en(doc: Doc) -> None:
    """Company letterhead in English, with the Chinese name under it."""
    add_par(doc, "{{ company.name_en }}", bold=True, size=15, align="center")
    add_par(doc, "{{ company.name }}", size=10, align="center")
    add_par(doc, "{{ company.address_en }}", size=8, align="center", grey=True)
    add_par(doc, "Tel: {{ company.phone }}    E-mail: {{ company.email }}", size=8, align="center", grey=True,
            border_bottom=True, after=4)


def header_zh(doc: Doc) -> None:
    """Company letterhead in Chinese, with the English name under it."""
    add_par(doc, "{{ company.name }}", bold=True, size=15, align="center")
    add_par(doc, "{{ company.name_en }}", size=9, align="center")
    add_par(doc, "地址：{{ company.address }}    电话：{{ company.phone }}    邮箱：{{ company.email }}", size=8,
            align="center", grey=True, border_bottom=True, after=4)


def title(doc: Doc, text: str, sub: str = "") -> None:
    """Document title, centred and spaced."""
    add_par(doc, text, bold=True, size=15, align="center", before=4, after=0 if sub else 6)
    if sub:
        add_par(doc, sub, size=9, align="center", after=6, grey=True)


def two_blocks(doc: Doc, left: str, right: str, *, split: float = 0.56) -> None:
    """Two text blocks side by side in a bordered box (parties left, references right)."""
    width = content_width(doc)
    table = grid(doc, 1, [round(width * split, 2), round(width * (1 - split), 2)])
    set_cell(table.rows[0].cells[0], left)
    set_cell(table.rows[0].cells[1], right)


def kv_table(doc: Doc, pairs: Sequence[tuple[str, str]], *, columns: int = 2, label_share: float = 0.36,
             size: float = 8.5) -> None:
    """A form grid of label/value cells, ``columns`` pairs per row, labels shaded."""
    width = content_width(doc)
    pair = width / columns
    label = round(pair * label_share, 2)
    value = round(pair - label, 2)
    rows = (len(pairs) + columns - 1) // columns
    table = grid(doc, rows, [label, value] * columns)
    for index, (key, text) in enumerate(pairs):
        row = table.rows[index // columns]
        col = (index % columns) * 2
        set_cell(row.cells[col], key, bold=True, size=size, fill=HEADER_FILL)
        set_cell(row.cells[col + 1], text, size=size)


def signatures(doc: Doc, left: str, right: str, *, space: int = 3) -> None:
    """Two signature blocks, each with a line to sign on (an empty block stays empty)."""
    add_par(doc, "", after=6)
    width = content_width(doc)
    table = grid(doc, 1, [width / 2, width / 2], borders=False)
    for cell, text in zip(table.rows[0].cells, (left, right), strict=True):
        if text:
            set_cell(cell, text + "\n" * space + "______________________________", size=9)
    keep_together(table.rows[0])  # a signature line never goes to the next page without its name


def numbered(doc: Doc, clauses: Sequence[str], *, size: float = 8.5) -> None:
    """Numbered contract clauses, one paragraph each."""
    for index, clause in enumerate(clauses, start=1):
        add_par(doc, f"{index}. {clause}", size=size, after=2)


def sized(columns: Sequence[Col], width: float) -> list[Col]:
    """Scale column widths to fill ``width`` exactly (rounded to mm, the rest on the widest column)."""
    total = sum(c.width for c in columns)
    scaled = [replace(c, width=round(c.width * width / total, 2)) for c in columns]
    widest = max(range(len(scaled)), key=lambda i: scaled[i].width)
    rest = round(width - sum(c.width for c in scaled), 2)
    scaled[widest] = replace(scaled[widest], width=round(scaled[widest].width + rest, 2))
    return scaled


# --- the documents -----------------------------------------------------------------------------

_SALES_COLUMNS = (
    Col("No.", 0.9, "{{ l.no }}", "center"),
    Col("Item No.", 2.1, "{{ l.item_no }}"),
    Col("Description", 5.8, "**{{ l.description }}**\n{{ l.spec }}"),
    Col("Quantity", 2.4, "{{ l.qty }}", "right", "{{ totals.qty }}", "{{ g.qty }}"),
    Col("Unit", 1.1, "{{ l.unit }}", "center"),
    Col("Unit Price\n({{ doc.currency }})", 2.3, "{{ l.unit_price }}", "right"),
    Col("Amount\n({{ doc.currency }})", 2.8, "{{ l.amount }}", "right", "{{ doc.amount }}", "{{ g.amount }}"),
)
# A shipment of several orders: the lines under a heading per order (or customer PO), a subtotal after each.
_ORDER_GROUPS = Groups(label="Subtotal {{ g.orders }}")


def proforma_invoice() -> Doc:
    """PROFORMA INVOICE: to the customer for confirmation and the deposit."""
    doc = new_document()
    header_en(doc)
    title(doc, "PROFORMA INVOICE")
    two_blocks(doc,
               "**TO (MESSRS):**\n{{ buyer.name }}\n{{ buyer.address }}\nAttn: {{ buyer.contact }}    "
               "Tel: {{ buyer.phone }}\nE-mail: {{ buyer.email }}",
               "**PI No.:** {{ doc.no }}\n**Date:** {{ doc.date }}\n**Customer PO:** {{ order.customer_po }}\n"
               "**Price Term:** {{ order.price_term }}\n**Currency:** {{ doc.currency }}")
    add_par(doc, "", after=4)
    items_table(doc, sized(_SALES_COLUMNS, content_width(doc)), "l in lines", label_span=3)
    add_par(doc, "**TOTAL AMOUNT: {{ doc.currency }} {{ doc.amount }}**", size=9, before=6)
    add_par(doc, "{{ doc.amount_words_en }}", size=9, after=6)
    add_par(doc, "TERMS AND CONDITIONS", bold=True, size=9, after=2)
    numbered(doc, [
        "**Price term:** {{ order.price_term }} (Incoterms® 2020).",
        "**Payment:** {{ order.payment_terms }}{% if doc.deposit_amount %} — deposit {{ order.deposit_pct }}: "
        "{{ doc.currency }} {{ doc.deposit_amount }}, balance {{ doc.currency }} {{ doc.balance_amount }}{% endif %}.",
        "**Shipment:** from {{ order.pol }} to {{ order.pod }}, not later than {{ order.latest_shipment }}; "
        "partial shipment and transshipment allowed.",
        "**Packing:** export standard cartons.",
        "**Validity:** this proforma invoice is valid for 30 days from its date.",
        "**Beneficiary's bank:** {{ company.bank }}",
    ])
    signatures(doc, "**Confirmed by the Buyer**\n(signature and company stamp)",
               "**For and on behalf of**\n{{ company.name_en }}")
    add_page_footer(doc, "PI {{ doc.no }}")
    return doc


def sales_contract() -> Doc:
    """销售合同 SALES CONTRACT, bilingual."""
    doc = new_document()
    header_zh(doc)
    title(doc, "销售合同  SALES CONTRACT")
    two_blocks(doc,
               "**卖方 The Seller:** {{ company.name_en }}\n{{ company.name }}\n{{ company.address_en }}\n"
               "Tel: {{ company.phone }}\n\n**买方 The Buyer:** {{ buyer.name }}\n{{ buyer.address }}\n"
               "Tel: {{ buyer.phone }}    E-mail: {{ buyer.email }}",
               "**合同号 Contract No.:** {{ doc.no }}\n**日期 Date:** {{ doc.date }}\n"
               "**客户订单号 Buyer's PO:** {{ order.customer_po }}\n**贸易术语 Price Term:** {{ order.price_term }}\n"
               "**币种 Currency:** {{ doc.currency }}")
    add_par(doc, "买卖双方同意按下列条款买卖下述商品：\nThe Seller agrees to sell and the Buyer agrees to buy the goods "
                 "below on the terms and conditions stated in this contract:", size=8.5, before=4, after=4)
    columns = [Col("序号\nNo.", 1.1, "{{ l.no }}", "center"),
               Col("货号\nItem No.", 2.1, "{{ l.item_no }}"),
               Col("品名及规格\nDescription", 5.5, "**{{ l.description }}**\n{{ l.spec }}"),
               Col("数量\nQuantity", 2.4, "{{ l.qty }}", "right", "{{ totals.qty }}"),
               Col("单位\nUnit", 1.1, "{{ l.unit }}", "center"),
               Col("单价 Unit Price\n({{ doc.currency }})", 2.4, "{{ l.unit_price }}", "right"),
               Col("金额 Amount\n({{ doc.currency }})", 2.8, "{{ l.amount }}", "right", "{{ doc.amount }}")]
    items_table(doc, sized(columns, content_width(doc)), "l in lines", total_label="合计 TOTAL", label_span=3)
    add_par(doc, "**合同总值 Total Value: {{ doc.currency }} {{ doc.amount }}**", size=9, before=6)
    add_par(doc, "{{ doc.amount_words_en }}", size=9)
    add_par(doc, "大写：{{ doc.amount_words_zh }}", size=9, after=6)
    numbered(doc, [
        "**包装 Packing:** 出口标准纸箱 Export standard cartons.",
        "**唛头 Shipping Marks:** {{ marks_inline }}",
        "**装运期 Time of Shipment:** 不迟于 not later than {{ order.latest_shipment }}.",
        "**装运港 Port of Loading:** {{ order.pol }}    **目的港 Port of Destination:** {{ order.pod }}",
        "**分批装运及转运 Partial Shipment and Transshipment:** 允许 Allowed.",
        "**付款条件 Terms of Payment:** {{ order.payment_terms }}",
        "**保险 Insurance:** {% if order.incoterm in ['CIF', 'CIP'] %}由卖方按发票金额 110% 投保一切险 To be covered by the "
        "Seller for 110% of the invoice value against All Risks.{% else %}由买方负责 To be covered by the Buyer.{% endif %}",
        "**品质 Quality:** 以双方确认的样品为准 As per the samples confirmed by both parties.",
        "**不可抗力 Force Majeure:** 因不可抗力不能履约的一方不负责任，但应及时通知对方 Neither party is liable for failure to "
        "perform caused by force majeure, provided it informs the other party promptly.",
        "**仲裁 Arbitration:** 争议提交中国国际经济贸易仲裁委员会仲裁 Disputes shall be submitted to the China International "
        "Economic and Trade Arbitration Commission (CIETAC) for arbitration.",
    ])
    signatures(doc, "**卖方 THE SELLER**\n{{ company.name_en }}", "**买方 THE BUYER**\n{{ buyer.name }}")
    add_page_footer(doc, "S/C {{ doc.no }}")
    return doc


def purchase_contract() -> Doc:
    """采购合同 to the factory, in Chinese: goods, purchase prices, delivery, quality, carton data."""
    doc = new_document()
    header_zh(doc)
    title(doc, "采 购 合 同", "PURCHASE CONTRACT")
    two_blocks(doc,
               "**需方（甲方）：**{{ company.name }}\n地址：{{ company.address }}\n电话：{{ company.phone }}\n\n"
               "**供方（乙方）：**{{ factory.name }}\n地址：{{ factory.address }}\n联系人：{{ factory.contact }}    "
               "电话：{{ factory.phone }}\n税号：{{ factory.tax_id }}",
               "**合同编号：**{{ doc.no }}\n**签订日期：**{{ doc.date }}\n**订单号：**{{ purchase.order_no }}\n"
               "**交货日期：**{{ purchase.delivery_date }}\n**币种：**人民币 CNY（含税价）")
    add_par(doc, "经双方协商一致，甲方向乙方订购下列产品，签订本合同：", size=9, before=4, after=4)
    columns = [Col("序号", 0.8, "{{ l.no }}", "center"),
               Col("货号", 1.8, "{{ l.item_no }}"),
               Col("品名及规格", 3.0, "**{{ l.description }}**\n{{ l.spec }}"),
               Col("数量", 1.6, "{{ l.qty }}", "right", "{{ totals.qty }}"),
               Col("单位", 1.2, "{{ l.unit }}", "center"),
               Col("含税单价\n(元)", 1.5, "{{ l.purchase_price }}", "right"),
               Col("金额\n(元)", 2.3, "{{ l.purchase_amount }}", "right", "{{ purchase.total }}"),
               Col("每箱\n数量", 1.1, "{{ l.pcs_per_carton or '待提供' }}", "center"),
               Col("外箱尺寸\n(cm)", 1.9, "{{ l.carton_size or '待提供' }}", "center"),
               Col("净/毛重\n(kg/箱)", 2.2, "{% if l.nw_per_carton %}{{ l.nw_per_carton }}/{{ l.gw_per_carton }}"
                   "{% else %}待提供{% endif %}", "center")]
    items_table(doc, sized(columns, content_width(doc)), "l in lines", total_label="合计", label_span=3)
    add_par(doc, "**合计金额（大写）：{{ purchase.total_words_zh }}    （小写）：¥{{ purchase.total }}**", size=9,
            before=6, after=6)
    numbered(doc, [
        "**交货期及地点：**乙方须于 {{ purchase.delivery_date }} 前将货物交至甲方指定的 {{ purchase.delivery_place }} "
        "仓库或码头；如不能按期交货，须提前 10 天书面通知甲方。",
        "**质量要求：**按甲方客户确认的样品（产前样）及本合同规格生产，大货须与确认样一致。甲方或其客户有权在出货前验货，"
        "验货不合格的，乙方负责返工并承担由此产生的费用。",
        "**包装及唛头：**出口标准纸箱，唛头：{{ marks_inline }}。乙方须在签约后 3 天内书面提供装箱资料（每箱数量、外箱尺寸、"
        "净重、毛重），以便甲方订舱；装箱资料变更须及时通知甲方。",
        "**付款方式：**货物验收合格并装运后，乙方开具税率 {{ purchase.vat_rate }} 的增值税专用发票，甲方收到发票后按双方"
        "约定付款。",
        "**违约责任：**乙方逾期交货或质量不符的，应承担甲方因此遭受的损失（包括客户索赔）；甲方无故拒收的，应承担乙方损失。",
        "**其他：**本合同一式两份，双方签字盖章后生效，扫描件有效。请乙方于收到后 3 日内签字盖章回传。",
    ])
    signatures(doc, "**需方（甲方）盖章：**\n{{ company.name }}\n代表签字：", "**供方（乙方）盖章：**\n{{ factory.name }}\n代表签字：")
    add_page_footer(doc, "采购合同 {{ doc.no }}", chinese=True)
    return doc


def commercial_invoice() -> Doc:
    """COMMERCIAL INVOICE of the shipment."""
    doc = new_document()
    header_en(doc)
    title(doc, "COMMERCIAL INVOICE")
    two_blocks(doc,
               "**TO (MESSRS):**\n{{ buyer.name }}\n{{ buyer.address }}\n\n**CONSIGNEE:**\n{{ consignee.name }}",
               "**Invoice No.:** {{ doc.no }}\n**Date:** {{ doc.date }}\n**Contract No.:** {{ order.contract_no }}\n"
               "**Customer PO:** {{ order.customer_po }}\n**Payment:** {{ order.payment_terms }}")
    kv_table(doc, [("From", "{{ order.pol }}, CHINA"), ("To", "{{ order.pod }}"),
                   ("Vessel / Voyage", "{{ transport.vessel }}"), ("B/L No.", "{{ transport.bl_no }}"),
                   ("Sailing on / about", "{{ transport.etd }}"), ("Price Term", "{{ order.price_term }}")],
             columns=3, label_share=0.42)
    kv_table(doc, [("Container / Seal", "{{ transport.container_seals or transport.containers }}")], columns=1,
             label_share=0.14)
    add_par(doc, "", after=4)
    items_table(doc, sized(_SALES_COLUMNS, content_width(doc)), "l in g.lines", label_span=3, groups=_ORDER_GROUPS)
    add_par(doc, "**TOTAL AMOUNT: {{ doc.currency }} {{ doc.amount }}**", size=9, before=6)
    add_par(doc, "{{ doc.amount_words_en }}", size=9, after=4)
    add_par(doc, "**PACKED IN {{ totals.cartons }} CARTONS    N.W. {{ totals.nw }} KGS    G.W. {{ totals.gw }} KGS    "
                 "MEAS. {{ totals.cbm }} CBM**", size=8.5, after=4)
    two_blocks(doc, "**SHIPPING MARKS:**\n{{ marks }}", "**COUNTRY OF ORIGIN:**\nCHINA", split=0.6)
    signatures(doc, "", "**For and on behalf of**\n{{ company.name_en }}\n(authorised signature)")
    add_page_footer(doc, "Invoice {{ doc.no }}")
    return doc


def packing_list() -> Doc:
    """PACKING LIST: carton numbers, pieces, weights and measurement per run of cartons (landscape: ten columns)."""
    doc = new_document(landscape=True)
    header_en(doc)
    title(doc, "PACKING LIST")
    two_blocks(doc,
               "**TO (MESSRS):**\n{{ buyer.name }}\n{{ buyer.address }}\n\n**CONSIGNEE:**\n{{ consignee.name }}",
               "**Invoice No.:** {{ doc.no }}\n**Date:** {{ doc.date }}\n**Contract No.:** {{ order.contract_no }}\n"
               "**From:** {{ order.pol }}, CHINA\n**To:** {{ order.pod }}")
    add_par(doc, "", after=4)
    columns = [Col("C/No.", 2.0, "{{ r.carton_range }}", "center"),
               Col("Item No.", 2.6, "{{ r.item_no }}"),
               Col("Description", 6.6, "**{{ r.description }}**\n{{ r.spec }}"),
               Col("Qty/Ctn", 1.6, "{{ r.per_carton }}", "right"),
               Col("Ctns", 1.4, "{{ r.cartons }}", "right", "{{ totals.cartons }}", "{{ g.cartons }}"),
               Col("Quantity", 2.8, "{{ r.qty }} {{ r.unit }}", "right", "{{ totals.qty }}", "{{ g.qty }}"),
               Col("N.W.\n(KGS)", 2.3, "{{ r.nw }}", "right", "{{ totals.nw }}", "{{ g.nw }}"),
               Col("G.W.\n(KGS)", 2.3, "{{ r.gw }}", "right", "{{ totals.gw }}", "{{ g.gw }}"),
               Col("Meas.\n(CBM)", 2.1, "{{ r.cbm }}", "right", "{{ totals.cbm }}", "{{ g.cbm }}"),
               Col("Carton Size\n(L×W×H cm)", 2.8, "{{ r.carton_size }}", "center")]
    items_table(doc, sized(columns, content_width(doc)), "r in g.rows", label_span=4,
                groups=Groups(label="Subtotal {{ g.orders }}  C/NO. {{ g.carton_range }}"))
    add_par(doc, "**{{ totals.cartons_words }}**", size=9, before=6, after=6)
    two_blocks(doc, "**SHIPPING MARKS:**\n{{ marks }}", "**PACKING:** export cartons.\n"
               "A part-filled carton is listed on its own row.", split=0.6)
    signatures(doc, "", "**For and on behalf of**\n{{ company.name_en }}\n(authorised signature)")
    add_page_footer(doc, "Packing list {{ doc.no }}")
    return doc


def booking_note() -> Doc:
    """托书 BOOKING NOTE / SHIPPING ORDER to the forwarder."""
    doc = new_document()
    header_zh(doc)
    title(doc, "订舱委托书  BOOKING NOTE", "SHIPPING ORDER (托书)")
    kv_table(doc, [
        ("托运人 Shipper", "{{ company.name_en }}\n{{ company.address_en }}\nTEL: {{ company.phone }}"),
        ("委托编号 Our Ref.", "{{ doc.no }}\n日期 Date: {{ doc.date }}\n订舱号 Booking No.: {{ transport.booking_no }}"),
        ("收货人 Consignee", "{{ consignee.name }}"), ("货代 Forwarder", "{{ transport.forwarder }}"),
        ("通知人 Notify Party", "{{ consignee.notify }}"), ("运费 Freight", "{{ transport.freight }}"),
        ("装货港 Port of Loading", "{{ order.pol }}, CHINA"), ("卸货港 Port of Discharge", "{{ order.pod }}"),
        ("预计开船 ETD", "{{ transport.etd }}"), ("最迟装运期 Latest Shipment", "{{ order.latest_shipment }}"),
        ("柜型柜量 Containers", "{{ transport.containers }}"), ("船名航次 Vessel / Voyage", "{{ transport.vessel }}"),
        ("贸易术语 Price Term", "{{ order.price_term }}"), ("提单 B/L", "正本提单 3/3 ORIGINAL B/L"),
    ], columns=2, label_share=0.34)
    add_par(doc, "", after=4)
    columns = [Col("货号\nItem No.", 2.0, "{{ l.item_no }}"),
               Col("货名 Description of Goods", 6.4, "**{{ l.description }}**\n{{ l.spec }}"),
               Col("件数\nPackages", 2.0, "{{ l.cartons }} CTNS", "right", "{{ totals.cartons }} CTNS"),
               Col("毛重 G.W.\n(KGS)", 2.2, "{{ l.gw }}", "right", "{{ totals.gw }}"),
               Col("体积 Meas.\n(CBM)", 2.0, "{{ l.cbm }}", "right", "{{ totals.cbm }}")]
    items_table(doc, sized(columns, content_width(doc)), "l in lines", total_label="合计 TOTAL", label_span=2)
    add_par(doc, "**{{ totals.cartons_words }}**", size=9, before=6, after=4)
    two_blocks(doc, "**唛头 Shipping Marks:**\n{{ marks }}",
               "**特别要求 Special Requirements:**\n请按上述资料订舱并尽快发送 S/O。\nPlease book as above and send the S/O "
               "as soon as possible.", split=0.45)
    signatures(doc, "**联系人 Contact:**\nTel: {{ company.phone }}\nE-mail: {{ company.email }}",
               "**托运人签章 Shipper's Signature and Stamp**\n{{ company.name }}")
    add_page_footer(doc, "托书 Booking {{ doc.no }}")
    return doc


def shipping_advice() -> Doc:
    """SHIPPING ADVICE to the customer after sailing."""
    doc = new_document()
    header_en(doc)
    title(doc, "SHIPPING ADVICE")
    two_blocks(doc, "**TO (MESSRS):**\n{{ buyer.name }}\n{{ buyer.address }}\nAttn: {{ buyer.contact }}",
               "**Date:** {{ doc.date }}\n**Invoice No.:** {{ doc.no }}\n**Contract No.:** {{ order.contract_no }}\n"
               "**Customer PO:** {{ order.customer_po }}")
    add_par(doc, "Dear Sirs,", size=9, before=6, after=2)
    add_par(doc, "We are pleased to advise you that the goods under the above contract have been shipped as follows:",
            size=9, after=4)
    kv_table(doc, [
        ("Commodity", "{{ totals.commodities }}"),
        ("Quantity", "{{ totals.qty }}"), ("Packages", "{{ totals.cartons }} CARTONS"),
        ("Gross / Net Weight", "{{ totals.gw }} KGS / {{ totals.nw }} KGS"), ("Measurement", "{{ totals.cbm }} CBM"),
        ("Invoice Value", "{{ doc.currency }} {{ doc.amount }}"), ("Vessel / Voyage", "{{ transport.vessel }}"),
        ("B/L No. / Date", "{{ transport.bl_no }} / {{ transport.bl_date }}"),
        ("Container / Seal", "{{ transport.containers }}{% if transport.container_seals %}: "
                             "{{ transport.container_seals }}{% endif %}"),
        ("Port of Loading", "{{ order.pol }}, CHINA"), ("Port of Discharge", "{{ order.pod }}"),
        ("ETD / ETA", "{{ transport.etd }} / {{ transport.eta }}"), ("Shipping Marks", "{{ marks }}"),
    ], columns=1, label_share=0.28, size=9)
    add_par(doc, "Shipping documents will follow. Please arrange the customs clearance and the pick-up of the goods "
                 "in time. Thank you for your order.", size=9, before=6)
    signatures(doc, "", "Best regards,\n**{{ company.name_en }}**")
    add_page_footer(doc, "Shipping advice {{ doc.no }}")
    return doc


def customs_data() -> Doc:
    """报关资料: the data the customs broker needs for the export declaration."""
    doc = new_document(landscape=True, size=8.5)
    header_zh(doc)
    title(doc, "出口报关资料", "EXPORT CUSTOMS DECLARATION DATA")
    kv_table(doc, [
        ("境内发货人", "{{ company.name }}"), ("境外收货人", "{{ consignee.name }}"), ("发票号", "{{ doc.no }}"),
        ("合同协议号", "{{ order.contract_no }}"), ("监管方式", "{{ customs.trade_mode }}"),
        ("成交方式", "{{ customs.transaction_mode }}（合同 {{ order.price_term }}）"),
        ("运抵国（地区）", "{{ customs.destination_zh }}"), ("指运港", "{{ order.pod }}"),
        ("离境口岸 / 启运港", "{{ order.pol }}"), ("包装种类", "{{ customs.package_kind }}"),
        ("件数", "{{ totals.cartons }}"), ("毛重（千克）", "{{ totals.gw }}"), ("净重（千克）", "{{ totals.nw }}"),
        ("运输工具 / 航次", "{{ transport.vessel }}"), ("提运单号", "{{ transport.bl_no }}"),
        ("集装箱号", "{{ transport.container_no }} {{ transport.container_type }}"),
        ("出口享惠情况", "{{ customs.export_preference }}"), ("报关单号", "{{ customs.declaration_no }}"),
    ], columns=3, label_share=0.3, size=8)
    add_par(doc, "", after=4)
    columns = [Col("项号", 0.9, "{{ i.no }}", "center"),
               Col("商品编号", 2.3, "{{ i.hs_code }}", "center"),
               Col("商品名称", 2.8, "**{{ i.name }}**"),
               Col("规格型号（申报要素）", 6.0, "{{ i.elements }}"),
               Col("成交数量", 2.0, "{{ i.qty }}", "right", "{{ customs.total_qty }}"),
               Col("成交\n单位", 1.1, "{{ i.unit }}", "center"),
               Col("法定第一\n数量/单位", 1.9, "{{ i.legal_qty_1 }} {{ i.legal_unit_1 }}", "right"),
               Col("法定第二\n数量/单位", 1.9, "{{ i.legal_qty_2 }} {{ i.legal_unit_2 }}", "right"),
               Col("单价", 1.5, "{{ i.unit_price }}", "right"),
               Col("总价", 2.0, "{{ i.amount }}", "right", "{{ doc.amount }}"),
               Col("币制", 1.2, "{{ doc.currency }}", "center", "{{ doc.currency }}"),
               Col("原产国\n最终目的国", 1.6, "中国\n{{ customs.destination_zh }}", "center"),
               Col("净重\n(千克)", 2.0, "{{ i.nw }}", "right", "{{ totals.nw }}")]
    items_table(doc, sized(columns, content_width(doc)), "i in customs_items", total_label="合计", label_span=4,
                size=7.5)
    add_par(doc, "**申报总价：{{ doc.currency }} {{ doc.amount }}（{{ doc.amount_words_zh }}）**", size=9, before=6)
    add_par(doc, "标记唛码：{{ marks }}", size=8.5, before=2)
    add_par(doc, "说明：品牌类型与出口享惠情况为必报要素；法定单位随年度《进出口税则》调整，"
                 "{% if customs.legal_units_known %}已按模板文件夹中的 hs_units.csv 填写，请核对。"
                 "{% else %}请按当年税则补填（可在模板文件夹放 hs_units.csv）。{% endif %}",
            size=7.5, before=4, grey=True)
    signatures(doc, "**报关联系人：**\n电话：{{ company.phone }}", "**境内发货人（盖章）：**\n{{ company.name }}", space=1)
    add_page_footer(doc, "报关资料 {{ doc.no }}", chinese=True)
    return doc


def inspection_data() -> Doc:
    """报检资料: data for the export commodity inspection application."""
    doc = new_document()
    header_zh(doc)
    title(doc, "出境货物报检资料", "INSPECTION APPLICATION DATA")
    kv_table(doc, [
        ("报检单位", "{{ company.name }}"), ("报检日期", "{{ inspection.applied }}"),
        ("发货人（中文）", "{{ company.name }}"), ("发货人（外文）", "{{ company.name_en }}"),
        ("收货人", "{{ consignee.name }}"), ("生产单位", "{{ inspection.producer }}"),
        ("合同号", "{{ order.contract_no }}"), ("发票号", "{{ doc.no }}"),
        ("贸易方式", "一般贸易"), ("输往国家（地区）", "{{ customs.destination_zh }}"),
        ("启运地", "{{ order.pol }}"), ("到达口岸", "{{ order.pod }}"),
        ("运输工具", "{{ transport.vessel }}"), ("发货日期", "{{ transport.etd }}"),
        ("集装箱规格、数量", "{{ transport.containers }} {{ transport.container_no }}"),
        ("货物存放地点", "{{ inspection.producer_address }}"),
        ("电子底账号", "{{ inspection.record_no }}"), ("标记及号码", "{{ marks }}"),
    ], columns=2, label_share=0.3)
    add_par(doc, "", after=4)
    columns = [Col("序号", 0.8, "{{ i.no }}", "center"),
               Col("HS 编码", 2.3, "{{ i.hs_code }}", "center"),
               Col("货物名称", 4.0, "**{{ i.name }}**\n{{ i.spec }}"),
               Col("数量", 2.3, "{{ i.qty }} {{ i.unit }}", "right", "{{ customs.total_qty }}"),
               Col("净重(千克)", 1.9, "{{ i.nw }}", "right", "{{ totals.nw }}"),
               Col("货物总值\n({{ doc.currency }})", 2.2, "{{ i.amount }}", "right", "{{ doc.amount }}"),
               Col("包装种类\n及数量", 2.0, "纸箱 {{ i.cartons }}", "center", "纸箱 {{ totals.cartons }}"),
               Col("产地", 1.8, "中国", "center")]
    items_table(doc, sized(columns, content_width(doc)), "i in customs_items", total_label="合计", label_span=3)
    add_par(doc, "**货物总值：{{ doc.currency }} {{ doc.amount }}    毛重：{{ totals.gw }} 千克    体积：{{ totals.cbm }} 立方米**",
            size=9, before=6)
    add_par(doc, "随附单据：合同、发票、装箱单、厂检结果单。生产单位地址：{{ inspection.producer_address }}", size=8.5, before=2)
    signatures(doc, "**报检员：**\n联系电话：{{ company.phone }}", "**报检单位（盖章）：**\n{{ company.name }}")
    add_page_footer(doc, "报检资料 {{ doc.no }}", chinese=True)
    return doc


def co_data() -> Doc:
    """产地证申请资料: what the online certificate of origin application asks for, box by box."""
    doc = new_document()
    header_zh(doc)
    title(doc, "原产地证书申请资料", "CERTIFICATE OF ORIGIN APPLICATION DATA")
    kv_table(doc, [
        ("申请证书 Certificate", "**{{ origin.certificate }}**"), ("申请日期 Applied on", "{{ doc.date }}"),
        ("目的国推荐 Recommended", "{{ origin.recommended }}{% if origin.agreement %}（{{ origin.agreement }}）{% endif %}"),
        ("依据 Rule", "{{ origin.rule_source }}（{{ origin.rule_as_of }}）"),
        ("发票号 Invoice No.", "{{ invoice.no }}"), ("发票日期 Invoice Date", "{{ invoice.date }}"),
        ("合同号 Contract No.", "{{ order.contract_no }}"), ("证书号 Certificate No.", "{{ origin.co_no }}"),
    ], columns=2, label_share=0.34)
    add_par(doc, "{% if origin.note_zh %}注意：{{ origin.note_zh }} / {{ origin.note_en }}{% endif %}", size=8.5,
            before=2)
    add_par(doc, "", after=2)
    kv_table(doc, [
        ("1 出口商 Exporter", "{{ company.name_en }}\n{{ company.address_en }}\n{{ company.name }}"),
        ("2 收货人 Consignee", "{{ consignee.name }}"),
        ("3 运输方式及路线 Means of transport and route",
         "{{ origin.route }}\nETD {{ transport.etd }}    {{ transport.vessel }}"
         "{% if transport.bl_no %}    B/L {{ transport.bl_no }}{% endif %}"),
        ("4 目的国（地区） Country / region of destination", "{{ origin.destination }}  {{ origin.destination_zh }}"),
        ("5 生产商 Producer", "{{ origin.producers }}"),
        ("6 唛头及包装号 Marks and numbers", "{{ marks }}"),
        ("7 包装件数及种类 Number and kind of packages", "{{ origin.packages }}"),
        ("10 发票号码及日期 Number and date of invoice", "{{ invoice.no }}    {{ invoice.date }}"),
    ], columns=1, label_share=0.3)
    add_par(doc, "", after=4)
    columns = [Col("项号\nNo.", 1.1, "{{ o.no }}", "center"),
               Col("商品描述 Description of goods", 5.0, "**{{ o.description }}**\n{{ o.packages }}"),
               Col("HS 编码\nH.S. Code", 2.2, "{{ o.hs_code }}", "center"),
               Col("原产地标准\nOrigin Criterion", 2.0, "{{ o.criterion }}", "center"),
               Col("数量\nQuantity", 2.2, "{{ o.qty }} {{ o.unit }}", "right", "{{ totals.qty }}"),
               Col("毛重 G.W.\n(KGS)", 1.9, "{{ o.gw }}", "right", "{{ totals.gw }}"),
               Col("件数\nCtns", 1.3, "{{ o.cartons }}", "right", "{{ totals.cartons }}"),
               Col("发票金额\n({{ doc.currency }})", 2.3, "{{ o.amount }}", "right", "{{ doc.amount }}")]
    items_table(doc, sized(columns, content_width(doc)), "o in origin_items", total_label="合计 TOTAL", label_span=4)
    add_par(doc, "{{ origin.criterion_hint_zh }}", size=7.5, before=4, grey=True)
    add_par(doc, "{{ origin.criterion_hint_en }}", size=7.5, grey=True)
    add_par(doc, "**11 出口商声明 Declaration by the exporter:** The undersigned hereby declares that the above details and "
                 "statements are correct, that all the goods were produced in China and that they comply with the rules "
                 "of origin for {{ origin.destination }}.", size=8.5, before=6)
    add_par(doc, "{{ order.pol }}, CHINA    {{ doc.date }}", size=8.5, before=2)
    signatures(doc, "**申报员 Applicant:**\n电话 Tel: {{ company.phone }}",
               "**出口商（盖章） Exporter's stamp and signature:**\n{{ company.name }}", space=2)
    add_page_footer(doc, "产地证资料 C/O data {{ doc.no }}", chinese=True)
    return doc


BUILDERS: dict[str, Callable[[], Doc]] = {
    "proforma-invoice": proforma_invoice,
    "sales-contract": sales_contract,
    "purchase-contract": purchase_contract,
    "commercial-invoice": commercial_invoice,
    "packing-list": packing_list,
    "booking-note": booking_note,
    "shipping-advice": shipping_advice,
    "customs-data": customs_data,
    "inspection-data": inspection_data,
    "co-data": co_data,
}


def build_template(key: str) -> bytes:
    """The .docx bytes of one kind's built-in template."""
    return reproducible_bytes(BUILDERS[key]())


def build_all(folder: Path = TEMPLATE_DIR) -> list[Path]:
    """Write every kind's template into ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / kind.template_name
        path.write_bytes(build_template(kind.key))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: ``python -m gendan_xl.documents.build_templates [FOLDER]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    for path in build_all(Path(args[0]) if args else TEMPLATE_DIR):
        print(path)


if __name__ == "__main__":
    main()
