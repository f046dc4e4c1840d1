"""Header matching: what a header cell says about the schema field a column holds.

Real workbooks name the same column many ways (``Q'TY``, ``QUANTITY\\n（数量）``, ``数量``,
``N.W.(KGS)净重``, ``单价 USD``), put title rows above the header, split a bilingual header over
two rows and merge cells across it. A header is compared on folded text (full-width → half-width,
casefold, letters and digits only) and gives evidence of one of these strengths, strongest first:

* **exact** — the whole header is a name of the field (``客户``, ``Unit Price``);
* **alias** — a part of it is: the header without its brackets (units: ``数量(PCS)``), its Chinese
  or Latin half (``N.W.(KGS)净重``), a currency word beside it (``单价 USD``);
* **named** — the header is a name of the field plus a word that keeps its meaning (``Supplier
  Code``, ``客户名称``, ``产品总价``), or nearly a name (fuzzy similarity ≥ 90, rapidfuzz);
* **partial** — the header only contains a name among other words (``Requested Ship Date``) or is
  loosely similar: never enough by itself, the column's content must agree (see
  :mod:`gendan_xl.workbook.mapping`).

A header that names an *attribute* of the thing (``客户评价`` customer rating, ``工厂地址`` factory
address) gives no evidence at all for the thing itself. A header that names a total or a
per-piece figure (``总毛重``, ``Total Carton Quantity``, ``单件毛重``) gives none for a per-carton field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum
from functools import cache

from rapidfuzz import fuzz, process

from gendan_xl.vocab import normalize_currency, squash
from gendan_xl.workbook.schema import Column, SheetSpec, StatusColumn

__all__ = [
    "HEADER_SCAN_ROWS",
    "STATUS_PREFIX",
    "HeaderHit",
    "HeaderLayout",
    "HeaderMatcher",
    "Tier",
    "column_basis",
    "detect_header",
    "header_currency",
    "header_scale",
    "one_line",
]

HEADER_SCAN_ROWS = 40
STATUS_PREFIX = "status:"
_BRACKETS = re.compile(r"[(（\[【<《][^)）\]】>》]*[)）\]】>》]")
_BRACKETED = re.compile(r"[(（\[【<《]([^)）\]】>》]*)[)）\]】>》]")
# Chinese characters, Korean Hangul, Japanese kana and the rest: a bilingual header splits into its halves.
_PARTS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]+|[\u3040-\u30ff]+"
                    r"|[^\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\u3040-\u30ff]+")
_CJK = re.compile(r"[\u3400-\u9fff\uac00-\ud7af\u3040-\u30ff]")
_WORDS = re.compile(r"[A-Za-z]+|[\u3400-\u9fff\uf900-\ufaff]")


class Tier(IntEnum):
    """How strongly a header names a field (higher is stronger; see the module docstring)."""

    PARTIAL = 1
    NAMED = 2
    ALIAS = 3
    EXACT = 4


TIER_SCORE = {Tier.EXACT: 1.0, Tier.ALIAS: 0.95, Tier.NAMED: 0.85, Tier.PARTIAL: 0.45}

# Words beside a field's name that keep its meaning: "Supplier Code" is the supplier, "产品总价" the total price.
_KEEPS_MEANING = frozenset(squash(w) for w in (
    "code", "codes", "name", "names", "no", "number", "id", "ref", "short", "full", "po", "so",
    "product", "products", "goods", "item", "items", "commodity", "sales", "selling", "export", "customer", "cust",
    "代码", "编码", "名称", "简称", "全称", "编号", "号码", "号", "产品", "商品", "货物", "生产", "客人", "客户", "外销", "出口",
    "销售", "实际", "最新", "order", "orders", "订单", "unit",
))
# Words that turn a name into one of its attributes: "客户评价" is a rating, "工厂地址" an address.
_ATTRIBUTES = tuple(squash(w) for w in (
    "评价", "评分", "评级", "等级", "地址", "电话", "手机", "传真", "联系人", "邮箱", "税号", "银行", "账号", "要求", "类型",
    "国家", "城市", "数量", "人数", "个数", "反馈", "投诉", "备注", "说明", "满意", "信用", "来源", "性质", "规模",
    "rating", "grade", "address", "addr", "phone", "tel", "fax", "contact", "email", "mail", "bank", "account",
    "type", "country", "city", "feedback", "complaint", "remark", "note", "comment", "requirement", "score",
    "level", "count",
))
# Region words as separate tokens: "HS US Code" is the US tariff code, not the Chinese HS code.
_REGION_TOKENS = frozenset({"us", "usa", "eu", "uk", "jp", "美国", "欧盟"})
_TOKENS = re.compile(r"[A-Za-z]+")
# A header naming a total (of the order or line) or a per-piece figure is never a per-carton one.
_TOTAL_WORDS = ("总", "合计", "累计", "total", "ttl", "sum", "gross total")
_PIECE_WORDS = ("单件", "每件", "单个", "每个", "单只", "每只", "单品", "perpc", "perpcs", "perpiece", "perunit",
                "unitweight", "eachpc", "/pc")
_CARTON_COUNT = re.compile(r"(carton|ctn|箱)", re.IGNORECASE)
_QUANTITY_WORD = re.compile(r"(quantity|qty|q'ty|数|number|no\b)", re.IGNORECASE)
_PER_CARTON_FIELDS = frozenset({"nw_per_carton", "gw_per_carton", "pcs_per_carton", "carton_size", "carton_l",
                                "carton_w", "carton_h"})
_PER_UNIT_FIELDS = frozenset({"unit_price", "purchase_price"})
_MM = re.compile(r"(?<![a-z])mm(?![a-z])|毫米", re.IGNORECASE)
_GRAMS = re.compile(r"(?<![a-z])(g|gr|grams?)(?![a-z])|克", re.IGNORECASE)
_CURRENCY_WORDS = re.compile(r"(?<![A-Za-z])([A-Z]{3}|usd|rmb|cny|eur|gbp|jpy|hkd)(?![A-Za-z])|人民币|美元|美金|欧元|英镑|"
                             r"日元|港币|[_ ]元$|[(（]元[)）]|^元$|[$¥￥€£]", re.IGNORECASE)
_MONEY_FIELDS = frozenset({"unit_price", "amount", "purchase_price", "order_total", "deposit_amount",
                           "invoice_amount", "inspection_amount"})
_SYMBOLS = {"$": "USD", "¥": "CNY", "￥": "CNY", "€": "EUR", "£": "GBP", "元": "CNY"}


_NUMBER_WORDS = re.compile(r"(?<![A-Za-z])(number|num|nbr|no\.?|#)(?![A-Za-z])", re.IGNORECASE)


def fold(text: str) -> str:
    """A header or name folded for comparing: :func:`squash` after "Number", "No.", "#" all become "no"."""
    return squash(_NUMBER_WORDS.sub(" no ", text))


def one_line(text: str) -> str:
    """A header as one line: line breaks and runs of spaces become single spaces."""
    return " ".join(text.split())


def _long_enough(alias: str) -> bool:
    # Short names ("l", "po", "to") only match a whole header, never inside a longer one.
    return len(alias) >= 2 if _CJK.search(alias) else len(alias) >= 4


def _variants(text: str) -> list[str]:
    """The folded forms a header is compared in: whole, without brackets, each Chinese/Latin part."""
    out = [fold(text), fold(_BRACKETS.sub(" ", text))]
    for part in _PARTS.findall(text):
        out.append(fold(_BRACKETS.sub(" ", part)) or fold(part))
    return [v for v in dict.fromkeys(out) if v]


def _bracketed(text: str) -> list[str]:
    """What the header holds in brackets (units, currencies: ``(PCS)``, ``(USD)``), folded."""
    return [v for v in (fold(inner) for inner in _BRACKETED.findall(text)) if v]


def _is_currency_word(folded: str) -> bool:
    return bool(folded) and (normalize_currency(folded) is not None or folded in ("元", "rmb"))


def column_basis(text: str) -> str | None:
    """``total`` or ``piece`` when a header names a total or a per-piece figure, ``cartons`` for a carton count."""
    lowered = one_line(text).casefold()
    folded = squash(text)
    if _CARTON_COUNT.search(lowered) and _QUANTITY_WORD.search(lowered) and not any(
            w in folded for w in ("pcs", "pc", "件", "per", "每", "装箱", "入数")):
        return "cartons"
    if any(w in folded for w in _PIECE_WORDS) or "/pc" in lowered.replace(" ", ""):
        return "piece"
    if any(squash(w) in folded for w in _TOTAL_WORDS):
        return "total"
    return None


def header_scale(text: str, field_name: str) -> Decimal | None:
    """The factor that converts a column's numbers to the schema's unit (mm → cm, g → kg), or None."""
    if field_name in ("carton_l", "carton_w", "carton_h", "carton_size") and _MM.search(text):
        return Decimal("0.1")
    if field_name in ("nw_per_carton", "gw_per_carton") and _GRAMS.search(_BRACKETS.sub(lambda m: m.group(0), text)):
        inner = " ".join(_BRACKETED.findall(text)) or text
        if _GRAMS.search(inner) and not re.search(r"kg|kgs|公斤|千克", inner, re.IGNORECASE):
            return Decimal("0.001")
    return None


def header_currency(text: str, field_name: str) -> str | None:
    """The currency a money column's header names (``单价 USD``, ``产品总价_元``), or None."""
    if field_name not in _MONEY_FIELDS:
        return None
    for match in _CURRENCY_WORDS.finditer(one_line(text)):
        word = match.group(0).strip(" _()（）")
        code = _SYMBOLS.get(word) or normalize_currency(word)
        if code is not None and (len(word) != 3 or word.upper() == word or word.lower() in ("usd", "rmb", "cny", "eur")):
            return code
    return None


