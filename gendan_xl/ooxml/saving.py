"""Save a user's workbook atomically: lock, write a verified temp file, back up, rename.

The sequence (:func:`safe_save`)::

    refuse if Excel has it open (owner file) or it/its folder is read-only
    lock  <folder>/.<name>.gendan-lock        (filelock; a second run waits, then gives up)
    read the original once → transform(bytes) → new bytes   (equal → stop: no write, no backup)
    write <folder>/.<name>.<random>.gendan-tmp, flush, fsync, verify (zip CRCs + caller's check)
    re-check the original is unchanged on disk (size, mtime, SHA-256)
    backup → <folder>/.gendan_backups/<stem>.bak-YYYYmmdd-HHMMSS<ext>  (hard link, else copy)
    os.replace(temp, original); fsync the folder; keep the newest N backups

Any failure before the rename leaves the original byte-identical and removes the temp file (and
the backup just made). A killed process can leave only a hidden ``*.gendan-tmp`` (removed by the
next run, under the lock) — never a file that looks like a workbook. Backups live in a separate
folder, keep the workbook's extension so the user can open them, and sort by time in their name.
``backups=0`` makes no backup and deletes none of the old ones.

Excel's owner file: while a workbook is open, Office keeps a hidden ``~$<name>`` beside it (the
first byte is the length of the user's name, which follows). For long names Office is widely
reported to replace the first one or two characters of the name instead of prefixing (Word's
documented rule: ≤6-character stems get ``~$`` + name, 7 characters drop one, longer drop two);
this cannot be checked here without Excel, so all three forms are matched, case-insensitively.
A stale owner file after a crash blocks writing until the user removes it or passes ``force``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from gendan_xl.errors import WorkbookLockedError, WorkbookNotFoundError, WriteError

__all__ = [
    "BACKUP_DIR",
    "SaveResult",
    "backup_dir",
    "check_writable",
    "list_backups",
    "lock_path",
    "owner_files",
    "safe_save",
]

BACKUP_DIR = ".gendan_backups"
_TMP_SUFFIX = ".gendan-tmp"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class SaveResult:
    """What :func:`safe_save` did."""

    path: Path
    changed: bool
    backup: Path | None
    size: int


def lock_path(path: Path) -> Path:
    """The lock file serialising gendan runs on ``path`` (hidden, harmless when left behind)."""
    return path.parent / f".{path.name}.gendan-lock"


def backup_dir(path: Path) -> Path:
    """The folder holding ``path``'s backups."""
    return path.parent / BACKUP_DIR


def _backups(path: Path) -> list[tuple[str, int, Path]]:
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    pattern = re.compile(re.escape(path.stem) + r"\.bak-(\d{8}-\d{6})(?:-(\d+))?" + re.escape(path.suffix) + "$")
    found: list[tuple[str, int, Path]] = []
    for entry in folder.iterdir():
        m = pattern.match(entry.name)
        if m:
            found.append((m.group(1), int(m.group(2) or 1), entry))
    return sorted(found)


def list_backups(path: Path) -> list[Path]:
    """Return ``path``'s backups, oldest first (by the time and sequence in their names)."""
    return [entry for _, _, entry in _backups(path)]


def owner_files(path: Path) -> list[Path]:
    """Return the Excel owner files (``~$…``) beside ``path`` that say it is open."""
    name = path.name
    wanted = {("~$" + name).casefold()}
    if len(path.stem) >= 7:
        wanted |= {("~$" + name[1:]).casefold(), ("~$" + name[2:]).casefold()}
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return []
    return sorted(p for p in entries if p.name.casefold() in wanted and p.is_file())


