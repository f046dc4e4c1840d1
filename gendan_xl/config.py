"""Settings: tolerances, lead times, company data, calendar — with documented defaults.

The workbook's 设置 (Settings) sheet holds key/value rows; any key may be given in Chinese or
English. What is missing takes the default below; a value that cannot be read is a finding and
the default is used. ``docs/settings.md`` is generated from :data:`SETTING_SPECS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from gendan_xl.values import ValueProblem, parse_decimal, parse_integer, parse_percent, parse_text
from gendan_xl.vocab import squash

__all__ = [
    "SETTING_SPECS",
    "ContainerSpec",
    "SettingSpec",
    "Settings",
    "build_settings",
    "find_setting",
    "parse_setting_value",
]


class ContainerSpec(BaseModel):
    """Working capacity of one container type (configurable: forwarders quote lower figures)."""

    model_config = ConfigDict(frozen=True)

    name: str
    cbm: Decimal
    payload_kg: Decimal


class Settings(BaseModel):
    """All settings with their defaults (domain.md §2–§4)."""

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
    rebate_rate: Decimal = Decimal("0.13")
    exchange_rates: dict[str, Decimal] = {}
    certificates: dict[str, str] = {}
    warning_days: int = 3
    factory_confirm_days: int = 10
    booking_days: int = 10
    inspection_days_early: int = 14
    inspection_days_late: int = 7
    co_days: int = 7
    po_sign_days: int = 3
    inspection_validity_months: int = 3
    balance_grace_days: int = 7
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


SettingKind = str  # "text" | "percent" | "decimal" | "days" | "int" | "rate" | "certificate"


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """One settings key: field, Chinese and English names, kind, and what it does."""

    field: str
    zh: str
    en: str
    kind: SettingKind
    meaning: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every key under which the setting is accepted."""
        return (self.zh, self.en, self.field, *self.aliases)

    @property
    def default(self) -> Any:
        """The default value (from :class:`Settings`)."""
        return Settings.model_fields[self.field].default


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
    S("vat_rate", "增值税率", "VAT Rate", "percent", "VAT on factory invoices (13%)."),
    S("rebate_rate", "默认退税率", "Default Rebate Rate", "percent", "Export rebate rate when the HS code's is unknown."),
    S("exchange_rates", "汇率", "Exchange Rate", "rate",
      "CNY per unit of a currency: one row per currency, key `汇率 USD` / `Exchange Rate USD`."),
    S("certificates", "产地证", "Certificate", "certificate",
      "Override the recommended certificate of origin for a country: key `产地证 DE` / `Certificate DE`, "
      "value e.g. `C/O`, `Form E`, `RCEP`."),
    S("warning_days", "预警天数", "Warning Window (working days)", "days",
      "A deadline this many working days away or less is 'at risk'."),
    S("factory_confirm_days", "工厂确认提前天数", "Factory Confirmation Lead (days)", "days",
      "Confirm the delivery with the factory this many days before the customer delivery date."),
    S("booking_days", "订舱提前天数", "Booking Lead (days)", "days", "Book space this many days before delivery."),
    S("inspection_days_early", "商检最早提前天数", "Inspection Earliest (days)", "days",
      "Apply for inspection no earlier than this many days before delivery."),
    S("inspection_days_late", "商检最迟提前天数", "Inspection Latest (days)", "days",
      "Apply for inspection at least this many days before delivery."),
    S("co_days", "产地证提前天数", "C/O Lead (days)", "days", "Apply for the certificate of origin by ETD minus this."),
    S("po_sign_days", "采购合同回签天数", "PC Sign-back (days)", "days",
      "The factory signs the purchase contract back within this many days."),
    S("inspection_validity_months", "商检有效期(月)", "Inspection Validity (months)", "int",
      "An inspection voucher/record is valid this many months."),
    S("balance_grace_days", "尾款宽限天数", "Balance Grace (days)", "days",
      "The balance is overdue this many days after its trigger (e.g. B/L copy sent)."),
    S("calendar", "工作日历", "Calendar", "text",
      "Working-day calendar: CN (China with 调休), NONE (Mon–Fri), or a country code known to `holidays`."),
    S("archive_dir", "历史订单文件夹", "Archive Folder", "text", "Folder of earlier workbooks for the price check."),
    S("templates_dir", "单证模板文件夹", "Templates Folder", "text", "Folder whose .docx templates override ours."),
    S("backup_count", "备份份数", "Backups Kept", "int", "How many backups write-back keeps (0 = none)."),
    S("lcl_max_cbm", "拼箱上限(CBM)", "LCL Limit (CBM)", "decimal", "Below this volume an order ships LCL (拼箱)."),
    S("container_20gp_cbm", "20GP装载体积", "20GP Load (CBM)", "decimal", "Practical load of a 20GP."),
    S("container_20gp_kg", "20GP限重(kg)", "20GP Payload (kg)", "decimal", "Working payload of a 20GP."),
    S("container_40gp_cbm", "40GP装载体积", "40GP Load (CBM)", "decimal", "Practical load of a 40GP."),
    S("container_40gp_kg", "40GP限重(kg)", "40GP Payload (kg)", "decimal", "Working payload of a 40GP."),
    S("container_40hq_cbm", "40HQ装载体积", "40HQ Load (CBM)", "decimal", "Practical load of a 40HQ."),
    S("container_40hq_kg", "40HQ限重(kg)", "40HQ Payload (kg)", "decimal", "Working payload of a 40HQ."),
)

_BY_KEY: dict[str, SettingSpec] = {squash(name): spec for spec in SETTING_SPECS for name in spec.names}


_PREFIXES = {squash("汇率"): "exchange_rates", squash("Exchange Rate"): "exchange_rates", "fx": "exchange_rates",
             squash("产地证"): "certificates", squash("Certificate"): "certificates", "co": "certificates"}


def find_setting(key: str) -> tuple[SettingSpec, str | None] | None:
    """The spec for a settings key, with the currency or country of ``汇率 USD`` / ``产地证 DE`` keys."""
    folded = squash(key)
    if folded in _BY_KEY and _BY_KEY[folded].kind not in ("rate", "certificate"):
        return _BY_KEY[folded], None
    for prefix, field_name in sorted(_PREFIXES.items(), key=lambda item: -len(item[0])):
        qualifier = folded[len(prefix):].upper()
        # a currency has three letters, a country two: anything else is a typo, not a qualifier
        wanted = 3 if field_name == "exchange_rates" else 2
        if folded.startswith(prefix) and len(qualifier) == wanted and qualifier.isalpha():
            spec = next(s for s in SETTING_SPECS if s.field == field_name)
            return spec, qualifier
    return None


def build_settings(values: Iterable[tuple[str, Any]]) -> Settings:
    """Settings from already-parsed ``(field, value)`` pairs; exchange rates as ``("exchange_rates", (ccy, rate))``."""
    fields: dict[str, Any] = {}
    keyed: dict[str, dict[str, Any]] = {"exchange_rates": {}, "certificates": {}}
    for name, value in values:
        if name in keyed:
            qualifier, item = value
            keyed[name][qualifier] = item
        else:
            fields[name] = value
    fields.update({name: table for name, table in keyed.items() if table})
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
