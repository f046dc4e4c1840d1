"""``render_documents``: choose orders, shipments and kinds, check the set, render, convert, log — the one core.

The CLI (``gendan docs``), the Excel button and a notebook call this function; none of them holds
business logic of its own. The steps, and where each can stop the run before anything is written:

1. read the workbook (unless a :class:`~gendan_xl.models.Workbook` is given);
2. choose the orders (``orders`` or ``due_within``), the shipments (``shipments``: shipment numbers
   of the 出运 sheet or groups of the saved plan, handed in as ``plan``) and the kinds — ConfigError
   for unknown ones;
3. build every kind's context and run the cross-document check (for a shipment: each of its orders,
   then the shipment's documents with each other and with 出运) — DocumentCheckError listing the
   differences, missing data and cancelled orders, unless ``force``;
4. find LibreOffice for ``pdf`` — ConfigError with install instructions;
5. check the workbook can take the log (not open in Excel) — WorkbookLockedError;
6. load the templates (user folder first) and check their variables — TemplateError naming them;
7. render (and convert), in parallel for a batch;
8. append one log row per document to 单证记录 through the safe patcher (a shipment's document
   lists its orders and carries the fingerprint of each).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from gendan_xl.checks.snapshots import snapshot_text, take_snapshot
from gendan_xl.errors import ConfigError, DocumentCheckError
from gendan_xl.models import Order, Workbook

from .batch import RenderedFile, Renderer, RenderTask, default_workers, render_batch
from .consistency import DocumentProblem, check_documents, check_shipment, container_problems
from .context import DocumentContext, build_context
from .customs import load_hs_units
from .kinds import KINDS, SHIPMENT_KINDS, DocumentKind, safe_file_stem, split_kinds
from .lacking import lacking_lines
from .log import LogEntry, LogWrite, check_log_writable, write_log
from .render import check_variables, find_soffice, no_soffice_error, template_paths
from .shipment import ShipmentData, gather_shipment, shipment_fingerprint
from .source import OrderData, fingerprint, gather_order

__all__ = ["DocumentRun", "render_documents", "select_orders", "templates_folder"]


@dataclass
class DocumentRun:
    """What :func:`render_documents` did: the files, the problems it was forced past, the log rows.

    ``fingerprints`` and the files are keyed by what a document is for: the order no., or for a
    shipment its number (the 出运 shipment no., or ``G3`` for a group of the plan).
    """

    files: list[RenderedFile] = field(default_factory=list)
    forced: list[DocumentProblem] = field(default_factory=list)
    lacking: list[str] = field(default_factory=list)  # per kind, the columns and sheets the workbook does not keep
    log: LogWrite | None = None
    fingerprints: dict[tuple[str, str], str] = field(default_factory=dict)
    templates: dict[str, Path] = field(default_factory=dict)
    entries: list[LogEntry] = field(default_factory=list)
    shipments: dict[str, tuple[str, ...]] = field(default_factory=dict)  # shipment → its orders


@dataclass
class _Unit:
    """One set of documents to make: an order's or a shipment's, with every kind's context."""

    name: str
    data: OrderData | ShipmentData
    contexts: dict[str, DocumentContext]
    kinds: tuple[DocumentKind, ...]

    @property
    def orders(self) -> str:
        """The order column of the log: the order, or the shipment's orders."""
        return ", ".join(part.order.order_no for part in self.data.parts)

    def fingerprint(self, kind: DocumentKind) -> str:
        if isinstance(self.data, ShipmentData):
            return shipment_fingerprint(self.data, kind)
        return fingerprint(self.data, kind)

    @property
    def snapshot(self) -> str:
        """The order's figures as the log keeps them to say later what changed; a shipment's rows keep none (its
        orders' own documents do)."""
        if isinstance(self.data, ShipmentData):
            return ""
        return snapshot_text(take_snapshot(self.data.order, self.data.lines))


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


def _shipment_names(shipments: Sequence[str] | None) -> list[str]:
    if shipments is None:
        return []
    wanted = list(dict.fromkeys(no.strip() for item in shipments for no in item.split(",") if no.strip()))
    if not wanted:
        raise ConfigError("--shipment 没有给出出运编号", "--shipment names no shipment")
    return wanted


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


def _targets(units: Sequence[_Unit], out: Path) -> dict[tuple[str, str], Path]:
    """``{order}_{kind}.docx`` (``{shipment}_{kind}.docx``) per document; names that clean up alike get ``~2``."""
    stems: dict[str, str] = {}
    used: set[str] = set()
    for unit in units:
        base = safe_file_stem(unit.name)
        stem, n = base, 2
        while stem.casefold() in used:
            stem, n = f"{base}~{n}", n + 1
        used.add(stem.casefold())
        stems[unit.name] = stem
    return {(u.name, k.key): out / f"{stems[u.name]}_{k.key}.docx" for u in units for k in u.kinds}


def _order_units(workbook: Workbook, chosen: Sequence[Order], kinds: tuple[DocumentKind, ...], today: date,
                 hs_units: Mapping[str, tuple[str, str]], rendering: set[str]) -> tuple[list[_Unit], list[DocumentProblem]]:
    units: list[_Unit] = []
    problems: list[DocumentProblem] = []
    for order in chosen:
        data = gather_order(workbook, order.order_no, today=today, hs_units=hs_units)
        contexts = {kind.key: build_context(data, kind) for kind in KINDS}
        problems.extend(check_documents(list(contexts.values()), rendering, cancelled=order.is_cancelled))
        units.append(_Unit(order.order_no, data, contexts, kinds))
    return units, problems