def _owner_name(owner: Path) -> str:
    """Best effort: the user name Office wrote into an owner file."""
    try:
        raw = owner.read_bytes()[:512]
    except OSError:
        return ""
    if len(raw) >= 56:
        count = raw[54] | (raw[55] << 8)
        text = raw[56 : 56 + 2 * count]
        if 0 < count < 100 and len(text) == 2 * count:
            with contextlib.suppress(UnicodeDecodeError):
                return text.decode("utf-16-le").strip("\x00 ")
    if raw and 0 < raw[0] < len(raw):
        return raw[1 : 1 + raw[0]].decode("gbk", errors="replace").strip("\x00 ")
    return ""


def _read_only(mode: int) -> bool:
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def check_writable(path: Path, *, force: bool = False) -> None:
    """Raise WorkbookLockedError if Excel has ``path`` open (unless ``force``) or it is read-only."""
    if not path.is_file():
        raise WorkbookNotFoundError(f"找不到工作簿：{path}", f"Workbook not found: {path}", path=path)
    owners = owner_files(path)
    if owners and not force:
        who = _owner_name(owners[0])
        zh_who = f"（打开者：{who}）" if who else ""
        en_who = f" (by {who})" if who else ""
        raise WorkbookLockedError(
            f"工作簿 {path.name} 正在 Excel 中打开{zh_who}，请先保存并关闭后再运行。"
            f"若 Excel 已关闭，请删除残留文件 {owners[0].name} 或使用 --force。",
            f"The workbook {path.name} is open in Excel{en_who}; save and close it, then run again. "
            f"If Excel is closed, delete the leftover {owners[0].name} or use --force.",
            path=path,
        )
    # Root passes os.access() for everything, so the mode bits are checked as well: a read-only
    # file is the user's explicit wish even where we could technically write.
    if _read_only(path.stat().st_mode) or not os.access(path, os.W_OK):
        raise WorkbookLockedError(
            f"工作簿 {path.name} 是只读文件，未写入。请取消“只读”属性后重试。",
            f"The workbook {path.name} is read-only; nothing was written. Clear its read-only attribute and retry.",
            path=path,
        )
    folder = path.parent
    # On Windows a folder's read-only attribute means nothing for writing files, so only POSIX checks it.
    if os.name != "nt" and (_read_only(folder.stat().st_mode) or not os.access(folder, os.W_OK | os.X_OK)):
        raise WorkbookLockedError(
            f"工作簿所在文件夹 {folder} 不可写，未写入。",
            f"The workbook's folder {folder} is not writable; nothing was written.",
            path=path,
        )


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:_CHUNK])
        view = view[written:]


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems (SMB, FUSE) cannot sync a directory; the rename is still atomic
    finally:
        os.close(fd)