@dataclass(frozen=True, slots=True)
class HeaderHit:
    """A header's evidence for one field: how strong and why (the name it matched)."""

    field: str
    tier: Tier
    score: float
    name: str
    how: str


def _basis_allows(text: str, field_name: str) -> bool:
    basis = column_basis(text)
    if basis == "cartons":
        return False  # a count of cartons: no field of ours holds it (a cross-check at most)
    if basis == "total":
        return field_name not in _PER_CARTON_FIELDS and field_name not in _PER_UNIT_FIELDS
    if basis == "piece":
        return field_name not in _PER_CARTON_FIELDS
    return True


@cache
def _fuzzy_allowed(folded: str) -> bool:
    return len(folded) >= (3 if _CJK.search(folded) else 5)


class HeaderMatcher:
    """Header evidence for the fields (and gendan status columns) of one or more sheets.

    ``match`` gives the field a header names by itself (exact, alias or named evidence);
    ``hits`` gives every field it says anything about, with the strength, for the mapping.
    With several specs the keys are ``sheet.field``; with one, the field alone.
    """

    def __init__(self, *specs: SheetSpec, qualify: bool | None = None,
                 extra_status: Sequence[StatusColumn] = ()) -> None:
        self.specs = specs
        qualify = len(specs) > 1 if qualify is None else qualify
        self._names: dict[str, str] = {}  # folded name → key
        self._shown: dict[str, str] = {}  # folded name → the name as written in the schema
        self.columns: dict[str, Column] = {}
        for spec in specs:
            for column in spec.columns:
                key = f"{spec.key}.{column.field}" if qualify else column.field
                self.columns.setdefault(key, column)
                for name in column.names:
                    folded = fold(name)
                    if folded:
                        self._names.setdefault(folded, key)
                        self._shown.setdefault(folded, one_line(name))
        for status in [*(s for spec in specs for s in spec.status_columns), *extra_status]:
            for name in status.names:
                folded = fold(name)
                if folded:
                    self._names.setdefault(folded, STATUS_PREFIX + status.key)
                    self._shown.setdefault(folded, one_line(name))
        self._contained = sorted(((n, k) for n, k in self._names.items() if _long_enough(n)
                                  and not k.startswith(STATUS_PREFIX)), key=lambda pair: -len(pair[0]))
        self._fuzzy = [n for n, k in self._names.items() if _fuzzy_allowed(n) and not k.startswith(STATUS_PREFIX)]
        self._known: dict[str, list[HeaderHit]] = {}  # a header's hits, worked out once (headers repeat)

    def field_of(self, key: str) -> str:
        """The field name of a key (``orders.customer`` → ``customer``)."""
        return key.rsplit(".", 1)[-1]

    def match(self, text: str) -> str | None:
        """The field a header names by itself, ``status:<key>`` for a gendan status column, or None."""
        hits = self.hits(text)
        best = next((h for h in hits if h.tier >= Tier.NAMED), None)
        return best.field if best else None

    def hits(self, text: str) -> list[HeaderHit]:
        """Every field the header says something about, strongest first (one hit per field)."""
        known = self._known.get(text)
        if known is None:
            known = self._known[text] = self._hits(text)
        return known

    def _hits(self, text: str) -> list[HeaderHit]:
        folded = fold(text)
        if not folded:
            return []
        found: dict[str, HeaderHit] = {}

        whole_name = folded in self._names  # a header that is exactly one of our names keeps its meaning

        def add(key: str, tier: Tier, score: float, name: str, how: str) -> None:
            if not whole_name and not key.startswith(STATUS_PREFIX) and not _basis_allows(text, self.field_of(key)):
                return
            old = found.get(key)
            if old is None or (tier, score) > (old.tier, old.score):
                found[key] = HeaderHit(key, tier, score, self._shown.get(name, name), how)

        if folded in self._names:
            exact = squash(text) == squash(self._shown[folded])
            add(self._names[folded], Tier.EXACT if exact else Tier.ALIAS, TIER_SCORE[Tier.EXACT if exact else Tier.ALIAS],
                folded, "exact" if exact else "alias")
        variants = _variants(text)
        rest = [v for v in variants if v != folded]
        currency_parts = [v for v in rest if _is_currency_word(v)]
        for variant in rest:
            if variant in self._names and variant not in currency_parts:
                add(self._names[variant], Tier.ALIAS, TIER_SCORE[Tier.ALIAS], variant, "alias")
        for inner in _bracketed(text):
            if inner in self._names and not _is_currency_word(inner):
                add(self._names[inner], Tier.PARTIAL, TIER_SCORE[Tier.PARTIAL], inner, "in brackets")
        if any(h.tier >= Tier.ALIAS for h in found.values()):
            return self._sorted(found)
        for variant in [folded, *rest]:
            self._containment(variant, add, text)
        if not any(h.tier >= Tier.NAMED for h in found.values()) and _fuzzy_allowed(folded):
            for name, score, _ in process.extract(folded, self._fuzzy, scorer=fuzz.ratio, limit=3, score_cutoff=80):
                key = self._names[name]
                if _attribute_in(folded, name) or _regional(text):
                    continue
                if score >= 90:
                    add(key, Tier.NAMED, 0.8, name, f"fuzzy {score:.0f}")
                else:
                    add(key, Tier.PARTIAL, 0.35 + (score - 80) / 100, name, f"fuzzy {score:.0f}")
        return self._sorted(found)

    def _containment(self, folded: str, add: object, text: str) -> None:
        for name, key in self._contained:
            at = folded.find(name)
            if at < 0 or key.startswith(STATUS_PREFIX):
                continue
            remainder = folded[:at] + " " + folded[at + len(name):]
            words = [w for w in remainder.split() if w]
            if _attribute_in(folded, name) or _regional(text):
                continue  # 客户评价, 工厂地址: an attribute of the thing, not the thing
            if all(_keeps_meaning(w) for w in words):
                add(key, Tier.NAMED, TIER_SCORE[Tier.NAMED], name, "named")  # type: ignore[operator]
            else:
                # the more of the header the name covers, the more it says ("Ship Date" in "Requested Ship Date")
                add(key, Tier.PARTIAL, 0.3 + 0.2 * len(name) / len(folded), name, "contains")  # type: ignore[operator]

    @staticmethod
    def _sorted(found: dict[str, HeaderHit]) -> list[HeaderHit]:
        return sorted(found.values(), key=lambda h: (-h.tier, -h.score, h.field))