def _shipment_units(workbook: Workbook, names: Sequence[str], kinds: tuple[DocumentKind, ...], today: date,
                    hs_units: Mapping[str, tuple[str, str]], plan: Mapping[str, Sequence[str]] | None,
                    rendering: set[str]) -> tuple[list[_Unit], list[DocumentProblem]]:
    units: list[_Unit] = []
    problems: list[DocumentProblem] = []
    for name in names:
        data = gather_shipment(workbook, name, today=today, hs_units=hs_units, plan=plan)
        if any(unit.name == data.name for unit in units):
            continue  # the same shipment asked for twice (HY-INV-1, hy-inv-1)
        contexts = {kind.key: build_context(data, kind) for kind in SHIPMENT_KINDS}
        members = {part.order.order_no: [build_context(part, kind) for kind in KINDS] for part in data.parts}
        cancelled = [part.order.order_no for part in data.parts if part.order.is_cancelled]
        problems.extend(check_shipment(list(contexts.values()), members, rendering, cancelled=cancelled,
                                       containers=container_problems(data)))
        units.append(_Unit(data.name, data, contexts, kinds))
    return units, problems


def render_documents(
    source: Workbook | Path | str,
    *,
    out_dir: Path | str,
    orders: Sequence[str] | None = None,
    due_within: int | None = None,
    shipments: Sequence[str] | None = None,
    plan: Mapping[str, Sequence[str]] | None = None,
    kinds: Sequence[str] | None = None,
    pdf: bool = False,
    templates_dir: Path | str | None = None,
    force: bool = False,
    today: date | None = None,
    workers: int | None = None,
    log: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> DocumentRun:
    """Render the documents of the chosen orders and shipments into ``out_dir``; see the module docstring for the steps.

    ``source`` is the workbook's path or an already read workbook; ``shipments`` takes shipment
    numbers of the 出运 sheet or groups (``G3``) of ``plan``, the saved shipment plan's group
    numbers → order numbers; ``kinds`` takes kind keys or any of their names (``ci``, ``商业发票``),
    every kind when None (every shipment kind for a shipment); ``workers`` defaults to two
    processes for a batch; ``log`` appends to the workbook's 单证记录 sheet (needs a path).
    """
    from gendan_xl.workbook.reader import read_workbook

    workbook = source if isinstance(source, Workbook) else read_workbook(source)
    today = today or date.today()
    names = _shipment_names(shipments)
    by_order = orders is not None or due_within is not None
    if not by_order and not names:
        raise ConfigError("请指定 --order、--due-within 或 --shipment", "give --order, --due-within or --shipment")
    order_kinds, shipment_kinds = split_kinds(kinds, shipments=bool(names), orders=by_order)
    chosen = select_orders(workbook, orders=orders, due_within=due_within, today=today) if by_order else []
    run = DocumentRun()
    if not chosen and not names:
        return run
    user_dir = templates_folder(workbook, templates_dir)
    used = tuple(k for k in KINDS if k in order_kinds or k in shipment_kinds)
    paths = template_paths(used, user_dir)
    hs_units = load_hs_units(user_dir if user_dir is not None and user_dir.is_dir() else None)
    units, problems = _order_units(workbook, chosen, order_kinds, today, hs_units, {k.key for k in order_kinds})
    more, found = _shipment_units(workbook, names, shipment_kinds, today, hs_units, plan, {k.key for k in shipment_kinds})
    units.extend(more)
    problems.extend(found)
    run.lacking = lacking_lines(workbook, used)
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
    samples = {k.key: next(u.contexts[k.key].values for u in units if k in u.kinds) for k in used}
    for key, template in renderer.templates.items():
        check_variables(template, samples[key])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    targets = _targets(units, out)
    groups = [[RenderTask(u.name, k.key, u.contexts[k.key].values, targets[(u.name, k.key)]) for k in u.kinds]
              for u in units]
    count = sum(len(g) for g in groups)
    processes = workers if workers is not None else default_workers(count)
    if processes > 1:
        renderer.warm(samples)  # forked workers inherit the compiled templates
    try:
        run.files = render_batch(groups, paths, soffice=soffice, workers=processes, progress=progress,
                                 renderer=renderer)
    finally:
        renderer.close()
    run.templates = paths
    stamp = datetime.now()
    for unit in units:
        if isinstance(unit.data, ShipmentData):
            run.shipments[unit.name] = unit.data.order_nos
        for kind in unit.kinds:
            mark = unit.fingerprint(kind)
            run.fingerprints[(unit.name, kind.key)] = mark
            run.entries.append(LogEntry(unit.orders, kind, str(unit.contexts[kind.key].values["doc"]["no"]),
                                        _shown_path(targets[(unit.name, kind.key)], workbook.path), stamp, mark,
                                        unit.snapshot))
    if log and workbook.path is not None and run.entries:
        run.log = write_log(workbook.path, run.entries, sheet=workbook.sheets.get("documents"),
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
