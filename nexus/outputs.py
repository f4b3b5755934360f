"""Writing output files: never half a file, never someone else's file, never one of the run's own inputs.

Every file nexus writes (reports, workbooks, import CSVs) goes through :func:`atomic_write`:

* the content is written to a temporary file **in the output's own folder** (so the final rename stays on
  one file system and is atomic), then renamed over the output: a reader, or a second nexus run writing
  the same output, sees the old file or the new one, whole, never a mix;
* the temporary file has a name no user picks and anyone can read as nexus's:
  ``.report.xlsx.nexus-partial-HOST-PID-RANDOM``. A user's own ``report.xlsx.tmp`` is never touched;
* it is removed when writing fails or is interrupted (Ctrl-C included); one left by a run that was killed
  (``kill -9``, a power cut) is removed by the next run writing the same output, once the process that
  made it is gone (or, made on another machine sharing the folder, a day later);
* it is created with mode 0666 less the umask, as any program's new file is, so colleagues on a shared
  folder read the report just as they read the other outputs;
* an output that is not a regular file (``/dev/stdout``, a named pipe, a device) is written directly:
  there is nothing to rename over.

:func:`refuse_inputs_as_outputs` stops a run before it writes over one of its own inputs: an export that
may not be downloadable again must not become the report.
"""
from __future__ import annotations

import errno
import os
import re
import secrets
import socket
import stat
import time
from typing import Callable, Iterable

from nexus.errors import NexusError

#: What a spreadsheet reads as the start of a formula: ``=``, ``+``, ``-``, ``@`` and their full-width forms
#: (Japanese Excel takes ``＝1+1`` as ``=1+1``), also after leading spaces or quotes, and a tab or carriage return.
_FORMULA = re.compile(r"[\t\r]|[\s\u3000'\"\u2018\u2019\u201c\u201d\uff02\uff07]*[=+\-@\uff1d\uff0b\uff0d\uff20]")


def spreadsheet_safe(value: str) -> str:
    """Text for a CSV cell that a spreadsheet must show, never run (OWASP's CSV injection advice): text that would
    start a formula gets a leading apostrophe. The one neutraliser of every CSV nexus writes (reports, import files)."""
    return "'" + value if _FORMULA.match(value) else value


def shown_escaped(pattern: re.Pattern[str], text: str) -> str:
    """``text`` with each character ``pattern`` matches shown as its escape (``\\x1b``, ``\\u202e``): how the screen
    and the workbooks show a control character or a bidirectional override from the input, kept and inert."""
    return pattern.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


#: Marks the temporary files of :func:`atomic_write`, between the output's name and the writer's identity.
PARTIAL_MARK = ".nexus-partial-"
#: A temporary file made on another machine (a shared folder) is taken as abandoned after this long.
STALE_AFTER = 24 * 3600.0
_NAME_KEPT = 100  # characters of the output's name kept in the temporary name: file names end at 255 bytes
_TRIES = 100


class OutputError(NexusError):
    """An output file cannot be written (a full disk, a folder that is missing or not writable...)."""


class OutputIsInput(OutputError):
    """An output would be written over a file the same run reads."""


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname())[:40] or "host"


def _prefix(name: str) -> str:
    return f".{name[:_NAME_KEPT]}{PARTIAL_MARK}"


