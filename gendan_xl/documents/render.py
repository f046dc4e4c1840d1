"""Render templates with docxtpl (always autoescaped), check their variables, convert to PDF.

A :class:`CompiledTemplate` is loaded once per process: the template's bytes stay in memory and
the patched XML of its body, headers and footers is compiled by Jinja once, so each further
document costs only python-docx's load, the Jinja render and the save. Rendering uses
``autoescape=True`` (a ``&`` in the data otherwise silently cuts the document, pitfalls.md) and
Jinja's ``StrictUndefined``, so a template asking for a value the context lacks fails loudly.

:func:`template_paths` resolves each kind's template: the user's folder (``--templates DIR`` or
the ``templates_dir`` setting) first, then the built-in one. :func:`check_variables` names every
variable a template uses that the context does not provide — top-level names through docxtpl's
``get_undeclared_template_variables`` and dotted names (``order.foo``) through Jinja's syntax tree.

PDFs come from LibreOffice (``soffice --headless --convert-to pdf``), each process with its own
profile directory so parallel conversions do not collide (:class:`PdfConverter`).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from filelock import FileLock, Timeout
from jinja2 import nodes

from gendan_xl.errors import ConfigError, GendanError, TemplateError

from .kinds import DocumentKind

__all__ = [
    "BUILTIN_TEMPLATES",
    "CompiledTemplate",
    "PdfConverter",
    "check_variables",
    "find_soffice",
    "template_paths",
]

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_JINJA_GLOBALS = frozenset({"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "caller", "varargs",
                            "kwargs", "True", "False", "None", "true", "false", "none"})


class _Environment(jinja2.Environment):
    """Autoescaping, strict Jinja environment that compiles each distinct source once."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source: str | nodes.Template, globals: MutableMapping[str, Any] | None = None,
                    template_class: type[jinja2.Template] | None = None) -> jinja2.Template:
        if not isinstance(source, str) or globals or template_class:
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


class _Docx(DocxTemplate):  # type: ignore[misc]  # docxtpl is untyped
    """docxtpl's template with the patched XML of each part cached across renders."""

    def __init__(self, data: bytes, cache: dict[Any, Any]) -> None:
        super().__init__(io.BytesIO(data))
        self._gendan_cache = cache

    def build_xml(self, context: Mapping[str, Any], jinja_env: jinja2.Environment | None = None) -> str:
        xml = self._gendan_cache.get("body")
        if xml is None:
            xml = self._gendan_cache["body"] = self.patch_xml(self.get_xml())
        return str(self.render_xml_part(xml, self.docx._part, context, jinja_env))

    def build_headers_footers_xml(self, context: Mapping[str, Any], uri: str,
                                  jinja_env: jinja2.Environment | None = None) -> Iterator[tuple[str, bytes]]:
        for rel_key, part in self.get_headers_footers(uri):
            key = (uri, rel_key)
            cached = self._gendan_cache.get(key)
            if cached is None:
                xml = self.get_part_xml(part)
                cached = self._gendan_cache[key] = (self.patch_xml(xml), self.get_headers_footers_encoding(xml))
            rendered = self.render_xml_part(cached[0], part, context, jinja_env)
            yield rel_key, rendered.encode(cached[1])

    def patched_sources(self) -> list[str]:
        """The Jinja sources of body, headers and footers, as docxtpl renders them."""
        self.init_docx()
        sources = [self.patch_xml(self.get_xml())]
        for uri in (self.HEADER_URI, self.FOOTER_URI):
            for _key, part in self.get_headers_footers(uri):
                sources.append(self.patch_xml(self.get_part_xml(part)))
        return sources


