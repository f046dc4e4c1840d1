"""Finding codes raised while reading a workbook (family ``read``)."""

from __future__ import annotations

from gendan_xl.findings import Severity, define_rule

__all__: list[str] = []

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

define_rule(
    "not-a-number", E, "read",
    title=("不是数字", "Not a number"),
    message=("{address}：{reason_zh}", "{address}: {reason_en}"),
    rule="A number column (qty, price, amount, weights …) holds text that is not a number. Thousands "
         "separators, currency symbols (US$, ¥, €) and full-width digits are accepted.",
    example="订单明细!F12: “about 500” is not a number",
)
define_rule(
    "not-an-integer", E, "read",
    title=("不是整数", "Not a whole number"),
    message=("{address}：{reason_zh}", "{address}: {reason_en}"),
    rule="A whole-number column (days, months, counts) holds a fraction.",
    example="设置!B9: expected a whole number, found 2.5",
)
define_rule(
    "not-a-date", E, "read",
    title=("不是日期", "Not a date"),
    message=("{address}：{reason_zh}", "{address}: {reason_en}"),
    rule="A date column holds something that is not a date. Accepted: Excel dates and the texts "
         "2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日, 20260305, 5-Mar-2026, Mar 5, 2026.",
    example="订单!Q7: “next week” is not a date",
)
define_rule(
    "invalid-date", E, "read",
    title=("日期不存在", "Impossible date"),
    message=("{address}：{reason_zh}", "{address}: {reason_en}"),
    rule="A date that does not exist in the calendar (2026-02-30, 2026-13-01).",
    example="订单!Q9: “2026-02-30” is not a real calendar date",
)
define_rule(
    "ambiguous-date", W, "read",
    title=("日期有歧义", "Ambiguous date"),
    message=("{address}：{reason_zh}", "{address}: {reason_en}"),
    rule="A text date like 03/05/2026 could be 3 May or 5 March; it is not guessed.",
    example="订单!Q4: “03/05/2026” could be day/month or month/day",
)
define_rule(
    "bad-percent", E, "read",
    title=("比例有误", "Bad percentage"),
    message=("{address}：{reason_zh}", "{address}: {reason_en}"),
    rule="A share (deposit %, tolerance) outside 0–100%. 30%, 0.3 and 30 all mean thirty percent.",
    example="订单!M5: share “130%” must be between 0% and 100%",
)
define_rule(
    "not-a-yes-no", W, "read",
    title=("应填是/否", "Not yes/no"),
    message=("{address}：{reason_zh}", "{address}: {reason_en}"),
    rule="A yes/no column holds something else. Accepted: 是/否, Y/N, yes/no, TRUE/FALSE, 1/0, √/×.",
    example="订单!X3: “maybe” should be yes or no",
)
define_rule(
    "bad-dimensions", E, "read",
    title=("箱规有误", "Bad carton size"),
    message=("{address}：{reason_zh}", "{address}: {reason_en}"),
    rule="A carton size in one cell must be L*W*H in cm (29*21*12, 108x20x20, 26.5×26×32).",
    example="订单明细!M8: “40 by 30” should be L*W*H, e.g. 29*21*12",
)
define_rule(
    "cell-error", E, "read",
    title=("单元格错误值", "Error value in a cell"),
    message=("{address}：单元格显示错误 {error}，请修正公式", "{address}: the cell shows {error}; fix the formula"),
    rule="A formula result is an Excel error (#N/A, #REF!, #VALUE!, #DIV/0! …); its value is unknown.",
    example="订单明细!I17: the cell shows #N/A; fix the formula",
)
define_rule(
    "missing-value", E, "read",
    title=("缺少必填内容", "Required value missing"),
    message=("{address}：{column_zh} 不能为空{skipped_zh}", "{address}: {column_en} is required{skipped_en}"),
    rule="A required value is empty (order no., item no., quantity, unit price …). When the empty cell "
         "identifies the row (e.g. the order no. of a line), the row is skipped.",
    example="订单明细!F20: Quantity is required",
)
define_rule(
    "unknown-status", W, "read",
    title=("状态无法识别", "Unknown status"),
    message=("{address}：状态“{value}”无法识别，可选：{choices}", "{address}: status “{value}” is unknown; use one of: {choices}"),
    rule="The order status is not one of the template's statuses (新单 New … 已取消 Cancelled).",
    example="订单!AC5: status “half done” is unknown",
)
define_rule(
    "duplicate-column", W, "read",
    title=("列重复", "Duplicate column"),
    message=("{address}：“{header}”与 {first} 列是同一字段，只读取第一列",
             "{address}: “{header}” is the same field as column {first}; only the first is read"),
    rule="Two header cells of one sheet name the same field; the leftmost is read.",
    example="订单明细!K1: “Qty” is the same field as column F",
)
define_rule(
    "duplicate-sheet", W, "read",
    title=("工作表重复", "Duplicate sheet"),
    message=("工作表“{sheet_name}”与“{first}”都是{sheet_zh}，只读取“{first}”",
             "sheets “{sheet_name}” and “{first}” are both {sheet_en}; only “{first}” is read"),
    rule="Two sheets match the same schema sheet (e.g. 订单 and Orders); the first in tab order is read.",
    example="sheets “Orders” and “订单” are both Orders",
)
define_rule(
    "unknown-setting", W, "read",
    title=("未知设置项", "Unknown setting"),
    message=("{address}：不认识的设置项“{key}”，已忽略", "{address}: unknown setting “{key}” ignored"),
    rule="A key on the settings sheet is not a known setting (see docs/settings.md).",
    example="设置!A12: unknown setting “tolerence” ignored",
)
define_rule(
    "setting-retired", INFO, "read",
    title=("设置项已停用", "Setting retired"),
    message=("{address}：设置项“{key}”已停用，已忽略：{reason_zh}", "{address}: setting “{key}” is retired and ignored: "
             "{reason_en}"),
    rule="A key of an older template that gendan_xl no longer reads; the note says what replaced it. Delete the row.",
    example="设置!A14: setting “默认退税率” is retired and ignored: no blanket rebate rate any more",
)
define_rule(
    "bad-setting", E, "read",
    title=("设置值有误", "Bad setting"),
    message=("{address}：设置“{key}”的值有误（{reason_zh}），使用默认值 {default}",
             "{address}: setting “{key}” cannot be used ({reason_en}); the default {default} applies"),
    rule="A setting's value cannot be read (wrong type, out of range, unknown calendar); the default is used.",
    example="设置!B4: setting “预警天数” cannot be used (“three” is not a number); the default 3 applies",
)

