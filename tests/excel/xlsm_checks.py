"""Independent readers for a built .xlsm: oletools' olevba for the VBA modules, python-calamine for the
xlwings.conf sheet, LibreOffice for the whole file."""

from __future__ import annotations

import os
import signal
import subprocess
import zipfile
from pathlib import Path

from oletools.olevba import VBA_Parser
from python_calamine import CalamineWorkbook

MACROS = Path(__file__).resolve().parents[2] / "macros"
WORKBOOK_GUID, WORKSHEET_GUID = "00020819-0000-0000-C000-000000000046", "00020820-0000-0000-C000-000000000046"


def conf_values(path: Path, sheet: str = "xlwings.conf") -> dict[str, str]:
    """Column B of the xlwings.conf key block (A1 down to the first blank A cell), by the key in A."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    end = next((i for i, row in enumerate(rows) if row[0] == ""), len(rows))
    return {str(row[0]): str(row[1]) if len(row) > 1 else "" for row in rows[:end]}


def olevba_modules(path: Path) -> dict[str, tuple[str, str]]:
    """Module name → (file name olevba gives it, full source), read in olevba's strict mode."""
    parser = VBA_Parser(str(path), relaxed=False)
    try:
        return {str(stream).rsplit("/", 1)[-1]: (str(name), str(code)) for _, stream, name, code in parser.extract_macros()}
    finally:
        parser.close()


def document_source(name: str, base_guid: str) -> str:
    """A document module as Excel stores an empty one, written out independently of the builder."""
    lines = [f'Attribute VB_Name = "{name}"', f'Attribute VB_Base = "0{{{base_guid}}}"',
             "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
             "Attribute VB_PredeclaredId = True", "Attribute VB_Exposed = True", "Attribute VB_TemplateDerived = False",
             "Attribute VB_Customizable = True"]
    return "".join(f"{line}\r\n" for line in lines)


def expected_modules(workbook: str, sheets: list[str]) -> dict[str, tuple[str, str]]:
    """What olevba must find: the document modules, then the shipped macro files byte for byte."""
    expected = {workbook: (f"{workbook}.cls", document_source(workbook, WORKBOOK_GUID))}
    expected.update({name: (f"{name}.cls", document_source(name, WORKSHEET_GUID)) for name in sheets})
    for file in ("gendan.bas", "xlwings.bas", "Dictionary.cls"):
        expected[file.rsplit(".", 1)[0]] = (file, (MACROS / file).read_bytes().decode("ascii"))
    return expected


def soffice_convert(soffice: str, path: Path, outdir: Path, target: str) -> Path:
    """Convert with LibreOffice headless (own profile); return the converted file."""
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [soffice, "--headless", "--norestore", f"-env:UserInstallation={(outdir / 'lo-profile').as_uri()}",
           "--convert-to", target, "--outdir", str(outdir), str(path)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # soffice.bin outlives its wrapper script otherwise
        proc.communicate()
        raise AssertionError(f"LibreOffice timed out converting {path.name}") from None
    assert proc.returncode == 0, err.decode(errors="replace")
    result = outdir / f"{path.stem}.{target.split(':')[0]}"
    assert result.exists(), err.decode(errors="replace")
    return result


def libreoffice_view(soffice: str, path: Path, outdir: Path) -> tuple[str, dict[str, str]]:
    """LibreOffice's reading of an .xlsm: the ODS content (form buttons and their macros) and its Basic modules."""
    ods = soffice_convert(soffice, path, outdir, "ods")
    with zipfile.ZipFile(ods) as archive:
        content = archive.read("content.xml").decode()
        basic = {n.rsplit("/", 1)[-1][:-4]: archive.read(n).decode() for n in archive.namelist()
                 if n.startswith("Basic/VBAProject/") and n.endswith(".xml") and not n.endswith("script-lb.xml")}
    return content, basic
