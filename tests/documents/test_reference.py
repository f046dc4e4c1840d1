"""docs/documents.md: the generated variable reference is current and every kind and code is described."""

from __future__ import annotations

from gendan_xl.documents import KINDS
from gendan_xl.documents.reference import DOC_PAGE, render_variables, update_page
from gendan_xl.findings import RULES


def test_variable_reference_is_up_to_date() -> None:
    assert update_page(check=True), "run: python -m gendan_xl.documents.reference"


def test_reference_lists_the_loops_and_per_kind_sections() -> None:
    table = render_variables()
    assert "`{%tr for l in lines %}`" in table and "`{%tr for i in customs_items %}`" in table
    assert "| `purchase.total_words_zh` | 人民币" in table
    assert "| `company.name` | 宁波环宇进出口有限公司 | all |" in table


def test_page_describes_every_kind_and_code() -> None:
    page = DOC_PAGE.read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"`{kind.key}`" in page and kind.template_name in page
    for code, rule in RULES.items():
        if rule.family == "documents":
            assert f"`{code}`" in page