def _fingerprint(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _verify(tmp: Path, verify: Callable[[Path], None] | None) -> None:
    with zipfile.ZipFile(tmp) as archive:
        bad = archive.testzip()
        if bad is not None:
            raise ValueError(f"CRC error in {bad}")
    if verify is not None:
        verify(tmp)


def _make_backup(path: Path) -> Path:
    folder = backup_dir(path)
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    # Within one second number upwards from the highest existing backup, so that the name order is
    # the time order even after older backups of that second were pruned.
    seqs = [seq for ts, seq, _ in _backups(path) if ts == stamp]
    seq = max(seqs, default=0) + 1
    target = folder / f"{path.stem}.bak-{stamp}{'' if seq == 1 else f'-{seq}'}{path.suffix}"
    while target.exists():
        seq += 1
        target = folder / f"{path.stem}.bak-{stamp}-{seq}{path.suffix}"
    try:
        # The rename that follows detaches the old inode from ``path``, so a hard link is a true copy.
        os.link(path, target)
    except OSError:
        shutil.copy2(path, target)
        with open(target, "rb+") as fh:
            os.fsync(fh.fileno())
    return target


def _prune(path: Path, keep: int) -> None:
    for old in list_backups(path)[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()


def _remove_stale_temps(path: Path) -> None:
    prefix = f".{path.name}."
    for leftover in path.parent.glob(f".{glob_escape(path.name)}.*{_TMP_SUFFIX}"):
        if leftover.name.startswith(prefix):
            with contextlib.suppress(OSError):
                leftover.unlink()


def glob_escape(text: str) -> str:
    """Escape glob metacharacters in a file name."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _io_error(exc: OSError, path: Path, step: str) -> WriteError:
    if exc.errno == errno.ENOSPC:
        return WriteError(
            f"磁盘空间不足，未能保存 {path.name}；原文件未改动。",
            f"The disk is full; {path.name} was not saved. The original file is unchanged.",
            path=path,
        )
    return WriteError(
        f"保存 {path.name} 失败（{step}：{exc}）；原文件未改动。",
        f"Saving {path.name} failed ({step}: {exc}); the original file is unchanged.",
        path=path,
    )


def safe_save(
    path: Path | str,
    transform: Callable[[bytes], bytes],
    *,
    backups: int = 3,
    force: bool = False,
    verify: Callable[[Path], None] | None = None,
    lock_timeout: float = 60.0,
) -> SaveResult:
    """Replace ``path`` by ``transform(original bytes)`` atomically, verified and backed up."""
    path = Path(path).absolute()
    if backups < 0:
        raise ValueError("backups must be >= 0")
    check_writable(path, force=force)
    lock = FileLock(str(lock_path(path)), timeout=lock_timeout)
    try:
        lock.acquire()
    except Timeout as exc:
        raise WorkbookLockedError(
            f"另一个 gendan 进程正在写入 {path.name}，等待 {lock_timeout:.0f} 秒后放弃。请稍后重试。",
            f"Another gendan run is writing {path.name}; gave up after {lock_timeout:.0f} s. Try again later.",
            path=path,
        ) from exc
    try:
        return _save_locked(path, transform, backups, force, verify)
    finally:
        lock.release()


def _save_locked(
    path: Path,
    transform: Callable[[bytes], bytes],
    backups: int,
    force: bool,
    verify: Callable[[Path], None] | None,
) -> SaveResult:
    check_writable(path, force=force)  # again: the state may have changed while we waited
    _remove_stale_temps(path)
    before = _fingerprint(path)
    original = path.read_bytes()
    digest = hashlib.sha256(original).digest()
    new = transform(original)
    if new == original:
        return SaveResult(path, False, None, len(original))
    mode = stat.S_IMODE(path.stat().st_mode)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}{_TMP_SUFFIX}"
    backup: Path | None = None
    replaced = False
    try:
        step = "temp file"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            step = "write"
            _write_all(fd, new)
            step = "fsync"
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        step = "verify"
        try:
            _verify(tmp, verify)
        except Exception as exc:
            raise WriteError(
                f"新文件校验失败（{exc}），未保存 {path.name}；原文件未改动。",
                f"The new file failed verification ({exc}); {path.name} was not saved. The original is unchanged.",
                path=path,
            ) from exc
        if _fingerprint(path) != before or hashlib.sha256(path.read_bytes()).digest() != digest:
            raise WriteError(
                f"{path.name} 在处理期间被其他程序修改，已放弃保存以免覆盖其改动。请重新运行。",
                f"{path.name} was changed by another program while we worked; not saved, so its changes are not "
                "overwritten. Run again.",
                path=path,
            )
        if backups:
            step = "backup"
            backup = _make_backup(path)
        step = "replace"
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            raise WorkbookLockedError(
                f"无法替换 {path.name}（可能正被 Excel 或其他程序占用）；原文件未改动。",
                f"Cannot replace {path.name} (probably open in Excel or another program); the original is unchanged.",
                path=path,
            ) from exc
        replaced = True
        _fsync_dir(path.parent)
    except OSError as exc:
        raise _io_error(exc, path, step) from exc
    finally:
        if not replaced:
            with contextlib.suppress(OSError):
                tmp.unlink()
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
    if backups:
        _prune(path, backups)
    return SaveResult(path, True, backup, len(new))
