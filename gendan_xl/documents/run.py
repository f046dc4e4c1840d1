"""``render_documents``: choose orders and kinds, check the set, render, convert, log — the one core.

The CLI (``gendan docs``), the Excel button and a notebook call this function; none of them holds
business logic of its own. The steps, and where each can stop the run before anything is written:

1. read the workbook (unless a :class:`~gendan_xl.models.Workbook` is given);
2. choose the orders (``orders`` or ``due_within``) and kinds — ConfigError for unknown ones;
3. build every kind's context and run the cross-document check — DocumentCheckError listing the
   differences, missing data and cancelled orders, unless ``force``;
4. find LibreOffice for ``pdf`` — ConfigError with install instructions;
5. check the workbook can take the log (not open in Excel) — WorkbookLockedError;
6. load the templates (user folder first) and check their variables — TemplateError naming them;
7. render (and convert), in parallel for a batch;
8. append one log row per document to 单证记录 through the safe patcher.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from gendan_xl.checks.snapshots import snapshot_text, take_snapshot
from gendan_xl.errors import ConfigError, DocumentCheckError
from gendan_xl.models import Order, Workbook

from .batch import RenderedFile, Renderer, RenderTask, default_workers, render_batch
from .consistency import DocumentProblem, check_documents
from .context import DocumentContext, build_context
from .customs import load_hs_units
from .kinds import KINDS, DocumentKind, document_file_name, parse_kinds
from .lacking import lacking_lines
from .log import LogEntry, LogWrite, check_log_writable, write_log
from .render import check_variables, find_soffice, no_soffice_error, template_paths
from .source import OrderData, fingerprint, gather_order

__all__ = ["DocumentRun", "render_documents", "select_orders", "templates_folder"]


@dataclass
class DocumentRun:
    """What :func:`render_documents` did: the files, the problems it was forced past, the log rows."""

    files: list[RenderedFile] = field(default_factory=list)
    forced: list[DocumentProblem] = field(default_factory=list)
    lacking: list[str] = field(default_factory=list)  # per kind, the columns and sheets the workbook does not keep
    log: LogWrite | None = None
    fingerprints: dict[tuple[str, str], str] = field(default_factory=dict)
    templates: dict[str, Path] = field(default_factory=dict)


def select_orders(workbook: Workbook, *, orders: Sequence[str] | None, due_within: int | None,
                  today: date) -> list[Order]:
    """The orders asked for by number, or those not yet shipped whose delivery date is within ``due_within`` days.

    Late orders (delivery date passed, not shipped) count as due: their documents are the most urgent.
    """
    if (orders is None) == (due_within is None):
        raise ConfigError("请指定 --order 或 --due-within（二选一）", "give either --order or --due-within (one of them)")
    if orders is not None:
        wanted = [no.strip() for item in orders for no in item.split(",") if no.strip()]
        if not wanted:
            raise ConfigError("--order 没有给出订单号", "--order names no order")
        unknown = [no for no in wanted if no not in workbook.orders_by_no]
        if unknown:
            raise ConfigError(f"总表中没有这些订单：{', '.join(unknown)}", f"no such order in the workbook: {', '.join(unknown)}")
        return [workbook.orders_by_no[no] for no in dict.fromkeys(wanted)]
    assert due_within is not None
    if due_within < 0:
        raise ConfigError("--due-within 不能为负数", "--due-within cannot be negative")
    limit = today + timedelta(days=due_within)
    return [o for o in workbook.orders_by_no.values()
            if o.delivery_date is not None and o.delivery_date <= limit and not o.is_shipped and not o.is_cancelled]


def templates_folder(workbook: Workbook, given: Path | str | None) -> Path | None:
    """The user's templates folder: ``given``, else the ``templates_dir`` setting (relative to the workbook)."""
    if given is not None:
        return Path(given)
    setting = workbook.settings.templates_dir.strip()
    if not setting:
        return None
    folder = Path(setting).expanduser()
    if not folder.is_absolute() and workbook.path is not None:
        folder = workbook.path.parent / folder
    return folder


def _targets(orders: Sequence[Order], kinds: Sequence[DocumentKind], out: Path) -> dict[tuple[str, str], Path]:
    """``{order}_{kind}.docx`` per document; two order numbers that clean up alike get a numbered suffix."""
    stems: dict[str, str] = {}
    used: set[str] = set()
    for order in orders:
        base = document_file_name(order.order_no, kinds[0])[: -len(f"_{kinds[0].key}.docx")]
        stem, n = base, 2
        while stem.casefold() in used:
            stem, n = f"{base}~{n}", n + 1
        used.add(stem.casefold())
        stems[order.order_no] = stem
    return {(o.order_no, k.key): out / f"{stems[o.order_no]}_{k.key}.docx" for o in orders for k in kinds}