def _keeps_meaning(word: str) -> bool:
    if word in _KEEPS_MEANING:
        return True
    # "suppliercode" split as one word: every piece must keep the meaning
    pieces = [p.casefold() for p in _WORDS.findall(word)]
    return bool(pieces) and "".join(pieces) == word and _split_known(word)


@cache
def _split_known(word: str) -> bool:
    """True when ``word`` is a run of meaning-keeping words (``产品代码``, ``codeno``)."""
    if not word:
        return True
    return any(word.startswith(k) and _split_known(word[len(k):]) for k in _KEEPS_MEANING if k)


def _regional(text: str) -> bool:
    return any(t.casefold() in _REGION_TOKENS for t in _TOKENS.findall(text)) or "美国" in text or "欧盟" in text


def _attribute_in(folded: str, name: str) -> bool:
    """True when the header holds, beside ``name``, a word for an attribute of it (评价, 地址, address …)."""
    rest = folded.replace(name, " ", 1)
    return any(word in rest for word in _ATTRIBUTES if word and word not in name)


# ---------------------------------------------------------------------------------------------
# The header row of a sheet
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class HeaderLayout:
    """Where the header is and which column holds which field (0-based absolute indexes)."""

    header_row: int
    last_header_row: int
    fields: dict[str, int] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    extras: dict[int, str] = field(default_factory=dict)
    duplicates: list[tuple[int, str, int]] = field(default_factory=list)
    last_column: int = -1
    texts: dict[int, str] = field(default_factory=dict)  # every header cell's text (two rows joined), by column


