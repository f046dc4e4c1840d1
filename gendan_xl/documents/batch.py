"""Render many documents: in this process, or on a pool of worker processes that load the templates once.

The unit of work is one order's documents: a worker renders them and, for PDFs, converts them in
a single LibreOffice run (LibreOffice's start-up costs more than a conversion). Contexts are
built in the parent — they are small dicts of text — so workers never see the workbook. Where
processes fork (Linux), the workers inherit the parent's templates already parsed and compiled;
where they are spawned (Windows, macOS), each worker loads them once at start.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from gendan_xl.errors import GendanError, TemplateError

from .kinds import find_kind
from .render import CompiledTemplate, PdfConverter

__all__ = ["RenderTask", "RenderedFile", "Renderer", "default_workers", "render_batch"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class RenderTask:
    """One document to render: the kind, its context values and the file to write."""

    order_no: str
    kind: str
    values: Mapping[str, Any]
    target: Path


@dataclass(frozen=True, slots=True)
class RenderedFile:
    """A document written: the .docx and, when asked, its PDF."""

    order_no: str
    kind: str
    docx: Path
    pdf: Path | None = None


@dataclass(frozen=True, slots=True)
class _Failure:
    """A worker's exception, carried back as data (GendanError's bilingual arguments do not pickle)."""

    template: bool
    zh: str
    en: str


class Renderer:
    """Renders tasks with templates loaded once; optionally converts them to PDF."""

    def __init__(self, templates: Mapping[str, Path], soffice: str | None = None) -> None:
        self.templates: dict[str, CompiledTemplate] = {}
        for key, path in templates.items():
            kind = find_kind(key)
            assert kind is not None, key
            self.templates[key] = CompiledTemplate(kind, path)
        self.converter = PdfConverter(soffice) if soffice else None

    def attach_pdf(self, soffice: str) -> None:
        """Convert to PDF from now on (a LibreOffice profile of this process's own)."""
        if self.converter is None:
            self.converter = PdfConverter(soffice)

    def warm(self, samples: Mapping[str, Mapping[str, Any]]) -> None:
        """Compile every template once with a sample context, so forked workers inherit the compiled code."""
        for key, values in samples.items():
            self.templates[key].warm(values)

    def run(self, tasks: Sequence[RenderTask]) -> list[RenderedFile]:
        """Render ``tasks`` (and convert them, one LibreOffice run per folder)."""
        for task in tasks:
            self.templates[task.kind].render(task.values, task.target)
        pdfs: dict[Path, Path] = {}
        if self.converter is not None:
            by_folder: dict[Path, list[Path]] = {}
            for task in tasks:
                by_folder.setdefault(task.target.parent, []).append(task.target)
            for folder, files in by_folder.items():
                pdfs.update(zip(files, self.converter.convert(files, folder), strict=True))
        return [RenderedFile(t.order_no, t.kind, t.target, pdfs.get(t.target)) for t in tasks]

    def close(self) -> None:
        """Release the PDF converter's profile."""
        if self.converter is not None:
            self.converter.close()


_WORKER: Renderer | None = None
_INHERITED: Renderer | None = None  # set in the parent just before forking: the workers' copy is ready to use


def _start_worker(templates: dict[str, Path], soffice: str | None) -> None:
    global _WORKER
    inherited = _INHERITED
    if inherited is not None and set(templates) <= set(inherited.templates):
        # A forked worker has the parent's templates, already parsed and compiled: loading them
        # again would cost each worker about as much as rendering a dozen documents.
        inherited.converter = PdfConverter(soffice) if soffice else None  # this process's own profile
        _WORKER = inherited
    else:  # spawned (Windows, macOS): a fresh interpreter loads the templates once
        _WORKER = Renderer(templates, soffice)


def _work(tasks: list[RenderTask]) -> list[RenderedFile] | _Failure:
    assert _WORKER is not None
    try:
        return _WORKER.run(tasks)
    except GendanError as exc:
        return _Failure(isinstance(exc, TemplateError), exc.message_zh, exc.message_en)


def default_workers(documents: int) -> int:
    """Two processes for a batch (both cores of a typical office PC), one for a handful of documents."""
    if documents < 12:
        return 1  # starting a pool costs more than it saves
    return max(1, min(2, os.cpu_count() or 1))


def render_batch(groups: Sequence[Sequence[RenderTask]], templates: Mapping[str, Path], *, soffice: str | None = None,
                 workers: int = 1, progress: Progress | None = None, renderer: Renderer | None = None) -> list[RenderedFile]:
    """Render every group (one order's documents each); returns the files in the order of the tasks."""
    total = sum(len(group) for group in groups)
    done = 0
    results: dict[int, list[RenderedFile]] = {}
    if workers <= 1 or len(groups) <= 1:
        own = renderer is None
        active = renderer or Renderer(templates)
        if soffice:
            active.attach_pdf(soffice)
        try:
            for index, group in enumerate(groups):
                results[index] = active.run(group)
                done += len(group)
                if progress:
                    progress(done, total)
        finally:
            if own:
                active.close()
    else:
        global _INHERITED
        context = multiprocessing.get_context()
        if renderer is not None and context.get_start_method() == "fork":
            _INHERITED = renderer
        try:
            results.update(_run_pool(groups, templates, soffice, workers, context, progress, total))
        finally:
            _INHERITED = None
    return [item for index in range(len(groups)) for item in results[index]]


def _run_pool(groups: Sequence[Sequence[RenderTask]], templates: Mapping[str, Path], soffice: str | None, workers: int,
              context: BaseContext, progress: Progress | None, total: int) -> dict[int, list[RenderedFile]]:
    """Render the groups on ``workers`` processes, reporting progress as each group finishes."""
    results: dict[int, list[RenderedFile]] = {}
    done = 0
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(dict(templates), soffice),
                             mp_context=context) as pool:
        futures: dict[Future[list[RenderedFile] | _Failure], int] = {
            pool.submit(_work, list(group)): index for index, group in enumerate(groups)}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                outcome = future.result()
                if isinstance(outcome, _Failure):
                    for other in pending:
                        other.cancel()
                    error = TemplateError if outcome.template else GendanError
                    raise error(outcome.zh, outcome.en)
                results[futures[future]] = outcome
                done += len(outcome)
                if progress:
                    progress(done, total)
    return results