def render_documents(
    source: Workbook | Path | str,
    *,
    out_dir: Path | str,
    orders: Sequence[str] | None = None,
    due_within: int | None = None,
    kinds: Sequence[str] | None = None,
    pdf: bool = False,
    templates_dir: Path | str | None = None,
    force: bool = False,
    today: date | None = None,
    workers: int | None = None,
    log: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> DocumentRun:
    """Render the documents of the chosen orders into ``out_dir``; see the module docstring for the steps.

    ``source`` is the workbook's path or an already read workbook; ``kinds`` takes kind keys or
    any of their names (``ci``, ``商业发票``), every kind when None; ``workers`` defaults to two
    processes for a batch; ``log`` appends to the workbook's 单证记录 sheet (needs a path).
    """
    from gendan_xl.workbook.reader import read_workbook

    workbook = source if isinstance(source, Workbook) else read_workbook(source)
    today = today or date.today()
    chosen_kinds = parse_kinds(kinds)
    chosen = select_orders(workbook, orders=orders, due_within=due_within, today=today)
    run = DocumentRun()
    if not chosen:
        return run
    user_dir = templates_folder(workbook, templates_dir)
    paths = template_paths(chosen_kinds, user_dir)
    hs_units = load_hs_units(user_dir if user_dir is not None and user_dir.is_dir() else None)
    rendering = [k.key for k in chosen_kinds]
    datasets: list[tuple[OrderData, dict[str, DocumentContext]]] = []
    problems: list[DocumentProblem] = []
    for order in chosen:
        data = gather_order(workbook, order.order_no, today=today, hs_units=hs_units)
        contexts = {kind.key: build_context(data, kind) for kind in KINDS}
        problems.extend(check_documents(list(contexts.values()), rendering, cancelled=order.is_cancelled))
        datasets.append((data, contexts))
    run.lacking = lacking_lines(workbook, chosen_kinds)
    if problems and not force:
        raise DocumentCheckError(
            f"单证数据不一致或不完整，未生成任何文件（共 {len(problems)} 处；核对后重试，或加 --force 强制生成）：\n"
            + "\n".join(p.message_zh for p in problems),
            f"the documents disagree or lack data; nothing was written ({len(problems)} problem(s); fix the workbook "
            "or use --force):\n" + "\n".join(p.message_en for p in problems),
            path=workbook.path, differences=[p.message for p in problems]
            + [f"缺少 Missing — {line}" for line in run.lacking])
    run.forced = problems
    soffice = None
    if pdf:
        soffice = find_soffice()
        if soffice is None:
            raise no_soffice_error()
    if log and workbook.path is not None:
        check_log_writable(workbook.path)
    renderer = Renderer(paths)  # validates the templates in this process before any worker starts
    first = datasets[0][1]
    for key, template in renderer.templates.items():
        check_variables(template, first[key].values)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    targets = _targets(chosen, chosen_kinds, out)
    groups = [[RenderTask(data.order.order_no, key, contexts[key].values, targets[(data.order.order_no, key)])
               for key in rendering] for data, contexts in datasets]
    count = sum(len(g) for g in groups)
    processes = workers if workers is not None else default_workers(count)
    if processes > 1:
        renderer.warm({key: first[key].values for key in rendering})  # forked workers inherit the compiled templates
    try:
        run.files = render_batch(groups, paths, soffice=soffice, workers=processes, progress=progress,
                                 renderer=renderer)
    finally:
        renderer.close()
    run.templates = paths
    stamp = datetime.now()
    entries: list[LogEntry] = []
    by_key = {k.key: k for k in chosen_kinds}
    for data, contexts in datasets:
        snapshot = snapshot_text(take_snapshot(data.order, data.lines))
        for key in rendering:
            print_no = str(contexts[key].values["doc"]["no"])
            mark = fingerprint(data, by_key[key])
            run.fingerprints[(data.order.order_no, key)] = mark
            entries.append(LogEntry(data.order.order_no, by_key[key], print_no,
                                    _shown_path(targets[(data.order.order_no, key)], workbook.path), stamp, mark,
                                    snapshot))
    if log and workbook.path is not None and entries:
        run.log = write_log(workbook.path, entries, sheet=workbook.sheets.get("documents"),
                            backups=workbook.settings.backup_count)
    return run


def _shown_path(target: Path, workbook_path: Path | None) -> str:
    """The file as the log shows it: relative to the workbook's folder when inside it."""
    resolved = target.resolve()
    if workbook_path is not None:
        try:
            return str(resolved.relative_to(workbook_path.resolve().parent))
        except ValueError:
            pass
    return str(resolved)
