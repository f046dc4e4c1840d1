"""Export rebate rates (出口退税率) per HS code, for the margin check.

No rate is assumed: since 2024-12-01 many goods have 9 % or no rebate instead of 13 % (MOF/STA
Announcement 2024 No. 15), so a blanket default would overstate margins. A margin is computed
after the rebate only when the rate table gives a rate for the line's HS code, and without the
rebate otherwise (the margin findings say which). The table maps HS codes or code prefixes
(``8215``, ``821599``) to rates; the longest matching prefix wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from gendan_xl.checks.base import CheckContext

__all__ = ["lookup_rebate_rate", "rebate_rate", "rebate_rates"]


def rebate_rates(ctx: CheckContext) -> Mapping[str, Decimal]:
    """The workbook's rebate rate table (HS code or prefix → rate); empty while the workbook has no rate sheet."""
    table: Mapping[str, Decimal] = ctx.memo("rebate_rates", dict)
    return table


def lookup_rebate_rate(table: Mapping[str, Decimal], hs_code: str | None) -> Decimal | None:
    """The rate of ``hs_code`` in ``table``: the entry with the longest prefix of the code, or None."""
    if not hs_code or not table:
        return None
    digits = "".join(ch for ch in hs_code if ch.isdigit())
    for end in range(len(digits), 1, -1):
        rate = table.get(digits[:end])
        if rate is not None:
            return rate
    return None


def rebate_rate(ctx: CheckContext, hs_code: str | None) -> Decimal | None:
    """The export rebate rate for ``hs_code``, or None when no rate table says."""
    return lookup_rebate_rate(rebate_rates(ctx), hs_code)
