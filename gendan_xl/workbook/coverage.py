"""What a tracker that lacks a field or a sheet gives up: the lines ``gendan map`` prints for what is missing.

The checks skip what they cannot do without the data (each with one ``checks-skipped`` note, see
:mod:`gendan_xl.checks.coverage`); these texts tell the user, before anything runs, what adding a
column or a sheet would bring.
"""

from __future__ import annotations

__all__ = ["FIELD_COSTS", "SHEET_COSTS", "field_cost"]

_PACKING = ("无装箱资料 → 不算箱数、体积和柜型，装箱单缺数据", "no carton data → no cartons, volume or container, packing list lacks data")

FIELD_COSTS: dict[str, tuple[str, str]] = {
    "orders.customer": ("无客户 → 不能按客户比价，单证没有买方", "no customer → no price check per customer, no buyer on documents"),
    "orders.customer_po": ("无客户PO号 → 单证上没有客户订单号", "no customer PO → documents lack the buyer's order number"),
    "orders.contract_no": ("无合同号 → 单证用订单号编号", "no contract no. → documents are numbered by the order no."),
    "orders.order_date": ("无下单日期 → 比价不分先后", "no order date → earlier prices are not told from later ones"),
    "orders.currency": ("无币种 → 只能从单价表头判断币种，否则不比价、不算毛利",
                        "no currency → taken from a price header if it names one, else no price check and no margin"),
    "orders.incoterm": ("无贸易术语 → 比价不分 FOB/CIF", "no incoterm → prices are compared across incoterms"),
    "orders.pol": ("无起运港 → 订舱单、发票缺起运港", "no port of loading → booking note and invoice lack it"),
    "orders.pod": ("无目的港 → 订舱单、发票缺目的港", "no port of discharge → booking note and invoice lack it"),
    "orders.destination_country": ("无目的国 → 不检查产地证", "no destination country → no certificate-of-origin check"),
    "orders.payment_terms": ("无付款方式 → 不检查订金、尾款和放单", "no payment terms → no deposit, balance or release check"),
    "orders.deposit_pct": ("无订金比例 → 按付款方式中的比例", "no deposit % → the share in the payment terms is used"),
    "orders.deposit_date": ("无订金到账日 → 没有收款表时不检查“先收订金后下采购合同”",
                            "no deposit date → without a payments sheet, no deposit-before-purchase check"),
    "orders.deposit_amount": ("无订金金额 → 不核对订金金额", "no deposit amount → the deposit amount is not checked"),
    "orders.lc_date": ("无到证日 → 信用证订单不检查先到证后下单", "no L/C date → no L/C-before-purchase check"),
    "orders.delivery_date": ("无客户交期 → 不排截止日，不判断延误", "no delivery date → no deadlines, no late orders"),
    "orders.factory": ("无工厂 → 不做采购价检查，没有采购合同", "no factory → no purchase-price check, no purchase contract"),
    "orders.po_no": ("无采购合同号 → 采购合同用订单号编号", "no purchase contract no. → numbered by the order no."),
    "orders.po_issued": ("无采购合同下单日 → 不检查订金前下单和回签期限",
                         "no purchase contract date → no deposit-before-purchase or sign-back check"),
    "orders.po_signed": ("无回签日 → 回签期限一直显示未完成", "no sign-back date → the sign-back step always shows open"),
    "orders.factory_delivery_date": ("无工厂交期 → 不比较工厂交期和客户交期",
                                     "no factory date → factory and customer dates are not compared"),
    "orders.factory_confirmed": ("无工厂确认交期日 → 确认交期一步一直显示未完成",
                                 "no factory confirmation date → that step always shows open"),
    "orders.sample_approved": ("无产前样确认日 → 不跟踪产前样", "no sample approval date → samples are not followed"),
    "orders.inspection_required": ("无需商检 → 不排商检截止日", "no inspection flag → no inspection deadline"),
    "orders.etd": ("无预计开船日 → 产地证截止按客户交期", "no ETD → the C/O deadline follows the delivery date"),
    "orders.order_total": ("无订单金额 → 不核对订单总额", "no order total → the total is not checked against the lines"),
    "orders.status": ("无状态 → 是否出运只看出运表的提单", "no status → shipped only when the shipments sheet has a B/L"),
    "lines.description": ("无品名 → 单证没有品名", "no description → documents lack it"),
    "lines.spec": ("无规格 → 单证不写规格", "no specification → documents show none"),
    "lines.hs_code": ("无 HS 编码 → 报关、商检资料缺编码", "no HS code → customs and inspection data lack it"),
    "lines.unit": ("无单位 → 比价不分单位", "no unit → prices are compared regardless of unit"),
    "lines.amount": ("无金额 → 不核对 数量×单价＝金额", "no amount → qty × price = amount is not checked"),
    "lines.purchase_price": ("无采购单价 → 不做采购价检查，没有毛利", "no purchase price → no purchase-price check, no margin"),
    "lines.pcs_per_carton": _PACKING,
    "lines.carton_size": _PACKING,
    "lines.carton_l": _PACKING,
    "lines.gw_per_carton": _PACKING,
    "lines.nw_per_carton": ("无净重 → 装箱单缺净重", "no net weight → the packing list lacks it"),
    "lines.brand": ("无品牌 → 报关资料按无品牌", "no brand → customs data say no brand"),
    "price_history.customer": ("无客户 → 历史价格只作采购价参考", "no customer → history serves purchase prices only"),
    "price_history.unit_price": ("无售价 → 历史价格只作采购价参考", "no selling price → history serves purchase prices only"),
}

SHEET_COSTS: dict[str, tuple[str, str]] = {
    "price_history": ("无价格记录表 → 只和以前的订单比价", "no price history → prices are compared with earlier orders only"),
    "customers": ("无客户表 → 单证没有买方全称、地址、唛头", "no customers sheet → documents lack the buyer's name, address, marks"),
    "factories": ("无工厂表 → 采购合同没有工厂全称、地址、税号", "no factories sheet → purchase contracts lack the factory's details"),
    "shipments": ("无出运表 → 不检查订舱、商检、产地证期限和放单", "no shipments sheet → no booking, inspection, C/O or release checks"),
    "payments": ("无收款表 → 订金看订单上的订金列，不检查尾款", "no payments sheet → deposits from the order's columns, no balance check"),
    "samples": ("无样品表 → 不跟踪寄样和客户意见，产前样只看订单上的确认日",
                "no samples sheet → no sample follow-up; the PP sample from the order's approval date only"),
    "complaints": ("无客诉表 → 不跟踪客诉，没有工厂质量统计", "no complaints sheet → no complaint follow-up, no factory quality "
                                                     "statistics"),
    "changes": ("无改单记录表 → 改单不记录，不检查确认和取消后的遗留", "no change log → changes are not recorded, "
                                                           "confirmations and cancellations not checked"),
}


def field_cost(key: str) -> tuple[str, str]:
    """What a missing field costs, in Chinese and English (a plain "not read" for fields without a known cost)."""
    return FIELD_COSTS.get(key, ("不读取此项", "not read"))
