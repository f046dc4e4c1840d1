"""Settings: tolerances, lead times, company data, calendar — with documented defaults.

The workbook's 设置 (Settings) sheet holds key/value rows; any key may be given in Chinese or
English. What is missing takes the default below; a value that cannot be read is a finding and
the default is used. ``docs/settings.md`` is generated from :data:`SETTING_SPECS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from gendan_xl.values import ValueProblem, parse_decimal, parse_integer, parse_percent, parse_text
from gendan_xl.vocab import squash

__all__ = [
    "RETIRED_SETTINGS",
    "SETTING_SPECS",
    "SOURCES_AS_OF",
    "ContainerSpec",
    "SettingSpec",
    "Settings",
    "build_settings",
    "find_setting",
    "parse_setting_value",
    "retired_setting",
]


class ContainerSpec(BaseModel):
    """Working capacity of one container type (configurable: forwarders quote lower figures)."""

    model_config = ConfigDict(frozen=True)

    name: str
    cbm: Decimal
    payload_kg: Decimal


class Settings(BaseModel):
    """All settings with their defaults (the merchandiser's usual figures; see ``docs/settings.md``)."""

    model_config = ConfigDict(frozen=True)

    company_name: str = ""
    company_name_en: str = ""
    company_address: str = ""
    company_address_en: str = ""
    company_phone: str = ""
    company_email: str = ""
    company_bank: str = ""
    price_tolerance_pct: Decimal = Decimal("0.005")
    price_tolerance_abs: Decimal = Decimal("0.005")
    purchase_tolerance_pct: Decimal = Decimal("0.005")
    min_margin_pct: Decimal = Decimal("0.05")
    vat_rate: Decimal = Decimal("0.13")
    exchange_rates: dict[str, Decimal] = {}
    bank_charges: dict[str, Decimal] = {"USD": Decimal(50), "EUR": Decimal(50), "GBP": Decimal(40)}
    certificates: dict[str, str] = {}
    warning_days: int = 3
    factory_confirm_days: int = 10
    booking_days: int = 10
    inspection_days_late: int = 7
    co_days: int = 7
    po_sign_days: int = 3
    inspection_validity_days: int = 60
    balance_grace_days: int = 7
    lc_presentation_days: int = 21
    sample_verdict_days: int = 10
    sample_resend_days: int = 7
    complaint_days: int = 14
    change_confirm_days: int = 3
    calendar: str = "CN"
    archive_dir: str = ""
    templates_dir: str = ""
    backup_count: int = 3
    lcl_max_cbm: Decimal = Decimal("15")
    container_20gp_cbm: Decimal = Decimal("28")
    container_20gp_kg: Decimal = Decimal("17500")
    container_40gp_cbm: Decimal = Decimal("58")
    container_40gp_kg: Decimal = Decimal("22000")
    container_40hq_cbm: Decimal = Decimal("68")
    container_40hq_kg: Decimal = Decimal("22000")

    @property
    def containers(self) -> tuple[ContainerSpec, ...]:
        """Full-container types, smallest first."""
        return (
            ContainerSpec(name="20GP", cbm=self.container_20gp_cbm, payload_kg=self.container_20gp_kg),
            ContainerSpec(name="40GP", cbm=self.container_40gp_cbm, payload_kg=self.container_40gp_kg),
            ContainerSpec(name="40HQ", cbm=self.container_40hq_cbm, payload_kg=self.container_40hq_kg),
        )


SettingKind = str  # "text" | "percent" | "decimal" | "days" | "int" | "rate" | "charges" | "certificate"
# Kinds whose key carries a qualifier: a currency (汇率 USD, 银行费用容差 USD) or a country (产地证 DE).
_KEYED_KINDS = {"rate": 3, "charges": 3, "certificate": 2}


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """One settings key: field, Chinese and English names, kind, and what it does.

    ``source`` names the regulation or trade practice a default is taken from (checked on
    :data:`SOURCES_AS_OF`); empty for our own choices (company data, tolerances, folders).
    """

    field: str
    zh: str
    en: str
    kind: SettingKind
    meaning: str
    aliases: tuple[str, ...] = ()
    source: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Every key under which the setting is accepted."""
        return (self.zh, self.en, self.field, *self.aliases)

    @property
    def default(self) -> Any:
        """The default value (from :class:`Settings`)."""
        return Settings.model_fields[self.field].default


SOURCES_AS_OF = date(2026, 12, 2)  # the day the sources of the defaults below were checked
_PRACTICE = "merchandiser practice (外贸跟单): deadlines counted back from the customer delivery date"
_SAMPLES = "merchandiser practice (外贸跟单): samples go by express courier and are chased until the customer answers"
_CONTAINERS = "commonly quoted container capacities; forwarders may give lower working figures"
S = SettingSpec
SETTING_SPECS: tuple[SettingSpec, ...] = (
    S("company_name", "公司名称", "Company Name", "text", "Our company's Chinese name (document headers)."),
    S("company_name_en", "公司英文名称", "Company Name (EN)", "text", "Our company's English name."),
    S("company_address", "公司地址", "Company Address", "text", "Address in Chinese."),
    S("company_address_en", "公司英文地址", "Company Address (EN)", "text", "Address in English."),
    S("company_phone", "公司电话", "Company Phone", "text", "Phone on documents."),
    S("company_email", "公司邮箱", "Company Email", "text", "E-mail on documents."),
    S("company_bank", "收款银行信息", "Bank Details", "text", "Beneficiary bank details printed on PI/invoice."),
    S("price_tolerance_pct", "价格容差%", "Price Tolerance %", "percent",
      "A unit price may differ this much (share of the reference) from the last confirmed price."),
    S("price_tolerance_abs", "价格容差金额", "Price Tolerance Amount", "decimal",
      "…or this much in money, whichever is larger."),
    S("purchase_tolerance_pct", "采购价容差%", "Purchase Price Tolerance %", "percent",
      "Tolerance for purchase prices against the factory's last price."),
    S("min_margin_pct", "最低毛利率", "Minimum Margin %", "percent",
      "Gross margin below this is a warning (needs the exchange rate for foreign currencies)."),
    S("vat_rate", "增值税率", "VAT Rate", "percent", "VAT on factory invoices (13%).",
      source="MOF/STA/GACC Announcement 2019 No. 39: 13 % VAT on goods from 2019-04-01"),
    S("exchange_rates", "汇率", "Exchange Rate", "rate",
      "CNY per unit of a currency: one row per currency, key `汇率 USD` / `Exchange Rate USD`."),
    S("bank_charges", "银行费用容差", "Bank Charge Tolerance", "charges",
      "What banks may deduct from one remittance (T/T under SHA/BEN: intermediary and receiving bank charges) "
      "before it counts as short: one row per currency, key `银行费用容差 USD` / `Bank Charge Tolerance USD`. "
      "A payment short by no more than this per remittance is paid (an info finding shows the amount). "
      "Currencies without a row are compared to the cent.", aliases=("Bank Charges",),
      source="bank practice for SHA/BEN transfers (SWIFT MT103 field 71A), typically tens of US dollars "
      "per remittance"),
    S("certificates", "产地证", "Certificate", "certificate",
      "Override the recommended certificate of origin for a country: key `产地证 DE` / `Certificate DE`, "
      "value e.g. `C/O`, `Form E`, `RCEP`."),
    S("warning_days", "预警天数", "Warning Window (working days)", "days",
      "A deadline this many working days away or less is 'at risk'."),
    S("factory_confirm_days", "工厂确认提前天数", "Factory Confirmation Lead (days)", "days",
      "Confirm the delivery with the factory this many days before the customer delivery date.",
      source=_PRACTICE),
    S("booking_days", "订舱提前天数", "Booking Lead (days)", "days", "Book space this many days before delivery.",
      source=_PRACTICE),
    S("inspection_days_late", "商检最迟提前天数", "Inspection Latest (days)", "days",
      "Apply for inspection at least this many days before delivery.",
      source="merchandiser practice (外贸跟单): apply for inspection 1–2 weeks before delivery"),
    S("co_days", "产地证提前天数", "C/O Lead (days)", "days", "Apply for the certificate of origin by ETD minus this.",
      source="merchandiser practice (外贸跟单): apply at least a week before shipment; many preferential "
      "certificates can also be issued after shipment"),
    S("po_sign_days", "采购合同回签天数", "PC Sign-back (days)", "days",
      "The factory signs the purchase contract back within this many days.",
      source=_PRACTICE),
    S("inspection_validity_days", "商检有效期(天)", "Inspection Record Validity (days)", "days",
      "An inspection record (电子底账) without its own validity date is valid this many days from issue "
      "(general goods; plants and fresh goods have shorter periods: enter the record's date).",
      source="GACC Announcement 2018 No. 50 (electronic record on the declaration from 2018-06-01); about 60 days "
      "for general goods by practice, the date on the record governs"),
    S("balance_grace_days", "尾款宽限天数", "Balance Grace (days)", "days",
      "A payment due on an event (B/L copy sent, arrival, documents presented) is overdue this many days after "
      "it; `n days after B/L` / `after arrival` terms are due on the day itself.",
      source="merchandiser practice (外贸跟单): the balance against the B/L copy arrives within about a week"),
    S("lc_presentation_days", "交单期(天)", "L/C Presentation Period (days)", "days",
      "Documents under an L/C are presented within this many days after the B/L date and before expiry "
      "(UCP 600 art. 14(c): 21); an order's own period (column 交单期) wins.",
      source="ICC UCP 600 (2007 revision), art. 14(c)"),
    S("sample_verdict_days", "样品确认天数", "Sample Verdict (days)", "days",
      "A sample sent this many days ago without the customer's verdict is chased (courier 3–5 days plus the "
      "customer's evaluation).", source=_SAMPLES),
    S("sample_resend_days", "样品重寄天数", "Sample Resend (days)", "days",
      "A rejected sample is followed by a new one within this many days of the verdict.", source=_SAMPLES),
    S("complaint_days", "客诉处理天数", "Complaint Handling (days)", "days",
      "An open complaint is to be settled this many days after it came in (the next action's deadline)."),
    S("change_confirm_days", "改单确认天数", "Change Confirmation (days)", "days",
      "A change of an order is confirmed in writing by the customer within this many days."),
    S("calendar", "工作日历", "Calendar", "text",
      "Working-day calendar: CN (China with 调休), NONE (Mon–Fri), or a country code known to `holidays`.",
      source="chinese-calendar package, from the State Council's yearly holiday notices"),
    S("archive_dir", "历史订单文件夹", "Archive Folder", "text", "Folder of earlier workbooks for the price check."),
    S("templates_dir", "单证模板文件夹", "Templates Folder", "text", "Folder whose .docx templates override ours."),
    S("backup_count", "备份份数", "Backups Kept", "int", "How many backups write-back keeps (0 = none)."),
    S("lcl_max_cbm", "拼箱上限(CBM)", "LCL Limit (CBM)", "decimal", "Below this volume an order ships LCL (拼箱).",
      source="forwarder practice: under about 15 m³ a full container does not pay"),
    S("container_20gp_cbm", "20GP装载体积", "20GP Load (CBM)", "decimal", "Practical load of a 20GP.",
      source=_CONTAINERS),
    S("container_20gp_kg", "20GP限重(kg)", "20GP Payload (kg)", "decimal", "Working payload of a 20GP.",
      source=_CONTAINERS),
    S("container_40gp_cbm", "40GP装载体积", "40GP Load (CBM)", "decimal", "Practical load of a 40GP.",
      source=_CONTAINERS),
    S("container_40gp_kg", "40GP限重(kg)", "40GP Payload (kg)", "decimal", "Working payload of a 40GP.",
      source=_CONTAINERS),
    S("container_40hq_cbm", "40HQ装载体积", "40HQ Load (CBM)", "decimal", "Practical load of a 40HQ.",
      source=_CONTAINERS),
    S("container_40hq_kg", "40HQ限重(kg)", "40HQ Payload (kg)", "decimal", "Working payload of a 40HQ.",
      source=_CONTAINERS),
)

_BY_KEY: dict[str, SettingSpec] = {squash(name): spec for spec in SETTING_SPECS for name in spec.names}

_PREFIXES: dict[str, SettingSpec] = {
    **{squash(name): spec for spec in SETTING_SPECS if spec.kind in _KEYED_KINDS for name in spec.names},
    "fx": next(s for s in SETTING_SPECS if s.field == "exchange_rates"),
    "co": next(s for s in SETTING_SPECS if s.field == "certificates"),
}

# Keys of settings that are gone, with what replaced them: a workbook made from an older template still has them.
RETIRED_SETTINGS: dict[tuple[str, ...], tuple[str, str]] = {
    ("默认退税率", "Default Rebate Rate", "rebate_rate"): (
        "不再按统一退税率估算毛利（2024-12-01 起很多商品为 9% 或 0%）；无退税率表时毛利不含退税",
        "no blanket rebate rate any more (since 2024-12-01 many goods have 9 % or 0 %); without a rate table "
        "margins are computed without the rebate"),
    ("商检有效期(月)", "Inspection Validity (months)", "inspection_validity_months"): (
        "改用“商检有效期(天)”（默认 60 天）或电子底账上的有效期",
        "replaced by “Inspection Record Validity (days)” (default 60) or the record's own validity date"),
    ("商检最早提前天数", "Inspection Earliest (days)", "inspection_days_early"): (
        "不再使用：报检期限只看“商检最迟提前天数”", "no longer used: only “Inspection Latest (days)” sets a deadline"),
}
_RETIRED = {squash(name): reason for names, reason in RETIRED_SETTINGS.items() for name in names}


def retired_setting(key: str) -> tuple[str, str] | None:
    """Why a settings key is no longer read (Chinese, English), or None when it is not a retired key."""
    return _RETIRED.get(squash(key))


def find_setting(key: str) -> tuple[SettingSpec, str | None] | None:
    """The spec for a settings key, with the currency or country of ``汇率 USD`` / ``产地证 DE`` keys."""
    folded = squash(key)
    if folded in _BY_KEY and _BY_KEY[folded].kind not in _KEYED_KINDS:
        return _BY_KEY[folded], None
    for prefix, spec in sorted(_PREFIXES.items(), key=lambda item: -len(item[0])):
        qualifier = folded[len(prefix):].upper()
        # a currency has three letters, a country two: anything else is a typo, not a qualifier
        if folded.startswith(prefix) and len(qualifier) == _KEYED_KINDS[spec.kind] and qualifier.isalpha():
            return spec, qualifier
    return None


def build_settings(values: Iterable[tuple[str, Any]]) -> Settings:
    """Settings from already-parsed ``(field, value)`` pairs; exchange rates as ``("exchange_rates", (ccy, rate))``."""
    fields: dict[str, Any] = {}
    keyed: dict[str, dict[str, Any]] = {s.field: {} for s in SETTING_SPECS if s.kind in _KEYED_KINDS}
    for name, value in values:
        if name in keyed:
            qualifier, item = value
            keyed[name][qualifier] = item
        else:
            fields[name] = value
    # a keyed table given on the sheet adds to (or replaces entries of) its default table
    fields.update({name: {**Settings.model_fields[name].default, **table} for name, table in keyed.items() if table})
    return Settings(**fields)


def parse_setting_value(spec: SettingSpec, raw: Any) -> Any:
    """Parse a settings cell for ``spec``; raises ``ValueProblem`` when it cannot be used."""
    if spec.kind in ("text", "certificate"):
        text = parse_text(raw)
        if spec.field == "calendar":
            _check_calendar(text)
            return text.upper()
        return text
    if spec.kind == "percent":
        return parse_percent(raw)
    if spec.kind == "charges":
        amount = parse_decimal(raw)
        if amount < 0:
            raise ValueProblem("bad-setting", f"{amount} 不能为负", f"{amount} cannot be negative")
        return amount
    if spec.kind in ("days", "int"):
        count = parse_integer(raw)
        if count < 0 or count > 3650:
            raise ValueProblem("bad-setting", f"{count} 超出范围 0–3650", f"{count} is outside 0–3650")
        return count
    number = parse_decimal(raw)
    if number <= 0:
        raise ValueProblem("bad-setting", f"{number} 应大于 0", f"{number} must be greater than 0")
    return number


def _check_calendar(text: str) -> None:
    code = text.strip().upper()
    if code in ("CN", "NONE"):
        return
    import holidays  # slow to import; only needed for a non-Chinese calendar

    if code not in holidays.list_supported_countries():
        raise ValueProblem(
            "bad-setting",
            f"不认识的日历“{text}”，可填 CN、NONE 或国家代码（如 DE、US）",
            f"unknown calendar “{text}”: use CN, NONE or a country code such as DE or US",
        )