class CompiledTemplate:
    """One kind's template, loaded once: its bytes, its Jinja environment and compiled parts."""

    def __init__(self, kind: DocumentKind, path: Path) -> None:
        self.kind = kind
        self.path = path
        try:
            self.data = path.read_bytes()
        except OSError as exc:
            raise TemplateError(f"无法读取模板 {path}：{exc}", f"cannot read the template {path}: {exc}", path=path) from exc
        if not zipfile.is_zipfile(io.BytesIO(self.data)):
            raise TemplateError(f"模板 {path.name} 不是 Word 文档（.docx）", f"the template {path.name} is not a Word "
                                "document (.docx)", path=path)
        self.env = _Environment()
        self._cache: dict[Any, Any] = {}
        try:
            self._sources = _Docx(self.data, {}).patched_sources()
            self._trees = [self.env.parse(source) for source in self._sources]
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"模板 {path.name} 有语法错误：{exc.message}（第 {exc.lineno} 段附近）",
                                f"the template {path.name} has a syntax error: {exc.message} (near part line {exc.lineno})",
                                path=path) from exc
        except Exception as exc:  # a damaged package: python-docx raises KeyError, ValueError …
            raise TemplateError(f"模板 {path.name} 无法打开：{exc}", f"the template {path.name} cannot be opened: {exc}",
                                path=path) from exc

    def undeclared(self, context: Mapping[str, Any] | None = None) -> set[str]:
        """Top-level names the template uses (minus those in ``context``), as docxtpl reports them."""
        template = DocxTemplate(io.BytesIO(self.data))
        if context is None:
            return set(template.get_undeclared_template_variables(self.env))
        return set(template.get_undeclared_template_variables(self.env, dict(context)))

    def missing(self, context: Mapping[str, Any]) -> list[str]:
        """Every variable (``order.foo``, ``l.bar``) the template uses that ``context`` does not provide."""
        found = {name for name in self.undeclared(context) if name not in _JINJA_GLOBALS}
        for tree in self._trees:
            _walk(tree, dict(context), found)
        return sorted(found)

    def render(self, values: Mapping[str, Any], target: Path) -> None:
        """Render ``values`` into ``target`` (.docx)."""
        self._fill(values).save(str(target))

    def warm(self, values: Mapping[str, Any]) -> None:
        """Render ``values`` without saving: compiles and caches every part for the renders to come."""
        self._fill(values)

    def _fill(self, values: Mapping[str, Any]) -> _Docx:
        document = _Docx(self.data, self._cache)
        try:
            document.render(dict(values), jinja_env=self.env, autoescape=True)
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"模板 {self.path.name} 使用了数据中没有的变量：{exc.message}",
                                f"the template {self.path.name} uses a variable the data does not have: {exc.message}",
                                path=self.path) from exc
        except jinja2.TemplateError as exc:
            raise TemplateError(f"模板 {self.path.name} 渲染失败：{exc}", f"the template {self.path.name} failed: {exc}",
                                path=self.path) from exc
        return document


class _Unknown:
    """A value the static check cannot look into (a string's method, an empty list's item)."""


_UNKNOWN = _Unknown()


def _resolve(node: nodes.Node, scope: dict[str, Any], missing: set[str]) -> tuple[Any, str]:
    """The sample value and dotted path of a Name/Getattr/Getitem chain; records missing names."""
    if isinstance(node, nodes.Name):
        if node.name in scope:
            return scope[node.name], node.name
        if node.name not in _JINJA_GLOBALS:
            missing.add(node.name)
        return _UNKNOWN, node.name
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        attr: Any = node.attr if isinstance(node, nodes.Getattr) else (
            node.arg.value if isinstance(node.arg, nodes.Const) else None)
        if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
            _walk(node.arg, scope, missing)
        base, path = _resolve(node.node, scope, missing)
        if attr is None or isinstance(base, _Unknown):
            return _UNKNOWN, path
        dotted = f"{path}.{attr}"
        if isinstance(base, Mapping):
            if attr in base:
                return base[attr], dotted
            missing.add(dotted)
            return _UNKNOWN, dotted
        if isinstance(base, list | tuple) and isinstance(attr, int):
            return (base[attr] if -len(base) <= attr < len(base) else _UNKNOWN), dotted
        return _UNKNOWN, dotted  # an attribute of text (``.upper``) or a number: Jinja's own business
    _walk(node, scope, missing)
    return _UNKNOWN, ""


def _walk(node: nodes.Node, scope: dict[str, Any], missing: set[str]) -> None:
    """Visit a Jinja syntax tree, resolving every variable against the sample ``scope``."""
    if isinstance(node, nodes.For):
        items, _ = _resolve(node.iter, scope, missing)
        inner = dict(scope)
        sample = items[0] if isinstance(items, list | tuple) and items else _UNKNOWN
        for target in node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else [node.target]:
            inner[target.name] = sample if isinstance(node.target, nodes.Name) else _UNKNOWN
        inner["loop"] = _UNKNOWN
        for child in node.body:
            _walk(child, inner, missing)
        for child in node.else_:
            _walk(child, scope, missing)
        if node.test is not None:
            _walk(node.test, inner, missing)
        return
    if isinstance(node, nodes.Assign):
        _walk(node.node, scope, missing)
        for target in node.target.find_all(nodes.Name):
            scope[target.name] = _UNKNOWN
        return
    if isinstance(node, nodes.Macro | nodes.CallBlock):
        return  # macros are not used by our templates; their arguments would need their own scope
    if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
        _resolve(node, scope, missing)
        return
    for child in node.iter_child_nodes():
        _walk(child, scope, missing)


