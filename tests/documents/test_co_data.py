"""C/O application data (产地证申请资料): the certificate for the destination, the route, the goods and their criteria."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gendan_xl.checks.compliance import destination
from gendan_xl.documents import build_context, find_kind, gather_order, render_documents
from gendan_xl.documents.origin import TO_CONFIRM, certificate_advice, criterion_text, packages_text, route_text
from gendan_xl.errors import DocumentCheckError
from gendan_xl.workbook.reader import read_workbook

from .conftest import TODAY, Rows, docx_text
from .test_consistency import cell


def _values(rows: Rows, write_book: Callable[..., Path]) -> dict[str, Any]:
    kind = find_kind("co-data")
    assert kind is not None
    return build_context(gather_order(read_workbook(write_book(rows)), "T-001", today=TODAY), kind).values


def test_the_certificate_follows_the_checks_rule(rows: Rows, write_book: Callable[..., Path]) -> None:
    rows["shipments"][0]["co_type"] = None
    origin = _values(rows, write_book)["origin"]
    place = destination("DE", {})
    assert place is not None and place.preferred is None  # no preferential certificate for Germany: the C/O
    assert origin["certificate"] == origin["recommended"] == "C/O"  # nothing planned: the recommendation
    assert "no C/O type on the 出运 sheet" in origin["note_en"]
    rows["orders"][0]["destination_country"] = "Vietnam"
    origin = _values(rows, write_book)["origin"]
    vietnam = destination("VN", {})
    assert vietnam is not None and vietnam.preferred is not None
    assert origin["certificate"] == origin["recommended"] == vietnam.preferred.certificate == "Form E"
    assert origin["rule_source"] == vietnam.preferred.source
    assert origin["rule_as_of"] == vietnam.preferred.as_of.isoformat()


def test_planned_certificate_and_the_recommendation(rows: Rows, write_book: Callable[..., Path]) -> None:
    origin = _values(rows, write_book)["origin"]  # 出运 plans C/O for Germany, as recommended
    assert (origin["certificate"], origin["planned"], origin["note_en"]) == ("C/O", "C/O", "")
    advice = certificate_advice("DE", "Form A", {})
    assert advice["certificate"] == "Form A" and "no longer issued" in advice["note_en"]
    recommended = certificate_advice("VN", "C/O", {})["recommended"]
    other = certificate_advice("VN", "C/O", {})
    assert other["certificate"] == "C/O"
    assert (other["note_en"] == "") == (recommended == "C/O")  # a note when the destination takes another one
    overridden = certificate_advice("DE", None, {"DE": "RCEP"})  # the settings' 产地证 DE override wins
    assert overridden["certificate"] == "RCEP" and overridden["preferential"] == "yes"
    assert "no known country" in certificate_advice(None, None, {})["note_en"]


def test_the_boxes_of_the_certificate(rows: Rows, write_book: Callable[..., Path]) -> None:
    rows["lines"][0]["origin_criterion"] = "p"
    values = _values(rows, write_book)
    origin = values["origin"]
    assert origin["route"] == "FROM NINGBO, CHINA TO HAMBURG, GERMANY BY SEA"
    assert origin["packages"] == "TWENTY (20) CARTONS"
    assert origin["destination"] == "GERMANY" and origin["destination_zh"] == "德国"
    assert origin["producers"] == "宁波市海曙厨具有限公司, 浙江省宁波市海曙区 18 号"
    items = [(i["hs_code"], i["criterion"], i["qty"], i["unit"], i["gw"], i["cartons"], i["packages"])
             for i in values["origin_items"]]
    assert items == [("8215990000", "P", "1,250", "PCS", "131.75", "13", "THIRTEEN (13) CARTONS"),
                     ("3924100000", TO_CONFIRM, "300", "SETS", "52.00", "7", "SEVEN (7) CARTONS")]
    assert (values["invoice"]["no"], values["doc"]["no"]) == ("HY-INV-077", "HY-INV-077")


def test_without_a_destination_there_is_no_certificate(rows: Rows, write_book: Callable[..., Path],
                                                      tmp_path: Path) -> None:
    rows["orders"][0]["destination_country"] = None
    with pytest.raises(DocumentCheckError) as caught:
        render_documents(write_book(rows), out_dir=tmp_path, orders=["T-001"], kinds=["co"], today=TODAY)
    assert any(cell("orders", "destination_country") in line for line in caught.value.differences)


def test_rendered_per_order(rows: Rows, write_book: Callable[..., Path], tmp_path: Path) -> None:
    run = render_documents(write_book(rows), out_dir=tmp_path, orders=["T-001"], kinds=["产地证"], today=TODAY)
    text = docx_text(run.files[0].docx)
    assert run.files[0].docx.name == "T-001_co-data.docx"
    assert all(part in text for part in ("原产地证书申请资料", "FROM NINGBO, CHINA TO HAMBURG, GERMANY BY SEA",
                                         "TWENTY (20) CARTONS", "8215990000", TO_CONFIRM, "HY-INV-077"))


@pytest.mark.parametrize(("criteria", "shown"), [(["WO"], "WO"), (["wo", "WO"], "WO"), (["WO", "PE"], "WO; PE"),
                                                 (["WO", None], TO_CONFIRM), ([], TO_CONFIRM)])
def test_criterion_text(criteria: list[str | None], shown: str) -> None:
    assert criterion_text(criteria) == shown


def test_route_and_packages_text() -> None:
    assert route_text("Shenzhen", "Los Angeles", "US") == "FROM SHENZHEN, CHINA TO LOS ANGELES, UNITED STATES BY SEA"
    assert route_text("", "", "") == "FROM CHINA BY SEA"
    assert (packages_text(1), packages_text(None)) == ("ONE (1) CARTON", "")
