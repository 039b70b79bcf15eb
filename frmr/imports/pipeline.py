"""Reading and checking a file's rows in a forked worker process while the caller writes.

Reading the file, `check_row` and building what a row writes are most of an import's CPU. A thread
cannot overlap them with the writing (the GIL: measured slower, bench/import/README.md), a second
process can. The worker is forked after `Lookups` is built, so it has the dictionaries and departments
without loading them; it never touches the database. For every row it sends, in chunks, (number, raw
values, normalized СНИЛС, result): the result is the errors of `check_row(..., existing=None)` or,
for a row without errors, a `Fresh` (frmr/imports/fresh.py): its outcome and prepared lines if its
person is new. The caller uses a result only where the sequential path would compute the same: a row
whose СНИЛС belongs to a person, or recurs in the chunk, is checked and planned again there.

Memory stays bounded: the worker blocks on the pipe once the chunk after the one being written is
ready, so at most about two chunks exist at a time, whatever the file's size. A file error raised by
the reader, any exception in the worker and the worker's death reach the caller: the first as the
ValidationError the sequential path raises at the same row, the others as `WorkerFailed`; a worker
silent for `STALL_SECONDS` is killed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import traceback
from collections.abc import Iterator
from itertools import islice
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from frmr.audit.services import AuditHead
from frmr.core.bounded import forget_inherited_connections
from frmr.imports import rows as checks
from frmr.imports.fresh import Fresh, prepare_fresh
from frmr.imports.rows import Lookups, RowError, snils_key
from frmr.imports.writer import SLOT_MARK

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

# (row number, raw values, normalized СНИЛС or "", the worker's result or None when not checked yet)
Item = tuple[int, dict[str, str], str, Fresh | list[RowError] | None]
Rows = Iterator[tuple[int, dict[str, str]]]

STALL_SECONDS = 300.0  # no chunk for this long: the worker is stuck (1,000 rows take well under 1 s)

_CHUNK, _END, _FILE_ERROR, _FAILED = "chunk", "end", "file_error", "failed"


class WorkerFailed(RuntimeError):
    """The process reading the file failed or died; the import stops (what was written stays)."""


def fork_available() -> bool:
    """Whether this process can fork a worker (not on spawn-only platforms, not from a daemon)."""
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


def chunks(rows: Rows, size: int) -> Iterator[list[Item]]:
    """The sequential path: the rows in chunks, unchecked (the caller checks each row itself)."""
    while chunk := list(islice(rows, size)):
        yield [(number, raw, snils_key(raw.get("snils", "")), None) for number, raw in chunk]


class CheckedChunks:
    """The rows in chunks, read, checked and prepared (as for a new person) by a forked worker.

    Use as a context manager: leaving it stops the worker (killed if still running) and reaps it.
    Iterating raises ValidationError for a file error met by the reader, after the chunks read
    before it, exactly where the sequential path raises it.
    """

    def __init__(self, rows: Rows, lookups: Lookups, size: int, head: AuditHead | None) -> None:
        """`head`: the audit columns, to prepare the lines of new persons' rows; None not to."""
        self._finished = False
        # Everything buffered before the fork would be written a second time by the worker's exit.
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        self.receiver: Connection = receiver
        self.process: BaseProcess = context.Process(
            target=_work,
            args=(rows, lookups, size, head, receiver, sender),
            name="frmr-import-reader",
            daemon=True,  # ends with its parent if the parent exits without reaping it
        )
        self.process.start()
        # With the parent's copy of the sending end closed, the worker's death reads as EOF.
        sender.close()

    def __enter__(self) -> CheckedChunks:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._finished:
            self.process.join(timeout=10)  # it has sent its last message and is exiting
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.receiver.close()

    def __iter__(self) -> Iterator[list[Item]]:
        while True:
            kind, payload = self._receive()
            self._finished = kind != _CHUNK
            if kind == _CHUNK:
                yield payload
            elif kind == _END:
                return
            elif kind == _FILE_ERROR:
                raise ValidationError(payload)
            else:
                raise WorkerFailed(_("Ошибка в процессе чтения файла:\n%(error)s") % {"error": payload})

    def _receive(self) -> tuple[str, Any]:
        if not self.receiver.poll(STALL_SECONDS):
            self.process.kill()
            raise WorkerFailed(
                _("Процесс чтения файла не ответил за %(seconds)s с и остановлен.")
                % {"seconds": f"{STALL_SECONDS:.0f}"}
            )
        try:
            message: tuple[str, Any] = self.receiver.recv()
        except EOFError:
            self.process.join()
            raise WorkerFailed(
                _("Процесс чтения файла завершился, не дочитав файл (код %(code)s).")
                % {"code": self.process.exitcode}
            ) from None
        return message


def _checked(
    number: int, raw: dict[str, str], lookups: Lookups, head: AuditHead | None, labels: dict[int, str]
) -> Item:
    checked = checks.check_row(number, raw, lookups, existing=None)
    key = snils_key(raw.get("snils", ""))
    if isinstance(checked, list):
        return number, raw, key, checked
    if head is not None and any(SLOT_MARK in text for text in raw.values()):
        # The slots of a prepared line are marked with this private-use character; a value carrying
        # it (never in real data) is planned by the main process instead, from model objects.
        head = None
    return number, raw, key, prepare_fresh(checked, lookups.organization, head, labels)


def _work(
    rows: Rows,
    lookups: Lookups,
    size: int,
    head: AuditHead | None,
    receiver: Connection,
    sender: Connection,
) -> None:
    """The worker: read, check, send; every way of ending is reported through the pipe."""
    receiver.close()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the task runner's graceful-shutdown handler
    forget_inherited_connections()
    labels: dict[int, str] = {}  # texts of the dictionary entries, departments… named in audit entries
    try:
        while chunk := list(islice(rows, size)):
            sender.send((_CHUNK, [_checked(number, raw, lookups, head, labels) for number, raw in chunk]))
        sender.send((_END, None))
    except ValidationError as error:
        sender.send((_FILE_ERROR, error.messages))
    except BaseException:
        with contextlib.suppress(OSError):  # the parent is gone
            sender.send((_FAILED, traceback.format_exc()))
    finally:
        sender.close()