def temporary_path(target: str) -> str:
    """A fresh temporary name beside ``target``, saying whose it is: host, process and a random part."""
    folder, name = os.path.split(target)
    return os.path.join(folder, f"{_prefix(name)}{_host()}-{os.getpid()}-{secrets.token_hex(4)}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists, under another user
    return True


def remove_abandoned(target: str, now: float | None = None) -> list[str]:
    """Remove temporary files that earlier runs left beside ``target`` when they were killed; return them.

    A file is abandoned when it was made on this machine by a process that no longer runs, or on
    another machine (a shared folder) more than :data:`STALE_AFTER` ago. A live run's file is never
    touched, so two runs writing one output do not disturb each other.
    """
    folder, name = os.path.split(target)
    prefix = _prefix(name)
    here = _host()
    removed: list[str] = []
    try:
        entries = [e for e in os.scandir(folder or ".") if e.name.startswith(prefix)]
    except OSError:
        return removed
    for entry in entries:
        writer = entry.name[len(prefix):].rsplit("-", 2)
        if len(writer) != 3 or not writer[1].isdigit():
            continue  # not a name nexus makes: leave it alone
        host, pid = writer[0], int(writer[1])
        try:
            age = (time.time() if now is None else now) - entry.stat(follow_symlinks=False).st_mtime
            # On Windows os.kill would end the process rather than ask after it: go by age alone there.
            mine = host == here and os.name != "nt"
            if (mine and not _alive(pid)) or (not mine and age > STALE_AFTER):
                os.unlink(entry.path)
                removed.append(entry.path)
        except OSError:
            continue  # gone already, or not ours to remove: the write itself will say if the folder is unusable
    return removed


def _folder_problem(shown: str, target: str) -> str | None:
    """Why ``target``'s folder cannot take a new file, or None; checked before any work and again when writing."""
    if os.path.isdir(target):
        return f"cannot write {shown}: it is a folder; give a file name"
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        return f"cannot write {shown}: the folder {os.path.dirname(shown) or folder} does not exist"
    if not os.access(folder, os.W_OK):
        return f"cannot write {shown}: the folder {os.path.dirname(shown) or folder} is not writable"
    return None


#: How a workbook file starts: an .xlsx is a ZIP archive (an empty archive starts with the second signature).
_WORKBOOK_STARTS = (b"PK\x03\x04", b"PK\x05\x06")
#: How an HTML page starts, once a byte-order mark, blank lines and case are set aside.
_PAGE_STARTS = (b"<!doctype html", b"<html")


def refuse_replacing_non_workbook(what: str, path: str | None) -> None:
    """Raise :class:`OutputError` for a workbook output whose path holds a file that is no workbook: '--workbook
    orders-2026.csv', another file's name mistyped, replaced an export that may not be downloadable again. A workbook
    there (last quarter's) and an empty file are replaced as before."""
    start = _start(path, 4)
    if start and start not in _WORKBOOK_STARTS:
        raise OutputError(f"cannot write {what} {path}: the file there is not a workbook; it would be replaced: give "
                          f"the workbook another name, such as review.xlsx")


def refuse_replacing_non_page(what: str, path: str | None) -> None:
    """Raise :class:`OutputError` for a memo (HTML) output whose path holds a file that is no HTML page: '--html
    orders-2026.csv' replaced the order export with the memo, as '--workbook orders-2026.csv' did with a workbook.
    An HTML page there (last quarter's memo) and an empty file are replaced as before."""
    start = _start(path, 1024).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start and not start.startswith(_PAGE_STARTS):
        raise OutputError(f"cannot write {what} {path}: the file there is not an HTML page; it would be replaced: "
                          f"give the memo another name, such as memo.html")


def _start(path: str | None, size: int) -> bytes:
    """The first ``size`` bytes of the file an output would replace, or b"" where there is none to replace."""
    if not is_file_argument(path) or not os.path.isfile(str(path)):
        return b""
    with open(str(path), "rb") as handle:
        return handle.read(size)


def refuse_unwritable(outputs: Iterable[tuple[str, str | None]]) -> None:
    """Raise :class:`OutputError` now, before a long run, for an output whose folder is missing or not writable.

    ``outputs`` are (what, path) pairs as for :func:`refuse_inputs_as_outputs`; ``-`` and empty paths pass.
    """
    for what, path in outputs:
        if not is_file_argument(path) or _streamed(str(path)):
            continue
        problem = _folder_problem(str(path), os.path.realpath(str(path)))
        if problem:
            raise OutputError(problem.replace("cannot write", f"cannot write {what}", 1))


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the disk"
    return exc.strerror or exc.__class__.__name__


def atomic_write(path: str | os.PathLike[str], write: Callable[[str], None]) -> None:
    """Have ``write(temporary_path)`` write the whole output, then put it at ``path`` in one rename.

    ``write`` gets a path (so openpyxl, XlsxWriter or ``open`` can all be used) to an empty file that
    it may replace or write into. Any error it raises leaves ``path`` as it was and no temporary file
    behind; an ``OSError`` (a full disk, a file too large, a folder not writable) becomes an
    :class:`OutputError` that names ``path`` on one line.
    """
    shown = os.fspath(path)
    if shown == "-":
        raise OutputError("'-' stands for standard output, which this output cannot be written to: give a file name")
    if _streamed(shown):
        # A pipe, /dev/stdout, a device: nothing to rename over, and renaming would replace the device itself.
        try:
            write(shown)
        except OSError as exc:
            if exc.filename not in (None, shown):
                raise
            raise OutputError(f"cannot write {shown}: {_reason(exc)}") from None
        return
    target = os.path.realpath(shown)  # through a symbolic link: the file it points to is replaced, the link kept
    problem = _folder_problem(shown, target)
    if problem:
        raise OutputError(problem)
    remove_abandoned(target)
    temporary = _create(shown, target)
    try:
        write(temporary)
        _sync(temporary)
        os.replace(temporary, target)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass  # already gone (write replaced it and failed), or the folder went away: the first error counts
        if isinstance(exc, OSError) and exc.filename in (None, temporary, target, shown):
            raise OutputError(f"cannot write {shown}: {_reason(exc)}") from None
        raise


def _streamed(shown: str) -> bool:
    """Whether ``shown`` is a pipe, a device or /dev/stdout, written as it is given, not replaced by a rename. Read
    through the path as given: /dev/stdout's link leads to the pipe it stands for, where its resolved name
    (/proc/<pid>/fd/pipe:[...]) is no file at all."""
    try:
        mode = os.stat(shown).st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {_reason(exc)}") from None
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _create(shown: str, target: str) -> str:
    """Create the temporary file, empty, with the umask's permissions (not mkstemp's 0600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(_TRIES):
        temporary = temporary_path(target)
        try:
            os.close(os.open(temporary, flags, 0o666))
            return temporary
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot write {shown}: {_reason(exc)}") from None
    raise OutputError(f"cannot write {shown}: no free temporary name beside it")


def _sync(path: str) -> None:
    """Flush the file to the disk before it takes the output's name, so a crash cannot leave an empty report."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` through :func:`atomic_write` (newlines as given)."""
    def write(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)

    atomic_write(path, write)


def same_file(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` name one file: the same path once resolved, or the same device and inode
    (a hard link, or another spelling on a case-insensitive disk)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        first, second = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def is_file_argument(value: str | None) -> bool:
    """Whether an option's value names a file: not empty, not '-' (standard output), not a URL."""
    return bool(value) and value != "-" and not str(value).startswith(("http://", "https://"))


def refuse_inputs_as_outputs(outputs: Iterable[tuple[str, str | None]],
                             inputs: Iterable[tuple[str, str | None]]) -> None:
    """Raise :class:`OutputIsInput` when an output would be written over an input, or over another output.

    ``outputs`` and ``inputs`` are (what, path) pairs, ``what`` being how the user named the file (an
    option such as ``--workbook``); empty paths, ``-`` (standard output) and URLs are not files and pass.
    """
    wanted = [(what, path) for what, path in outputs if is_file_argument(path)]
    read = [(what, path) for what, path in inputs if is_file_argument(path)]
    for i, (what, path) in enumerate(wanted):
        for source, source_path in read:
            if same_file(path, source_path):  # type: ignore[arg-type]
                also = "" if path == source_path else f" ({source_path})"
                raise OutputIsInput(f"{what} {path} is the file read as {source}{also}: nexus does not write over "
                                    f"its inputs; write the output to another file")
        for other, other_path in wanted[i + 1:]:
            if same_file(path, other_path):  # type: ignore[arg-type]
                raise OutputIsInput(f"{what} {path} and {other} {other_path} are the same file: give each "
                                    f"output its own file")
