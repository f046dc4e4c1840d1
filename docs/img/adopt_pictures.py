"""Make the before/after pictures of docs/adopt.md: a merchandiser's tracker, then the same after ``check --write``.

Usage: python docs/img/adopt_pictures.py   (needs LibreOffice ``soffice`` and poppler's ``pdftoppm``)

The tracker is the demo's first orders in a one-sheet layout of its own (title row, merged order
cells, a 客户评价 column beside the customer), printed landscape on one page's width. It is checked as
of 2026-11-26 and its statuses written back; both files are rendered to PDF by LibreOffice and the
first page of each to ``adopt_before.png`` / ``adopt_after.png`` beside this script.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from gendan_xl.demo import demo_rows
from gendan_xl.pipeline import check_workbook
from gendan_xl.workbook.trackerfile import TrackerColumn, write_tracker_file

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 11, 26)
COLUMNS = (
    TrackerColumn("客户评价", "orders", "rating", 8), TrackerColumn("客户", "orders", "customer", 10),
    TrackerColumn("订单号", "orders", "order_no", 12), TrackerColumn("客人交期", "orders", "delivery_date", 11),
    TrackerColumn("付款方式", "orders", "payment_terms", 20), TrackerColumn("订金到账日", "orders", "deposit_date", 11),
    TrackerColumn("下单给工厂日期", "orders", "po_issued", 11), TrackerColumn("货号", "lines", "item_no", 9),
    TrackerColumn("数量", "lines", "qty", 7), TrackerColumn("售价", "lines", "unit_price", 7),
    TrackerColumn("金额", "lines", "amount", 10), TrackerColumn("合同金额", "orders", "order_total", 11),
    TrackerColumn("状态", "orders", "status", 12),
)


def _render(xlsx: Path, png: Path, profile: Path, *, crop: float) -> None:
    out = xlsx.parent / "pdf"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "pdf", "--outdir", str(out), str(xlsx)], check=True, capture_output=True)
    pdf = out / f"{xlsx.stem}.pdf"
    dpi = 150  # A4 landscape is 11.69 × 8.27 in: keep the top ``crop`` share of the page, where the table is
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", "-x", "0", "-y", "0",
                    "-W", str(int(11.69 * dpi)), "-H", str(int(8.27 * dpi * crop)), str(pdf), str(png.with_suffix(""))],
                   check=True)


def main() -> None:
    """Write the tracker, check and write back a copy, render both."""
    data = demo_rows(TODAY)
    ratings = ["好", "一般", "好", "很好"]
    orders = []
    for index, order in enumerate(data.rows["orders"][:13]):
        lines = [line for line in data.rows["lines"] if line["order_no"] == order["order_no"]]
        orders.append(({**order, "rating": ratings[index % 4]}, lines))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        before = write_tracker_file(work / "tracker.xlsx", orders, COLUMNS, sheet="2026跟单",
                                    title="宁波环宇进出口 外贸跟单表（节选）", print_wide=True)
        after = Path(shutil.copy(before, work / "tracker_checked.xlsx"))
        check_workbook(after, today=TODAY, write=True)
        _render(before, HERE / "adopt_before.png", work / "profile", crop=0.95)
        _render(after, HERE / "adopt_after.png", work / "profile", crop=0.55)
    print(f"wrote {HERE / 'adopt_before.png'} and {HERE / 'adopt_after.png'}")


if __name__ == "__main__":
    main()
