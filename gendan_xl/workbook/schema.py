"""The master order workbook (跟单总表): every sheet and column, in one place.

This module is the single source of truth for the workbook layout. The reader matches headers
against it, the template builder writes it, ``docs/workbook.md`` is generated from it, and the
write-back finds its status columns through it. Each column has a Chinese and an English name,
the aliases seen in real exporters' files, a type, whether it is required, and what it means.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from gendan_xl.lifecycle import (
    ASPECT_CHOICES,
    COMPLAINT_TYPE_CHOICES,
    PARTY_CHOICES,
    PP_CHOICES,
    RESOLUTION_CHOICES,
    SAMPLE_KIND_CHOICES,
    VERDICT_CHOICES,
)
from gendan_xl.models import (
    Change,
    Complaint,
    Customer,
    DocumentRecord,
    Factory,
    Order,
    OrderLine,
    Payment,
    PriceRecord,
    RowModel,
    Sample,
    Shipment,
)
from gendan_xl.vocab import (
    CERTIFICATE_CHOICES,
    COMMON_CURRENCIES,
    INCOTERMS,
    PAYMENT_TERM_CHOICES,
    STATUS_CHOICES,
    UNIT_CHOICES,
)

__all__ = [
    "DOCUMENT_LOG",
    "LINE_CHECK",
    "LOG_SHEET",
    "ORDER_SHEETS",
    "ROW_SHEETS",
    "SHEETS",
    "STATUS_COLUMNS",
    "Column",
    "ColumnType",
    "SheetSpec",
    "StatusColumn",
    "sheet_spec",
]


class ColumnType(StrEnum):
    """How a cell's value is parsed."""

    TEXT = "text"  # free text
    CODE = "code"  # an identifier kept as text: order no., item no., HS code (never 9403609990.0)
    INTEGER = "integer"
    DECIMAL = "decimal"  # exact decimal (money, quantities, sizes, weights)
    PERCENT = "percent"  # 30%, 0.3 → Decimal("0.3")
    DATE = "date"  # Excel date or text date
    BOOL = "bool"  # 是/否, Y/N, yes/no
    CURRENCY = "currency"  # ISO 4217
    INCOTERM = "incoterm"  # Incoterms 2020
    UNIT = "unit"  # PCS, SETS …
    STATUS = "status"  # order status
    COUNTRY = "country"  # ISO 3166 alpha-2
    PAYMENT_TERMS = "payment_terms"  # free text, classified later
    DIMENSIONS = "dimensions"  # carton size in one cell: 29*21*12


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet: names, aliases, type, and how the template presents it."""

    field: str
    zh: str
    en: str
    type: ColumnType
    meaning: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    width: float = 14
    input_message: str = ""

    @property
    def header(self) -> str:
        """The header the template writes: Chinese, a line break, English."""
        return f"{self.zh}\n{self.en}"

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the reader accepts for this column."""
        return (self.zh, self.en, self.header, *self.aliases)