def _cell_text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _row_hits(matcher: HeaderMatcher, row: Sequence[object]) -> set[str]:
    return {hit for value in row if (text := _cell_text(value)) and (hit := matcher.match(text))}


def _looks_like_data(row: Sequence[object]) -> bool:
    """A row of data, not a header: a good share of its filled cells are numbers or dates."""
    filled = [v for v in row if v not in ("", None)]
    typed = sum(1 for v in filled if not isinstance(v, str))
    return len(filled) >= 4 and typed * 10 >= len(filled) * 3


def find_header_rows(matcher: HeaderMatcher, rows: Sequence[Sequence[object]]) -> tuple[int, int] | None:
    """The first and last header row among the first rows of a sheet (0-based), or None."""
    best_row, best_hits = -1, 0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if _looks_like_data(row):
            continue  # its texts (descriptions, names) need no header matching
        hits = len({h for h in _row_hits(matcher, row) if not h.startswith(STATUS_PREFIX)})
        if hits > best_hits:
            best_row, best_hits = index, hits
    if best_row < 0:
        return None
    top = best_row
    if best_row > 0 and _names_fields(matcher, rows[best_row - 1], rows[best_row]):
        top = best_row - 1  # a bilingual header over two rows whose lower row names more fields
    second = rows[top + 1] if top + 1 < len(rows) else None
    if second is not None and top == best_row and not _continues_header(matcher, rows[top], second):
        second = None
    return top, top + (1 if second is not None else 0)


