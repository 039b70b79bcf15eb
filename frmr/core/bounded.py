"""Running the check of an untrusted file in a child process with a memory ceiling and a time limit.

A PDF or a spreadsheet is a compressed format: a file of a few kilobytes can unpack to gigabytes
inside a library (qpdf, openpyxl) that offers no per-call budget. Within one process nothing can stop
such a call once it started, and the memory it takes is never returned to the system. So the check
runs in a child forked for the purpose (`run_bounded`):

* its address space may grow by `memory_bytes` at most (`RLIMIT_AS`, counted from what the child
  inherited), so an allocation beyond it fails inside the library instead of taking the machine;
* the parent waits `seconds` for the answer, then kills the child (`SIGKILL`); `RLIMIT_CPU` stops a
  child whose parent is gone;
* the child never uses the database: the inherited connections are dropped without closing them (the
  parent's sessions stay intact) and opening a new one fails; it ends with `os._exit`, so nothing of
  the parent (atexit hooks, buffered output, finalizers) runs twice.

The answer (the function's result or the exception it raised) comes back pickled through a pipe.
Whatever the child used is returned to the system when it exits; the parent holds only the answer.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import resource
import select
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.db import connections

T = TypeVar("T")

MEMORY = "memory"
TIME = "time"
CRASHED = "crashed"


class LimitExceeded(Exception):
    """The check needed more memory or time than allowed (or its process died)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class ChildFailed(RuntimeError):
    """The function raised an exception in the child that cannot be sent back as it is."""


def fork_supported() -> bool:
    return hasattr(os, "fork")


def run_bounded(
    function: Callable[..., T],
    /,
    *args: Any,
    memory_bytes: int,
    seconds: float,
    prepare: Callable[[], None] | None = None,
    **kwargs: Any,
) -> T:
    """`function(*args, **kwargs)` computed in a forked child within the limits.

    Returns its result or raises the exception it raised (ValidationError stays ValidationError);
    raises LimitExceeded when the child ran out of memory or time or died. `prepare` runs in the
    child after the limits are set (e.g. a library's own decompression limits, process-wide there).
    Without `fork` (not a POSIX system) the function runs here, unbounded.
    """
    if not fork_supported():
        if prepare is not None:
            prepare()
        return function(*args, **kwargs)
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.flush()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        os.close(reader)
        _child(writer, function, args, kwargs, memory_bytes, seconds, prepare)
    os.close(writer)
    try:
        payload, timed_out = _read_answer(reader, seconds)
    finally:
        os.close(reader)
    if timed_out:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        raise LimitExceeded(TIME, f"no answer in {seconds:g} s")
    # The child pickled what `function` returned, so the answer is a T.
    return cast(T, _answer(payload, status))


def _read_answer(reader: int, seconds: float) -> tuple[bytes, bool]:
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"", True
        ready, _, _ = select.select([reader], [], [], left)
        if not ready:
            return b"", True
        chunk = os.read(reader, 65536)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


def _answer(payload: bytes, status: int) -> Any:
    if not payload:
        if os.WIFSIGNALED(status):
            # A C++ library out of memory may abort (SIGABRT) or crash instead of raising.
            raise LimitExceeded(CRASHED, f"signal {os.WTERMSIG(status)}")
        raise LimitExceeded(CRASHED, f"exit status {os.waitstatus_to_exitcode(status)}")
    kind, value = pickle.loads(payload)  # noqa: S301 - written by our own child just now
    if kind == "ok":
        return value
    if kind == "raise":
        raise value
    if kind == MEMORY:
        raise LimitExceeded(MEMORY, value)
    raise ChildFailed(value)


def _child(
    writer: int,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    memory_bytes: int,
    seconds: float,
    prepare: Callable[[], None] | None,
) -> None:  # pragma: no cover - runs in the child
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the task runner's graceful-shutdown handler
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        forget_inherited_connections()
        _limit_resources(memory_bytes, seconds)
        if prepare is not None:
            prepare()
        try:
            answer: tuple[str, Any] = ("ok", function(*args, **kwargs))
        except MemoryError as error:
            answer = (MEMORY, str(error))
        except Exception as error:
            answer = ("raise", error)
        try:
            payload = pickle.dumps(answer)
        except Exception:
            payload = pickle.dumps(("failed", "".join(traceback.format_exception(answer[1]))))
        view = memoryview(payload)
        while view:
            view = view[os.write(writer, view) :]
    except BaseException:  # nothing may escape into the parent's code paths
        code = 1
    finally:
        os._exit(code)


def _limit_resources(memory_bytes: int, seconds: float) -> None:  # pragma: no cover - runs in the child
    ceiling = _address_space() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    # A forked child's CPU time starts at zero; this stops it even if the parent is gone.
    cpu = math.ceil(seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or cpu < hard:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _address_space() -> int:
    """The size of this process's address space (what RLIMIT_AS compares), in bytes."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def forget_inherited_connections() -> None:
    """Drop the database connections inherited through fork (without closing them); refuse new ones.

    A connection copied by fork shares the parent's session: using it would interleave two processes'
    statements, closing it would end the parent's session (psycopg does not finish a connection
    collected in another process). A query in the child would be a bug, so it fails instead.
    """
    for alias in connections:
        wrapper = connections[alias]
        wrapper.connection = None
        wrapper.ensure_connection = _refuse  # type: ignore[method-assign]


def _refuse() -> None:
    raise RuntimeError(
        f"дочерний процесс (pid {os.getpid()}) не должен обращаться к базе данных"  # i18n: a bug's report
    )