def check_variables(template: CompiledTemplate, context: Mapping[str, Any]) -> None:
    """Raise TemplateError naming every variable ``template`` needs that ``context`` lacks."""
    missing = template.missing(context)
    if missing:
        names = ", ".join(missing)
        available = ", ".join(sorted(context))
        raise TemplateError(
            f"模板 {template.path.name} 使用了数据中没有的变量：{names}。可用的顶层变量：{available}（见 docs/documents.md）",
            f"the template {template.path.name} uses variables the data does not provide: {names}. Top-level "
            f"variables: {available} (see docs/documents.md)", path=template.path)


def template_paths(kinds: Sequence[DocumentKind], user_dir: Path | None) -> dict[str, Path]:
    """Each kind's template file: the user's folder overrides the built-in templates kind by kind."""
    if user_dir is not None and not user_dir.is_dir():
        raise ConfigError(f"模板文件夹不存在：{user_dir}", f"the templates folder does not exist: {user_dir}", path=user_dir)
    chosen: dict[str, Path] = {}
    for kind in kinds:
        own = user_dir / kind.template_name if user_dir is not None else None
        chosen[kind.key] = own if own is not None and own.is_file() else BUILTIN_TEMPLATES / kind.template_name
    return chosen


# --- PDF -----------------------------------------------------------------------------------------

_SOFFICE_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/opt/libreoffice/program/soffice",
)


def find_soffice() -> str | None:
    """The LibreOffice executable (``soffice``), or None when LibreOffice is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((place for place in _SOFFICE_PLACES if Path(place).is_file()), None)


def no_soffice_error() -> ConfigError:
    """The bilingual message for ``--pdf`` without LibreOffice."""
    return ConfigError(
        "生成 PDF 需要 LibreOffice，但本机没有找到 soffice。请安装 LibreOffice（Windows/macOS 从 libreoffice.org 下载；"
        "Debian/Ubuntu：sudo apt install libreoffice-writer-nogui fonts-noto-cjk），或去掉 --pdf 只生成 Word 文件。",
        "PDF output needs LibreOffice, but soffice was not found. Install LibreOffice (Windows/macOS: libreoffice.org; "
        "Debian/Ubuntu: sudo apt install libreoffice-writer-nogui fonts-noto-cjk) or drop --pdf to get Word files only.")


class PdfConverter:
    """Converts .docx files to PDF with LibreOffice, using a profile directory of its own.

    Profiles live in the temp folder and are reused between runs (a fresh profile costs seconds
    on the first conversion); a lock file keeps two processes from sharing one.
    """

    def __init__(self, soffice: str, *, base: Path | None = None) -> None:
        self.soffice = soffice
        root = base or Path(tempfile.gettempdir()) / f"gendan_xl-soffice-{_user()}"
        root.mkdir(parents=True, exist_ok=True)
        self._lock: FileLock | None = None
        for slot in range(64):
            lock = FileLock(str(root / f"profile-{slot}.lock"))
            try:
                lock.acquire(timeout=0)
            except Timeout:
                continue
            self._lock, self.profile = lock, root / f"profile-{slot}"
            break
        else:  # pragma: no cover - 64 concurrent conversions
            self.profile = Path(tempfile.mkdtemp(prefix="gendan_xl-soffice-"))

    def convert(self, files: Sequence[Path], outdir: Path) -> list[Path]:
        """Convert ``files`` in one LibreOffice run; returns the PDFs in the same order."""
        if not files:
            return []
        command = [self.soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
                   f"-env:UserInstallation={self.profile.as_uri()}", "--convert-to", "pdf", "--outdir", str(outdir),
                   *(str(f) for f in files)]
        targets = [outdir / (f.stem + ".pdf") for f in files]
        for target in targets:
            target.unlink(missing_ok=True)
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=120 + 20 * len(files), check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise GendanError(f"LibreOffice 转换 PDF 失败：{exc}", f"LibreOffice failed to convert to PDF: {exc}") from exc
        missing = [t.name for t in targets if not t.is_file()]
        if missing:
            detail = (done.stderr or done.stdout).strip()[-400:]
            raise GendanError(f"LibreOffice 没有生成 {', '.join(missing)}（{detail}）",
                              f"LibreOffice did not produce {', '.join(missing)} ({detail})")
        return targets

    def close(self) -> None:
        """Release the profile for another process."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def _user() -> str:
    try:
        return str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    except OSError:  # pragma: no cover
        return "user"