def header_texts(rows: Sequence[Sequence[object]], top: int, bottom: int, col_offset: int) -> dict[int, str]:
    """Each column's header text (two header rows joined, the lower first), by absolute column."""
    width = max(len(rows[r]) for r in range(top, bottom + 1))
    texts: dict[int, str] = {}
    for index in range(width):
        parts = [_cell_text(rows[r][index]) if index < len(rows[r]) else "" for r in range(top, bottom + 1)]
        parts = list(dict.fromkeys(p for p in parts if p))
        if parts:
            texts[index + col_offset] = "\n".join(parts)
    return texts


def detect_header(matcher: HeaderMatcher, rows: Sequence[Sequence[object]], col_offset: int) -> HeaderLayout | None:
    """Find the header among the first rows of a sheet and match each column by its header alone; None if none.

    ``rows`` are the first rows (index = 0-based sheet row), already with merged cells filled.
    """
    found = find_header_rows(matcher, rows)
    if found is None:
        return None
    top, bottom = found
    layout = HeaderLayout(header_row=top, last_header_row=bottom)
    layout.texts = header_texts(rows, top, bottom, col_offset)
    for absolute, text in layout.texts.items():
        layout.last_column = absolute
        pieces = text.split("\n")
        # the lower row first (the specific name under a merged group title), then the whole
        target = next((hit for piece in [*reversed(pieces), text] if (hit := matcher.match(piece))), None)
        shown = one_line(text)
        if target is None:
            layout.extras[absolute] = shown
            continue
        table = layout.status if target.startswith(STATUS_PREFIX) else layout.fields
        key = target.removeprefix(STATUS_PREFIX)
        if key in table:
            layout.duplicates.append((absolute, shown, table[key]))
        else:
            table[key] = absolute
    return layout


def _names_fields(matcher: HeaderMatcher, row: Sequence[object], below: Sequence[object]) -> bool:
    """A row above the header that is its other-language half: text only, most cells naming the
    same field as the header cell below them (a title or a Shipper/Date block does not)."""
    values = [v for v in row if v not in ("", None)]
    if not values or any(not isinstance(v, str) for v in values):
        return False
    agree = 0
    for index, value in enumerate(row):
        text, under = _cell_text(value), _cell_text(below[index]) if index < len(below) else ""
        if text and under and (hit := matcher.match(text)) is not None and hit == matcher.match(under):
            agree += 1
    return agree >= 2 and agree * 2 >= len(values)


def _continues_header(matcher: HeaderMatcher, header: Sequence[object], row: Sequence[object]) -> bool:
    """A second header row (a bilingual header over two rows, or L/W/H under a merged title)."""
    values = [v for v in row if v not in ("", None)]
    if not values or any(not isinstance(v, str) for v in values):
        return False
    hits = _row_hits(matcher, row)
    if len(hits) * 2 >= len(values):
        return True  # most of its cells name fields: the header's other-language half
    # Sub-headers under a merged title (长 宽 高 under 外箱尺寸): new fields, in columns whose top cell is empty.
    # A data row whose one text happens to be a header word (a customer's default "C/O") is not one.
    known = _row_hits(matcher, header)
    return any(_cell_text(header[index]) == "" if index < len(header) else True
               for index, value in enumerate(row)
               if (text := _cell_text(value)) and (hit := matcher.match(text)) and hit not in known)