@dataclass(frozen=True, slots=True)
class StatusColumn:
    """A column gendan_xl writes (and owns) in the user's workbook."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    width: float = 16

    @property
    def header(self) -> str:
        """The header gendan_xl writes when it adds the column."""
        return f"{self.zh}\n{self.en}"

    @property
    def names(self) -> tuple[str, ...]:
        """Every header under which an existing status column is recognised."""
        return (self.zh, self.en, self.header, *self.aliases)


@dataclass(frozen=True, slots=True)
class SheetSpec:
    """One sheet of the master workbook."""

    key: str
    zh: str
    en: str
    meaning: str
    columns: tuple[Column, ...]
    required: bool = False
    aliases: tuple[str, ...] = ()
    status_columns: tuple[StatusColumn, ...] = field(default=())
    model: type[RowModel] | None = None  # the model of one row; None for a key/value sheet (settings)

    @property
    def title(self) -> str:
        """The sheet name the template uses."""
        return self.zh

    @property
    def names(self) -> tuple[str, ...]:
        """Every sheet name the reader accepts."""
        return (self.zh, self.en, f"{self.zh} {self.en}", f"{self.zh}{self.en}", *self.aliases)

    def column(self, field_name: str) -> Column:
        """The column for a model field; KeyError if the sheet has none."""
        for column in self.columns:
            if column.field == field_name:
                return column
        raise KeyError(field_name)

    @property
    def required_columns(self) -> Iterator[Column]:
        """The columns without which the sheet cannot be read."""
        return (c for c in self.columns if c.required)


T = ColumnType
C = Column

_ORDER_NO = C("order_no", "订单号", "Order No.", T.CODE, "Our order number; one row per order, unique.",
              required=True, aliases=("订单编号", "订单号码", "外销合同号", "Order Number", "Order #", "SO No.",
                                      "Sales Order", "销售订单号", "单号", "受注番号", "注文番号", "주문번호", "수주번호"),
              width=14,
              input_message="每个订单一行，订单号不能重复 / One row per order; order numbers are unique")
_CUSTOMER = C("customer", "客户", "Customer", T.TEXT, "Customer code or short name, as on the 客户 sheet.",
              required=True, aliases=("客户名称", "客户代码", "客户简称", "Customer Name", "Buyer", "买方", "Client", "客人",
                                 "得意先", "顧客", "고객", "거래처", "Sold-to Party", "Sold To"),
              width=16)
_ITEM_NO = C("item_no", "货号", "Item No.", T.CODE, "Our item/model number; the key of price history.",
             required=True, aliases=("型号", "款号", "产品编号", "产品型号", "料号", "品号", "Model No.", "Model",
                                     "Part Number", "Part No.", "Article No.", "Art. No.", "Style No.", "SKU",
                                     "Item", "Item Code", "Product Code", "Product No.", "品番", "品目コード", "품번",
                                     "품목코드", "Material No."), width=12)
_CURRENCY = C("currency", "币种", "Currency", T.CURRENCY, "ISO 4217 code (USD, EUR, CNY …).",
              aliases=("币别", "货币", "Curr.", "Ccy", "通貨", "통화"), choices=COMMON_CURRENCIES, width=8)
_INCOTERM = C("incoterm", "贸易术语", "Incoterm", T.INCOTERM, "One of the 11 Incoterms 2020 (FOB, CIF …).",
              aliases=("价格条款", "成交方式", "Trade Term", "Trade Terms", "Price Term", "Terms of Delivery"),
              choices=INCOTERMS, width=9)
_UNIT = C("unit", "单位", "Unit", T.UNIT, "Unit of quantity (PCS, SETS, PAIRS …).",
          aliases=("计量单位", "UOM", "(PCS)", "Units", "単位", "단위"), choices=UNIT_CHOICES, width=8)
_UNIT_PRICE = C("unit_price", "单价", "Unit Price", T.DECIMAL, "Selling price per unit, in the order currency.",
                required=True, aliases=("售价", "销售单价", "外销单价", "FOB单价", "CIF单价", "Price", "U/Price",
                                        "Unit Price (USD)", "Sales Price", "単価", "단가", "Net Price"), width=11)
_PURCHASE_PRICE = C("purchase_price", "采购单价", "Purchase Price", T.DECIMAL,
                    "Factory price per unit (usually CNY incl. VAT).",
                    aliases=("采购价", "工厂价", "进价", "收购单价", "Cost", "Cost Price", "Factory Price",
                             "Purchase Unit Price", "仕入単価", "매입단가"), width=11)
_CONTRACT_NO = C("contract_no", "合同号", "Contract No.", T.CODE, "Sales contract / PI number.",
                 aliases=("销售合同号", "合同编号", "PI No.", "PI Number", "S/C No.", "Contract Number",
                          "Proforma Invoice No.", "合约号", "契約番号", "계약번호"), width=14)
_FACTORY = C("factory", "工厂", "Factory", T.TEXT, "Factory code or short name, as on the 工厂 sheet.",
             aliases=("供应商", "生产厂家", "工厂名称", "Supplier", "Manufacturer", "Vendor", "生产工厂", "仕入先",
                      "공급업체", "공급사"), width=14)
_REMARKS = C("remarks", "备注", "Remarks", T.TEXT, "Free notes.", aliases=("说明", "Remark", "Notes", "Note",
                                                                           "Comments"), width=24)


def _order_ref(meaning: str, *, required: bool = True, sales_order_alias: bool = True) -> Column:
    # On the shipments sheet "S/O No." is the carrier's shipping order (booking), not a sales order.
    so = ("SO No.",) if sales_order_alias else ()
    return C("order_no", "订单号", "Order No.", T.CODE, meaning, required=required,
             aliases=("订单编号", "订单号码", "外销合同号", "Order Number", "Order #", *so, "销售订单号", "单号"))


ORDERS = SheetSpec(
    "orders", "订单", "Orders", "One row per export order: who, what terms, which factory, which dates.",
    required=True, aliases=("订单表", "订单汇总", "订单总表", "跟单总表", "Order List", "Order"),
    columns=(
        _ORDER_NO,
        _CUSTOMER,
        C("customer_po", "客户PO号", "Customer PO", T.CODE, "The customer's own purchase order number.",
          aliases=("客户订单号", "客人PO", "PO号", "PO No.", "P.O. No.", "Customer PO No.", "Buyer PO"), width=14),
        _CONTRACT_NO,
        C("order_date", "下单日期", "Order Date", T.DATE, "Date the order was received/confirmed.",
          aliases=("接单日期", "订单日期", "合同日期", "Date", "PO Date", "Contract Date", "受注日", "주문일"), width=11),
        _CURRENCY,
        _INCOTERM,
        C("incoterm_place", "指定地点", "Named Place", T.TEXT, "The incoterm's named place (FOB Ningbo → Ningbo).",
          aliases=("术语地点", "交货地点", "Incoterm Place", "Place"), width=11),
        C("pol", "起运港", "POL", T.TEXT, "Port of loading.",
          aliases=("装运港", "装货港", "Port of Loading", "Loading Port", "From"), width=11),
        C("pod", "目的港", "POD", T.TEXT, "Port of discharge / destination port.",
          aliases=("卸货港", "Port of Discharge", "Destination Port", "Port of Destination", "To"), width=12),
        C("destination_country", "目的国", "Destination Country", T.COUNTRY,
          "Country of destination (name in Chinese/English or ISO code); decides the certificate of origin.",
          aliases=("目的国家", "国家", "抵运国", "Country", "Destination", "Country of Destination"), width=12),
        C("payment_terms", "付款方式", "Payment Terms", T.PAYMENT_TERMS,
          "How the customer pays; decides when the purchase contract may be issued.",
          aliases=("付款条件", "结算方式", "收款方式", "Payment", "Terms of Payment", "Payment Term", "支払条件",
                   "결제조건"),
          choices=PAYMENT_TERM_CHOICES, width=24,
          input_message="定金比例写在订金比例列 / Put the deposit share in the Deposit % column"),
        C("deposit_pct", "订金比例", "Deposit %", T.PERCENT, "Deposit share of the order total (30% or 0.3).",
          aliases=("定金比例", "预付比例", "Deposit Percent", "Deposit Rate", "Deposit"), width=9),
        C("deposit_date", "订金到账日", "Deposit Received", T.DATE, "Date the deposit (订金) arrived.",
          aliases=("定金到账日", "订金到账日期", "定金到账日期", "订金日期", "Deposit Date", "Deposit Received Date"),
          width=11),
        C("deposit_amount", "订金到账金额", "Deposit Amount", T.DECIMAL, "Deposit amount received.",
          aliases=("定金到账金额", "订金金额", "定金金额", "Deposit Received Amount"), width=12),
        C("lc_date", "信用证到证日", "L/C Received", T.DATE, "Date the L/C was received and checked (L/C terms).",
          aliases=("到证日期", "信用证日期", "L/C Date", "LC Received"), width=11),
        C("delivery_date", "客户交期", "Delivery Date", T.DATE,
          "Delivery date promised to the customer (latest shipment date).",
          aliases=("交货期", "交期", "出货日期", "船期", "Customer Delivery Date", "Ship Date", "Shipment Date",
                   "Latest Shipment Date", "Delivery", "客人交期", "客户交货期", "納期", "납기", "납기일"), width=11,
          input_message="答应客户的最迟出货日 / Latest shipment date promised to the customer"),
        _FACTORY,
        C("po_no", "采购合同号", "Purchase Contract No.", T.CODE, "Our purchase contract number to the factory.",
          aliases=("购货合同号", "采购单号", "采购订单号", "Purchase Order No.", "PC No.", "Factory PO"), width=14),
        C("po_issued", "采购合同下单日", "PC Issued", T.DATE, "Date the purchase contract went to the factory.",
          aliases=("采购合同日期", "采购下单日", "下单工厂日期", "Purchase Contract Date", "PC Date",
                   "Purchase Contract Issued", "下单给工厂日期", "工厂下单日"), width=11),
        C("po_signed", "采购合同回签日", "PC Signed Back", T.DATE, "Date the factory signed the contract back.",
          aliases=("回签日期", "工厂回签日", "PC Signed", "Signed Back"), width=11),
        C("factory_delivery_date", "工厂交期", "Factory Delivery Date", T.DATE,
          "Date the factory promised the goods ready.",
          aliases=("工厂交货期", "工厂出货日", "Factory Date", "Factory Ready Date", "Ex-factory Date"), width=11),
        C("factory_confirmed", "工厂确认交期日", "Factory Confirmed", T.DATE,
          "Date the factory re-confirmed the delivery (≈10 days before).",
          aliases=("交期确认日", "确认交期日", "Factory Confirmation"), width=11),
        C("sample_approved", "产前样确认日", "Sample Approved", T.DATE, "Date the customer approved the sample.",
          aliases=("样品确认日", "确认样日期", "Sample Approval", "PP Sample Approved"), width=11),
        C("inspection_required", "需商检", "Inspection Required", T.BOOL,
          "Whether the goods need commodity inspection (法检).",
          aliases=("法检", "是否商检", "是否法检", "商检", "Inspection"), choices=("是", "否"), width=8),
        C("etd", "预计开船日", "ETD", T.DATE, "Planned sailing date.",
          aliases=("开船日", "开船日期", "船期ETD", "Est. Departure"), width=11),
        C("order_total", "订单金额", "Order Total", T.DECIMAL, "Order total as agreed; checked against the lines.",
          aliases=("合同金额", "总金额", "订单总额", "Total Amount", "Contract Amount", "Total"), width=12),
        C("status", "状态", "Status", T.STATUS, "Where the order stands (新单 … 已出运 … 已取消).",
          aliases=("订单状态", "进度", "Order Status"), choices=STATUS_CHOICES, width=14),
        C("merchandiser", "跟单员", "Merchandiser", T.TEXT, "Who follows this order.",
          aliases=("跟单", "业务员", "负责人", "Sales", "Owner"), width=9),
        C("lc_latest_shipment", "信用证最迟装运日", "L/C Latest Shipment", T.DATE,
          "The L/C's latest date of shipment (field 44C): the B/L may not be dated later.",
          aliases=("最迟装运日", "最迟装船日", "L/C Latest Shipment Date", "LC Latest Shipment",
                   "Latest Date of Shipment"), width=18),
        C("lc_expiry", "信用证有效期", "L/C Expiry", T.DATE,
          "The L/C's expiry date (field 31D): documents must be presented by then.",
          aliases=("信用证到期日", "信用证效期", "L/C Expiry Date", "LC Expiry", "Date of Expiry"), width=11),
        C("lc_presentation_days", "交单期(天)", "Presentation Days", T.INTEGER,
          "Days after the B/L date to present the documents, when the L/C says (field 48); else the setting (21).",
          aliases=("交单期", "交单天数", "Presentation Period", "Presentation Period (days)", "Period for Presentation"),
          width=16),
        C("pp_sample", "产前样要求", "PP Sample", T.TEXT,
          "Whether bulk production (大货前确认) or even the purchase contract (下单前确认) waits for the customer's "
          "approval of a pre-production sample; empty: the customer's default, else required when a PP sample is "
          "on the 样品 sheet.",
          aliases=("需产前样", "是否需要产前样", "产前样确认要求", "PP Sample Required", "PP Required", "PPS Required"),
          choices=PP_CHOICES, width=12,
          input_message="客户要先确认产前样才能开大货（或下采购合同）？/ Must the customer approve a PP sample before "
                        "bulk (or before the purchase contract)?"),
        _REMARKS,
    ),
    status_columns=(
        StatusColumn("price_check", "价格检查", "Price Check", ("审价",)),
        StatusColumn("amount_check", "金额检查", "Amount Check", ("审金额",)),
        StatusColumn("delivery_status", "交期状态", "Delivery Status", ("交期检查",)),
        StatusColumn("next_action", "下一步", "Next Action", ("待办",), width=28),
        StatusColumn("deadline", "截止日期", "Deadline", ("待办截止",), width=11),
        StatusColumn("checked_on", "检查日期", "Checked On", ("gendan检查日",), width=11),
    ),
    model=Order,
)

LINES = SheetSpec(
    "lines", "订单明细", "Order Lines", "One row per item of an order: quantity, prices, packing.",
    required=True, aliases=("明细", "订单明细表", "产品明细", "Order Details", "Lines", "Items", "Details"),
    columns=(
        _order_ref("The order this line belongs to (订单 sheet)."),
        _ITEM_NO,
        C("description", "品名", "Description", T.TEXT, "Description of goods as on the invoice.",
          aliases=("英文品名", "中文品名", "报关中文品名", "产品名称", "货物描述", "品名规格", "Commodity",
                   "Description of Goods", "Commodity Description", "Product Name", "Goods", "品目名", "商品名", "품명",
                   "품목명"), width=28),
        C("spec", "规格", "Specification", T.TEXT, "Size, material, colour, packing details.",
          aliases=("规格型号", "尺寸", "颜色", "Spec", "Specs", "Size", "Specifications"), width=18),
        C("hs_code", "HS编码", "HS Code", T.CODE, "10-digit Chinese HS code (kept as text).",
          aliases=("海关编码", "商品编码", "税号", "H.S. Code", "HScode", "HS No.", "Tariff Code"), width=12),
        C("qty", "数量", "Quantity", T.DECIMAL, "Quantity in the line's unit.", required=True,
          aliases=("订单数量", "Qty", "Q'TY", "Quantities", "Order Qty", "수량", "Order Quantity"), width=9),
        _UNIT,
        _UNIT_PRICE,
        C("amount", "金额", "Amount", T.DECIMAL, "Line amount = quantity × unit price (checked).",
          aliases=("总价", "销售金额", "外销金额", "Total Amount", "Line Amount", "Total Price", "Value", "金額", "금액",
                   "Net Value"), width=12),
        _PURCHASE_PRICE,
        C("pcs_per_carton", "装箱量", "Pcs/Carton", T.INTEGER, "Units per export carton.",
          aliases=("件箱系数", "每箱数量", "外箱装量", "箱装数", "入数", "Pcs/Ctn", "PCS/CTN", "Qty/Ctn",
                   "Qty per Carton", "Packing"), width=9),
        C("carton_size", "外箱尺寸", "Carton Size (cm)", T.DIMENSIONS,
          "Carton size in one cell, L×W×H in cm (29*21*12); alternative to the three columns.",
          aliases=("外箱规格", "箱规", "纸箱尺寸", "Carton Size", "Carton Dimension", "Meas. (cm)", "CTN Size"),
          width=12),
        C("carton_l", "外箱长(cm)", "Carton L (cm)", T.DECIMAL, "Carton length, cm.",
          aliases=("长", "长(L)", "箱长", "L", "Length", "Carton Length"), width=8),
        C("carton_w", "外箱宽(cm)", "Carton W (cm)", T.DECIMAL, "Carton width, cm.",
          aliases=("宽", "宽(W)", "箱宽", "W", "Width", "Carton Width"), width=8),
        C("carton_h", "外箱高(cm)", "Carton H (cm)", T.DECIMAL, "Carton height, cm.",
          aliases=("高", "高(H)", "箱高", "H", "Height", "Carton Height"), width=8),
        C("nw_per_carton", "每箱净重(kg)", "N.W./Carton (kg)", T.DECIMAL, "Net weight per carton, kg.",
          aliases=("净重", "单箱净重", "N.W.", "N.W.(KGS)", "NW", "Net Weight", "N.W. per Carton"), width=9),
        C("gw_per_carton", "每箱毛重(kg)", "G.W./Carton (kg)", T.DECIMAL, "Gross weight per carton, kg.",
          aliases=("毛重", "单箱毛重", "G.W.", "G.W.(KGS)", "GW", "Gross Weight", "G.W. per Carton"), width=9),
        C("brand", "品牌", "Brand", T.TEXT, "Brand (for 申报要素: brand type).",
          aliases=("品牌名称", "Brand Name", "Trademark"), width=10),
        C("origin_criterion", "原产地标准", "Origin Criterion", T.TEXT,
          "Origin criterion for the certificate of origin application: P / W (non-preferential C/O), WO, PE, RVC, "
          "CTH, PSR … (FTA certificates).", aliases=("原产地标准代码", "Origin Criteria", "Criterion"), width=10),
        _REMARKS,
    ),
    status_columns=(
        StatusColumn("price_check", "价格检查", "Price Check", ("审价",)),
        StatusColumn("amount_check", "金额检查", "Amount Check", ("审金额",)),
    ),
    model=OrderLine,
)

PRICE_HISTORY = SheetSpec(
    "price_history", "价格记录", "Price History",
    "Confirmed prices of earlier contracts: the reference for the price check (审单).",
    aliases=("历史价格", "价格表", "报价记录", "Prices", "Price List", "Price Records", "以往成交价", "历史成交价",
             "成交价", "成交记录"),
    columns=(
        C("customer", "客户", "Customer", T.TEXT, "Customer the price was confirmed with (empty: purchase price).",
          aliases=("客户名称", "Customer Name", "Buyer", "Client")),
        _FACTORY,
        _ITEM_NO,
        _CURRENCY,
        _INCOTERM,
        _UNIT,
        C("unit_price", "单价", "Unit Price", T.DECIMAL, "Confirmed selling price.",
          aliases=("售价", "销售单价", "确认单价", "Price", "Sales Price", "Confirmed Price")),
        _PURCHASE_PRICE,
        _CONTRACT_NO,
        C("contract_date", "合同日期", "Contract Date", T.DATE, "Date of that contract / confirmation.",
          required=True, aliases=("日期", "确认日期", "下单日期", "Date", "Order Date", "Confirmed On")),
        _REMARKS,
    ),
    model=PriceRecord,
)

CUSTOMERS = SheetSpec(
    "customers", "客户", "Customers", "Customer master data used on documents.",
    aliases=("客户资料", "客户表", "Customer", "Buyers", "Clients"),
    columns=(
        C("code", "客户", "Customer", T.TEXT, "Code or short name used on the 订单 sheet.", required=True,
          aliases=("客户代码", "客户简称", "客户名称", "Customer Code", "Code", "Short Name")),
        C("name", "客户全称", "Full Name", T.TEXT, "Legal name for documents.",
          aliases=("公司名称", "Company", "Company Name", "Customer Full Name"), width=28),
        C("country", "国家", "Country", T.COUNTRY, "Customer's country.", aliases=("国别", "Nation")),
        C("address", "地址", "Address", T.TEXT, "Address for documents.", aliases=("公司地址",), width=36),
        C("contact", "联系人", "Contact", T.TEXT, "Contact person.", aliases=("Attn", "Contact Person")),
        C("email", "邮箱", "Email", T.TEXT, "E-mail.", aliases=("电子邮件", "E-mail", "Mail"), width=22),
        C("phone", "电话", "Phone", T.TEXT, "Phone.", aliases=("Tel", "Telephone")),
        C("consignee", "收货人", "Consignee", T.TEXT, "Consignee on B/L and booking (default: full name).",
          aliases=("Consignee Name",), width=28),
        C("notify_party", "通知人", "Notify Party", T.TEXT, "Notify party (default: same as consignee).",
          aliases=("Notify",), width=28),
        C("marks", "唛头", "Shipping Marks", T.TEXT, "Shipping marks for cartons and documents.",
          aliases=("Marks", "Marks & Nos.", "Main Mark"), width=20),
        C("payment_terms", "默认付款方式", "Default Payment Terms", T.PAYMENT_TERMS, "Usual terms.",
          aliases=("付款方式", "Payment Terms")),
        C("co_type", "默认产地证", "Default C/O", T.TEXT,
          "The certificate of origin this customer asks for (C/O, Form E, RCEP …); plans the C/O step of its orders.",
          aliases=("产地证", "产地证类型", "C/O Type", "Certificate of Origin"), choices=CERTIFICATE_CHOICES),
        C("currency", "默认币种", "Default Currency", T.CURRENCY, "Usual currency.", aliases=("币种", "Currency"),
          choices=COMMON_CURRENCIES),
        C("doc_grouping", "合并单证分组", "Shipment Docs Grouping", T.TEXT,
          "How the invoice and packing list of a consolidated shipment (several orders) group the lines: 按订单 "
          "(by our order, the default), 按客户PO (by the customer's PO no.), 不分组 (one list).",
          aliases=("单证分组", "分组方式", "Group Lines By", "Grouping"),
          choices=("按订单 By order", "按客户PO By PO", "不分组 None"), width=14),
        C("pp_sample", "默认产前样要求", "Default PP Sample", T.TEXT,
          "Whether this customer's orders wait for a pre-production sample approval (an order's own 产前样要求 wins).",
          aliases=("产前样要求", "需产前样", "PP Sample Required", "PP Sample"), choices=PP_CHOICES, width=12),
    ),
    model=Customer,
)

FACTORIES = SheetSpec(
    "factories", "工厂", "Factories", "Factory (supplier) master data for purchase contracts.",
    aliases=("工厂资料", "供应商", "供应商资料", "Suppliers", "Factory", "Vendors"),
    columns=(
        C("code", "工厂", "Factory", T.TEXT, "Code or short name used on the 订单 sheet.", required=True,
          aliases=("工厂代码", "工厂简称", "工厂名称", "供应商", "Supplier", "Factory Code", "Code")),
        C("name", "工厂全称", "Full Name", T.TEXT, "Legal name for the purchase contract.",
          aliases=("公司名称", "Company Name", "供应商全称"), width=28),
        C("address", "地址", "Address", T.TEXT, "Address.", aliases=("工厂地址",), width=36),
        C("contact", "联系人", "Contact", T.TEXT, "Contact person.", aliases=("Contact Person",)),
        C("phone", "电话", "Phone", T.TEXT, "Phone.", aliases=("Tel", "手机")),
        C("tax_id", "税号", "Tax ID", T.CODE, "Unified social credit code (for VAT invoices).",
          aliases=("纳税人识别号", "统一社会信用代码", "Tax No.")),
        C("bank", "开户行及账号", "Bank Account", T.TEXT, "Bank and account for payments.",
          aliases=("开户行", "银行账号", "Bank"), width=30),
    ),
    model=Factory,
)

SHIPMENTS = SheetSpec(
    "shipments", "出运", "Shipments",
    "One row per order per shipment: booking, container, B/L, inspection and certificate of origin.",
    aliases=("出运记录", "出货", "出货记录", "订舱", "Shipping", "Shipment"),
    columns=(
        C("shipment_no", "出运编号", "Shipment No.", T.CODE, "Our shipment / invoice number.", required=True,
          aliases=("发票号", "出货编号", "Invoice No.", "Shipment ID"), width=14),
        _order_ref("The order shipped (several rows for a consolidated shipment).", sales_order_alias=False),
        C("booking_no", "订舱号", "Booking No.", T.CODE, "Carrier's booking / S/O number.",
          aliases=("S/O No.", "SO No", "Booking Number")),
        C("forwarder", "货代", "Forwarder", T.TEXT, "Freight forwarder (货代).", aliases=("货代公司", "Freight Forwarder")),
        C("booking_date", "订舱日", "Booking Date", T.DATE, "Date space was booked.", aliases=("订舱日期",)),
        C("container_type", "柜型", "Container Type", T.TEXT, "20GP / 40GP / 40HQ / LCL.",
          aliases=("箱型", "Container"), choices=("20GP", "40GP", "40HQ", "LCL"), width=9),
        C("container_no", "柜号", "Container No.", T.CODE, "Container number.", aliases=("箱号", "Cntr No.")),
        C("seal_no", "封号", "Seal No.", T.CODE, "Seal number.", aliases=("铅封号", "Seal")),
        C("loading_date", "装柜日", "Loading Date", T.DATE, "Date the container was loaded (拖车/装柜).",
          aliases=("装柜日期", "拖车日期")),
        C("etd", "开船日", "ETD", T.DATE, "Sailing date (estimated, then actual).",
          aliases=("开船日期", "船期", "Sailing Date", "On Board Date")),
        C("eta", "到港日", "ETA", T.DATE, "Arrival at the port of discharge.", aliases=("到港日期", "Arrival Date")),
        C("vessel", "船名航次", "Vessel/Voyage", T.TEXT, "Vessel and voyage.", aliases=("船名", "Vessel")),
        C("bl_no", "提单号", "B/L No.", T.CODE, "Bill of lading number.", aliases=("B/L", "BL No.", "Bill of Lading")),
        C("bl_date", "提单日", "B/L Date", T.DATE, "B/L date (on board).", aliases=("提单日期",)),
        C("bl_released", "放单日", "B/L Released", T.DATE, "Date the B/L was released (original or telex).",
          aliases=("放单日期", "电放日", "Telex Release Date", "B/L Release Date")),
        C("documents_presented", "交单日", "Documents Presented", T.DATE,
          "Date the documents were presented to the bank (L/C) or sent for collection (D/P, D/A, CAD).",
          aliases=("交单日期", "寄单日", "寄单日期", "Documents Sent", "Docs Presented", "Presentation Date"), width=18),
        C("documents_accepted", "承兑日", "Documents Accepted", T.DATE,
          "D/A: date the buyer accepted the draft (the collecting bank's advice).",
          aliases=("承兑日期", "Acceptance Date", "Accepted On"), width=17),
        C("maturity_date", "付款到期日", "Maturity", T.DATE,
          "D/A or usance: the date the accepted draft falls due (from the acceptance advice).",
          aliases=("汇票到期日", "Maturity Date", "Draft Maturity")),
        C("invoice_amount", "出运金额", "Shipped Amount", T.DECIMAL, "Invoice value of this shipment.",
          aliases=("发票金额", "Invoice Amount", "Shipment Amount")),
        C("shipped_qty", "出运数量", "Shipped Qty", T.DECIMAL,
          "Quantity shipped, in the unit of the inspection record (for records that cover several shipments).",
          aliases=("出货数量", "发货数量", "Shipped Quantity", "Qty Shipped")),
        C("inspection_applied", "报检日", "Inspection Applied", T.DATE, "Date commodity inspection was applied for.",
          aliases=("报检日期", "商检申请日")),
        C("inspection_no", "电子底账号", "Inspection Record No.", T.CODE,
          "The inspection record (电子底账) number that goes on the customs declaration; one record may serve "
          "several partial shipments.",
          aliases=("电子底账数据号", "底账号", "商检单号", "换证凭条号", "Inspection No.")),
        C("inspection_date", "底账日期", "Record Date", T.DATE, "Date the inspection record was issued.",
          aliases=("商检日期", "出证日期", "凭条日期", "Inspection Date")),
        C("inspection_valid_until", "底账有效期", "Record Valid Until", T.DATE,
          "The validity date on the record; when empty, the record date plus `商检有效期(天)` (60).",
          aliases=("底账有效期至", "商检有效期至", "Valid Until", "Inspection Valid Until"), width=17),
        C("inspection_amount", "底账金额", "Record Amount", T.DECIMAL,
          "Amount on the inspection record; all shipments on it together may not exceed it.",
          aliases=("商检金额", "凭条金额", "Inspection Amount", "Voucher Amount")),
        C("inspection_qty", "底账数量", "Record Qty", T.DECIMAL,
          "Quantity on the inspection record; all shipments on it together may not exceed it.",
          aliases=("商检数量", "Inspection Quantity", "Record Quantity")),
        C("co_type", "产地证类型", "C/O Type", T.TEXT,
          "Certificate of origin planned for this shipment (C/O, Form E, RCEP …); must fit the destination.",
          aliases=("产地证", "Certificate Type", "C/O"), choices=CERTIFICATE_CHOICES),
        C("co_applied", "产地证申请日", "C/O Applied", T.DATE, "Date the certificate was applied for.",
          aliases=("产地证日期",)),
        C("co_no", "产地证号", "C/O No.", T.CODE, "Certificate number.", aliases=("Certificate No.",)),
        C("declaration_no", "报关单号", "Customs Declaration No.", T.CODE, "Customs declaration number.",
          aliases=("报关单编号", "Declaration No.")),
        C("declaration_date", "报关日", "Declaration Date", T.DATE, "Customs declaration date.", aliases=("报关日期",)),
        _REMARKS,
    ),
    model=Shipment,
)

PAYMENTS = SheetSpec(
    "payments", "收款", "Payments", "Money received from customers (收汇): deposits, balances, full payments.",
    aliases=("收款记录", "收汇", "收汇记录", "到账", "Payment", "Receipts", "Collections"),
    columns=(
        _order_ref("The order paid for."),
        C("date", "收款日", "Date", T.DATE, "Date the money arrived.", required=True,
          aliases=("到账日", "到账日期", "收款日期", "收汇日期", "Received Date", "Payment Date")),
        C("amount", "金额", "Amount", T.DECIMAL, "Amount credited to our account (after the banks' charges).",
          required=True, aliases=("收款金额", "到账金额", "Received Amount", "Payment Amount")),
        C("bank_charges", "银行费用", "Bank Charges", T.DECIMAL,
          "Charges the banks deducted from this remittance, when the bank advice shows them; they count as paid.",
          aliases=("银行手续费", "手续费", "扣费", "Charges", "Bank Fee", "Bank Fees")),
        C("currency", "币种", "Currency", T.CURRENCY, "Currency received.", aliases=("币别", "Ccy"),
          choices=COMMON_CURRENCIES),
        C("kind", "款项", "Kind", T.TEXT, "订金 deposit / 尾款 balance / 全款 full / 信用证 L/C.",
          aliases=("款项类型", "类型", "Type", "Payment Type"), choices=("订金 Deposit", "尾款 Balance", "全款 Full")),
        C("reference", "银行水单号", "Bank Reference", T.TEXT, "Bank slip / reference.", aliases=("水单号", "Ref.")),
        _REMARKS,
    ),
    model=Payment,
)

_OPTIONAL_ITEM = C("item_no", "货号", "Item No.", T.CODE, "The item concerned (empty: the whole order).",
                   aliases=_ITEM_NO.aliases, width=12)

SAMPLES = SheetSpec(
    "samples", "样品", "Samples",
    "One row per sample sent to the customer: pre-production (产前样), shipping (船样) or approval (确认样) sample, "
    "the courier, and the customer's verdict.",
    aliases=("样品记录", "寄样记录", "样品跟踪", "寄样", "Sample Log", "Sample Tracking", "Sample"),
    columns=(
        C("sample_no", "样品编号", "Sample No.", T.CODE, "Our number for the sample (one row per sample sent).",
          aliases=("样品号", "寄样编号", "样品单号", "编号", "Sample Number", "Sample ID", "Sample #"), width=12),
        _order_ref("The order the sample is for."),
        _OPTIONAL_ITEM,
        C("kind", "样品类型", "Sample Kind", T.TEXT,
          "产前样 PP (before bulk), 船样 Shipping (from the finished goods) or 确认样 Approval (development sample).",
          aliases=("样品种类", "类型", "Sample Type", "Type", "Kind"), choices=SAMPLE_KIND_CHOICES, width=13),
        C("sent_date", "寄出日", "Sent Date", T.DATE, "Date the sample left by courier.",
          aliases=("寄样日", "寄样日期", "寄出日期", "Sent", "Date Sent", "Dispatch Date", "Sent On"), width=11),
        C("courier", "快递公司", "Courier", T.TEXT, "DHL, FedEx, UPS, SF …",
          aliases=("快递", "Express", "Courier Company"), width=10),
        C("tracking_no", "快递单号", "Tracking No.", T.CODE, "The courier's waybill number.",
          aliases=("运单号", "快递号", "AWB", "AWB No.", "Tracking Number", "Waybill No."), width=16),
        C("verdict", "客户意见", "Verdict", T.TEXT,
          "通过 Approved, 修改后通过 Approved with comments, 不通过 Rejected; empty while the customer has not said.",
          aliases=("确认结果", "客户确认", "样品结果", "结果", "Customer Verdict", "Result", "Approval Result"),
          choices=VERDICT_CHOICES, width=14),
        C("verdict_date", "确认日", "Verdict Date", T.DATE, "Date of the customer's verdict.",
          aliases=("确认日期", "客户确认日", "回复日期", "Approval Date", "Reply Date", "Approved On"), width=11),
        C("comments", "客户评语", "Comments", T.TEXT, "The customer's comments on the sample, what to change.",
          aliases=("修改意见", "评语", "意见", "备注", "Customer Comments", "Remarks", "Notes"), width=30),
    ),
    model=Sample,
)

COMPLAINTS = SheetSpec(
    "complaints", "客诉", "Complaints",
    "One row per customer complaint (客诉): the order and item, what went wrong, the factory responsible, how it "
    "was settled, the claim, and when it was closed.",
    aliases=("客诉记录", "客户投诉", "投诉记录", "售后记录", "Customer Complaints", "Claims", "Complaint", "Complaint Log"),
    columns=(
        C("complaint_no", "客诉编号", "Complaint No.", T.CODE, "Our number for the complaint.",
          aliases=("投诉编号", "客诉号", "Claim No.", "Complaint #", "Case No."), width=12),
        _order_ref("The order complained about."),
        _OPTIONAL_ITEM,
        C("complaint_date", "投诉日", "Complaint Date", T.DATE, "Date the customer complained.", required=True,
          aliases=("投诉日期", "客诉日期", "日期", "Date", "Date Received", "Claim Date"), width=11),
        C("complaint_type", "客诉类型", "Type", T.TEXT,
          "质量 Quality, 数量 Quantity, 包装 Packing, 交期 Delay, 单证 Documents or 其他 Other.",
          aliases=("问题类型", "投诉类型", "类型", "Complaint Type", "Issue Type", "Category"),
          choices=COMPLAINT_TYPE_CHOICES, width=11),
        C("description", "问题描述", "Description", T.TEXT, "What the customer found.",
          aliases=("描述", "投诉内容", "问题", "Issue", "Problem", "Details"), width=36),
        C("factory", "责任工厂", "Responsible Factory", T.TEXT,
          "The factory responsible (empty: the order's factory); feeds the factory quality statistics.",
          aliases=("责任方", "工厂", "Factory", "Supplier", "Responsible"), width=13),
        C("resolution", "处理方式", "Resolution", T.TEXT,
          "返工 Rework, 重做 Re-produce, 折扣 Discount, 退货 Return, 不接受 Declined or 其他 Other.",
          aliases=("处理结果", "解决方式", "处理", "Solution", "Settlement"), choices=RESOLUTION_CHOICES, width=13),
        C("claim_amount", "索赔金额", "Claim Amount", T.DECIMAL, "What the customer claims.",
          aliases=("索赔", "客户索赔", "Claim", "Claimed", "Claim Value"), width=12),
        C("currency", "币种", "Currency", T.CURRENCY, "Currency of the claim (empty: the order's).",
          aliases=("币别", "Ccy"), choices=COMMON_CURRENCIES, width=8),
        C("agreed_amount", "同意赔付", "Agreed Amount", T.DECIMAL,
          "What we agreed to pay or credit (empty while not agreed; 0 when declined).",
          aliases=("赔付金额", "实际赔付", "Agreed", "Settled Amount", "Compensation"), width=12),
        C("closed_date", "结案日", "Closed", T.DATE, "Date the complaint was settled; empty while open.",
          aliases=("结案日期", "关闭日期", "Closed Date", "Close Date", "Resolved On"), width=11),
        _REMARKS,
    ),
    model=Complaint,
)

CHANGES = SheetSpec(
    "changes", "改单记录", "Changes",
    "One row per change of an order (改单) or its cancellation (取消): what changed, from what to what, who asked, "
    "and when the customer, the factory and the forwarder confirmed it. gendan check --write adds a row when an "
    "order's figures differ from those its documents were made from.",
    aliases=("改单", "订单变更", "变更记录", "改单登记", "Change Log", "Order Changes", "Amendments", "Change"),
    columns=(
        _order_ref("The order changed."),
        C("changed_on", "变更日", "Date", T.DATE, "Date of the change (or of its cancellation).", required=True,
          aliases=("改单日期", "变更日期", "日期", "Change Date", "Changed On"), width=11),
        C("what", "变更内容", "What Changed", T.TEXT,
          "数量 Quantity, 单价 Price, 交期 Delivery date, 港口 Port, 包装 Packing, 取消 Cancelled …",
          required=True, aliases=("改单内容", "变更项目", "变更", "项目", "What", "Changed", "Change Type"),
          choices=ASPECT_CHOICES, width=14),
        _OPTIONAL_ITEM,
        C("old_value", "原值", "Old Value", T.TEXT, "What it was.",
          aliases=("改前", "变更前", "原内容", "Old", "Before", "From"), width=20),
        C("new_value", "新值", "New Value", T.TEXT, "What it is now.",
          aliases=("改后", "变更后", "新内容", "New", "After", "To"), width=20),
        C("requested_by", "提出方", "Requested By", T.TEXT, "客户 Customer, 我方 Us or 工厂 Factory.",
          aliases=("提出人", "变更方", "Requested", "Initiated By"), choices=PARTY_CHOICES, width=11),
        C("customer_confirmed", "客户确认", "Customer Confirmed", T.DATE,
          "Date the customer confirmed the change in writing (revised PI signed back, e-mail).",
          aliases=("客户确认日", "客户确认日期", "Customer Confirmation", "Confirmed by Customer", "Buyer Confirmed"),
          width=11),
        C("factory_confirmed", "工厂确认", "Factory Confirmed", T.DATE,
          "Date the factory signed the revised purchase contract back (or, for a cancellation, confirmed it).",
          aliases=("工厂确认日", "工厂确认日期", "修改采购合同回签日", "Confirmed by Factory", "Revised PC Signed"),
          width=11),
        C("forwarder_confirmed", "货代确认", "Forwarder Confirmed", T.DATE,
          "Date the forwarder amended or cancelled the booking.",
          aliases=("货代确认日", "Forwarder Confirmation", "Booking Amended", "Booking Cancelled"), width=11),
        _REMARKS,
        C("snapshot", "订单快照", "Order Snapshot", T.TEXT,
          "The order's figures after the change, kept by gendan_xl on the rows it adds; leave as is.",
          aliases=("快照", "Snapshot"), width=12),
    ),
    model=Change,
)

SETTINGS = SheetSpec(
    "settings", "设置", "Settings",
    "Key/value settings: tolerances, lead times, company data, calendar. Missing keys use the defaults.",
    aliases=("参数", "配置", "Config", "Parameters", "Setup"),
    columns=(
        C("key", "参数", "Setting", T.TEXT, "Setting name (Chinese or English, see docs).", required=True,
          aliases=("设置项", "项目", "Key", "Name", "Parameter")),
        C("value", "值", "Value", T.TEXT, "Its value.", required=True, aliases=("数值", "设置值", "Value")),
        C("note", "说明", "Note", T.TEXT, "What it means (not read).", aliases=("备注", "Description", "Remarks"),
          width=48),
    ),
)

LOG_SHEET = "单证记录"

# The document log: gendan_xl appends one row per document it renders (issue 5, gendan_xl.documents.log).
DOCUMENT_LOG = SheetSpec(
    "documents", LOG_SHEET, "Document Log",
    "One row per document rendered by gendan_xl: which order, which kind, the file, when, and a fingerprint of "
    "the order data it was made from (to find documents issued from an order that has changed since).",
    aliases=("单证日志", "单证登记", "Documents", "Document Register"),
    columns=(
        _order_ref("The order the document was made for."),
        C("kind", "单证", "Document", T.TEXT, "The kind of document (商业发票 Commercial Invoice …).", required=True,
          aliases=("单证类型", "单据", "Document Type", "Kind"), width=22),
        C("doc_no", "单证号", "Document No.", T.CODE, "The number printed on the document (invoice no., contract no.).",
          aliases=("单据号", "编号", "Doc No."), width=14),
        C("file", "文件", "File", T.TEXT, "Where the rendered file was written.", aliases=("文件名", "File Name", "Path"),
          width=36),
        C("rendered_at", "生成时间", "Created", T.DATE, "When the document was rendered.",
          aliases=("生成日期", "出具日期", "Created At", "Rendered"), width=16),
        C("fingerprint", "数据指纹", "Fingerprint", T.CODE,
          "Hash of the order data the document shows; differs from the current one when the order has changed.",
          required=True, aliases=("指纹", "Data Fingerprint", "Hash"), width=22),
        C("recalled", "已收回", "Recalled", T.BOOL,
          "是 once the document has been recalled or replaced; gendan_xl then stops reporting it.",
          aliases=("收回", "作废", "Void", "Withdrawn"), choices=("是", "否"), width=8),
        _REMARKS,
        C("snapshot", "订单快照", "Order Snapshot", T.TEXT,
          "The order's figures the document shows (quantities, prices, dates, ports …), kept by gendan_xl to say what "
          "changed since; leave as is.", aliases=("快照", "Snapshot"), width=12),
    ),
    model=DocumentRecord,
)

SHEETS: tuple[SheetSpec, ...] = (ORDERS, LINES, PRICE_HISTORY, CUSTOMERS, FACTORIES, SHIPMENTS, PAYMENTS, SAMPLES,
                                 COMPLAINTS, CHANGES, SETTINGS, DOCUMENT_LOG)
STATUS_COLUMNS: dict[str, tuple[StatusColumn, ...]] = {s.key: s.status_columns for s in SHEETS if s.status_columns}
# On a tracker that keeps orders and their lines on one sheet, the order's statuses go on its first row and
# each line's findings into this one column (the order's price and amount checks already name the columns).
LINE_CHECK = StatusColumn("line_check", "明细检查", "Line Check", ("行检查",), width=18)


ROW_SHEETS: tuple[SheetSpec, ...] = tuple(s for s in SHEETS if s.model is not None)
# The sheets whose rows name an order: a selected row there selects its order (the Excel buttons).
ORDER_SHEETS: tuple[SheetSpec, ...] = tuple(s for s in ROW_SHEETS if s.model and "order_no" in s.model.model_fields)


def sheet_spec(key: str) -> SheetSpec:
    """The spec of a sheet by its key (``orders``, ``lines`` …)."""
    for spec in SHEETS:
        if spec.key == key:
            return spec
    raise KeyError(key)