# --- the mapping of the user's own columns (gendan map) -------------------------------------------

define_rule(
    "mapping-automatic", INFO, "read",
    title=("列对应为自动识别", "Columns matched automatically"),
    message=("按自动识别的列读取（{layout}{weak_zh}）；用 gendan map 查看，gendan map --save 保存",
             "read through the automatic column mapping ({layout_en}{weak_en}); see it with gendan map, "
             "keep it with gendan map --save"),
    rule="The workbook is not in the template's layout and has no saved mapping: every required column was "
         "matched with high confidence, so it is read through the proposal. Save it (or correct it) with "
         "`gendan map --save`.",
    example="read through the automatic column mapping (orders and lines on one sheet (2026)); see it with gendan map",
)
define_rule(
    "mapping-sheet-missing", W, "read",
    title=("映射中的工作表不存在", "Mapped sheet missing"),
    message=("保存的列映射提到工作表“{sheet_name}”，但工作簿中没有它；请重新运行 gendan map --save",
             "the saved mapping names the sheet “{sheet_name}”, which is not in the workbook; run gendan map --save"),
    rule="A sheet of the saved mapping (the 映射 Mapping sheet or PATH.gendan.toml) was renamed or deleted.",
    example="the saved mapping names the sheet “2026.07”, which is not in the workbook",
)
define_rule(
    "mapping-header-missing", W, "read",
    title=("映射中的表头不存在", "Mapped header missing"),
    message=("工作表“{sheet_name}”上找不到保存的表头“{header}”（{field}），此项未读取；请在映射表中改正",
             "the saved header “{header}” ({field}) is not on the sheet “{sheet_name}”; it is not read — correct "
             "it on the mapping sheet"),
    rule="A header named by the saved mapping is no longer on its sheet (renamed or deleted column).",
    example="the saved header “售价” (lines.unit_price) is not on the sheet “2026”",
)
define_rule(
    "column-currency-differs", W, "read",
    title=("列的币种与订单不同", "Column in another currency"),
    message=("{address}：此列表头为 {currency}，与 {count} 行的应有币种（{expected}）不同，这些值未使用",
             "{address}: the header says {currency}, not the currency of {count} row(s) ({expected}); those values "
             "are not used"),
    rule="A price column whose header names a currency (单价 USD, 产品总价_元) is read in that currency; where it "
         "is not the order's currency (or CNY for purchase prices) its values are left out rather than mixed.",
    example="Sheet1!H2: the header says CNY, not the currency of 12 row(s) (the order's currency)",
)
define_rule(
    "order-cells-disagree", W, "read",
    title=("同一订单的单元格不一致", "Order cells disagree"),
    message=("{address}：订单 {order_no} 的{column_zh}为“{value}”，与 {first} 的“{first_value}”不同；按 {first} 读取",
             "{address}: order {order_no} has {column_en} “{value}” here but “{first_value}” in {first}; {first} is read"),
    rule="On a one-sheet tracker an order's own fields (customer, dates, terms …) are the same on all its rows; "
         "where two of its rows differ, the first row's value is read and the other cell is named.",
    example="2026.07!F12: order GD2026-031 has Delivery Date “2026-08-30” here but “2026-08-20” in F10; F10 is read",
)
