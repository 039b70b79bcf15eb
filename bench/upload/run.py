"""Upload benchmark: a 25 MB PDF through the real row-upload endpoint of the application form.

Starts the app under gunicorn (the production WSGI server; Django's runserver reads any unread request
body into memory at the end of a request, so it cannot show a refused 2 GB upload staying flat), and
measures the server processes' memory (VmRSS from /proc, sampled every 5 ms), the temporary-upload and
media directories, and the time of each upload. See README.md for the commands and the numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import os
import platform
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
MOTO = ROOT / ".venv" / "bin" / "moto_server"
MB = 1024 * 1024


# --- the file ------------------------------------------------------------------------------------------


def make_pdf(path: Path, size: int) -> None:
    """A valid one-page PDF of `size` bytes or a little less: the page carries a random stream."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    probe = io.BytesIO()
    pdf.save(probe)
    payload = os.urandom(size - len(probe.getvalue()) - 600)
    stream = pikepdf.Stream(pdf, payload)
    pdf.pages[0].obj[pikepdf.Name.PieceInfo] = pikepdf.Dictionary(Blob=pdf.make_indirect(stream))
    pdf.save(path, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)


def file_chunks(path: Path, size: int = 256 * 1024) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def zeros(total: int, size: int = MB) -> Iterator[bytes]:
    """`total` bytes of zeros, one reused 1 MB block at a time: never materialised."""
    block = bytes(size)
    sent = 0
    while sent < total:
        step = min(size, total - sent)
        sent += step
        yield block if step == size else block[:step]


# --- measuring -----------------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.extend(children(int(entry.name)))
    return found


def rss_kb(pid: int, key: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def dir_bytes(path: Path) -> int:
    total = 0
    for root, _, names in os.walk(path):
        for name in names:
            with contextlib.suppress(OSError):  # a temporary file may vanish while we look
                total += os.stat(os.path.join(root, name)).st_size
    return total


class Sampler(threading.Thread):
    """Peaks of every server process's RSS and of the temporary-upload directory while running."""

    def __init__(self, pids: list[int], tmp_dir: Path) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.tmp_dir = tmp_dir
        self.before = {pid: rss_kb(pid) for pid in pids}
        self.peak = dict(self.before)
        self.tmp_peak = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], rss_kb(pid))
            self.tmp_peak = max(self.tmp_peak, dir_bytes(self.tmp_dir))
            time.sleep(0.005)

    def stop(self) -> dict[str, Any]:
        self.running = False
        self.join()
        after = {pid: rss_kb(pid) for pid in self.pids}
        growth = {pid: self.peak[pid] - self.before[pid] for pid in self.pids}
        worst = max(growth, key=lambda pid: growth[pid])
        return {
            "rss_growth_mb": round(growth[worst] / 1024, 1),
            "rss_before_mb": round(self.before[worst] / 1024, 1),
            "rss_peak_mb": round(self.peak[worst] / 1024, 1),
            "rss_after_mb": round(after[worst] / 1024, 1),
            "tmp_peak_mb": round(self.tmp_peak / MB, 1),
        }


# --- the client ----------------------------------------------------------------------------------------


def post(
    port: int,
    path: str,
    session: dict[str, Any],
    fields: list[tuple[str, str]],
    file_field: str,
    filename: str,
    body: Iterator[bytes],
    file_size: int,
) -> dict[str, Any]:
    """A multipart POST whose file part is streamed from `body`; the whole body is never in memory."""
    boundary = uuid.uuid4().hex
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + file_size + len(tail)))
    connection.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in session["cookies"].items()))
    connection.putheader("X-CSRFToken", session["csrf"])
    connection.endheaders()
    started = time.perf_counter()
    sent = 0
    error = ""
    try:
        connection.send(head)
        for chunk in body:
            connection.send(chunk)
            sent += len(chunk)
        connection.send(tail)
    except OSError as exc:
        error = f"{type(exc).__name__} after {sent / MB:.1f} MB of the file"
    status: int | None = None
    text = ""
    try:
        response = connection.getresponse()
        status = response.status
        text = response.read().decode("utf-8", "replace")
    except OSError as exc:
        error = error or type(exc).__name__
    connection.close()
    return {
        "status": status,
        "seconds": round(time.perf_counter() - started, 3),
        "file_mb_sent": round(sent / MB, 1),
        "error": error,
        "answer": text[:300] if text.startswith("{") else "",
        "text": text,
    }


# --- the run -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int) -> None:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


def start_gunicorn(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(GUNICORN),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )


def s3_environment(endpoint: str) -> dict[str, str]:
    """A fresh private bucket on the local moto server and the settings that point the app at it."""
    import boto3

    bucket = f"frmr-bench-{uuid.uuid4().hex[:8]}"
    key_id, secret = "bench", "bench"  # moto accepts any credentials
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
    ).create_bucket(Bucket=bucket)
    return {
        "FRMR_STORAGE_BACKEND": "s3",
        "FRMR_S3_BUCKET": bucket,
        "FRMR_S3_ENDPOINT_URL": endpoint,
        "FRMR_S3_REGION": "us-east-1",
        "FRMR_S3_ACCESS_KEY_ID": key_id,
        "FRMR_S3_SECRET_ACCESS_KEY": secret,
        "FRMR_S3_ADDRESSING_STYLE": "path",
    }


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    parser.add_argument("--parallel", type=int, default=10)
    parser.add_argument("--huge-gb", type=float, default=2.0)
    parser.add_argument("--form-mb", type=int, default=400, help="oversized file in a no-JS form post")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    parser.add_argument(
        "--s3-rounds",
        type=int,
        default=5,
        help="alternating 25 MB uploads to the file system and to S3 (moto), each (default 5; 0: no S3)",
    )
    parser.add_argument(
        "--only-storage", action="store_true", help="run only the file system / S3 comparison"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="frmr-bench-upload-"))
    tmp_dir, media = work / "tmp", work / "media"
    tmp_dir.mkdir()
    media.mkdir()
    env = {
        **os.environ,
        "FRMR_VAR_DIR": str(work),
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "FRMR_MEDIA_ROOT": str(media),
        "FRMR_UPLOAD_TEMP_DIR": str(tmp_dir),
        "DJANGO_DEBUG": "0",
        "FRMR_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    run = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"], **run)  # type: ignore[call-overload]
    prepared = subprocess.run(  # type: ignore[call-overload]
        [str(PYTHON), str(Path(__file__).with_name("prepare.py"))], capture_output=True, text=True, **run
    )
    session = json.loads(prepared.stdout.strip().splitlines()[-1])
    limit = int(session["max_bytes"])
    pdf = work / "scan-25mb.pdf"
    make_pdf(pdf, limit - 64 * 1024)
    size = pdf.stat().st_size

    port = free_port()
    server = start_gunicorn(port, args.workers, env)
    s3_server: subprocess.Popen[bytes] | None = None
    moto: subprocess.Popen[bytes] | None = None
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "cpu": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "workers": args.workers,
        },
        "pdf_bytes": size,
        "limit_bytes": limit,
    }
    try:
        wait_for_port(port)
        upload_path = f"/lk/application/{session['application']}/upload/"
        edit_path = f"/lk/application/{session['application']}/edit/"

        def row_upload(doc_type: str, row: int, source: Path = pdf) -> dict[str, Any]:
            return post(
                port,
                upload_path,
                session,
                [("doc_type", doc_type), ("row", str(row))],
                "file",
                "скан.pdf",
                file_chunks(source),
                source.stat().st_size,
            )

        small = work / "small.pdf"
        make_pdf(small, 200 * 1024)
        for index in range(args.workers * 3):  # every worker imports the views and opens the database
            warm = row_upload("retraining_diploma", index % 5, small)
            assert warm["status"] == 200, warm
        pids = children(server.pid)

        if args.s3_rounds:
            # The same upload to S3-compatible storage (moto in server mode on this machine) next to the
            # file system: a second gunicorn with the same database and session, FRMR_STORAGE_BACKEND=s3.
            moto_port = free_port()
            moto = subprocess.Popen(
                [str(MOTO), "-H", "127.0.0.1", "-p", str(moto_port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wait_for_port(moto_port)
            s3_port = free_port()
            s3_server = start_gunicorn(
                s3_port, args.workers, {**env, **s3_environment(f"http://127.0.0.1:{moto_port}")}
            )
            wait_for_port(s3_port)
            s3_pids = children(s3_server.pid)
            for index in range(args.workers * 3):
                warm = post(
                    s3_port,
                    upload_path,
                    session,
                    [("doc_type", "retraining_diploma"), ("row", str(index % 5))],
                    "file",
                    "скан.pdf",
                    file_chunks(small),
                    small.stat().st_size,
                )
                assert warm["status"] == 200, warm
            rounds: dict[str, list[dict[str, Any]]] = {"filesystem": [], "s3": []}
            for _ in range(args.s3_rounds):  # alternating, so that a change of load hits both alike
                for name, target, target_pids in (("filesystem", port, pids), ("s3", s3_port, s3_pids)):
                    sampler = Sampler(target_pids, tmp_dir)
                    sampler.start()
                    one = post(
                        target,
                        upload_path,
                        session,
                        [("doc_type", "portfolio"), ("row", "0")],
                        "file",
                        "скан.pdf",
                        file_chunks(pdf),
                        size,
                    )
                    rounds[name].append({**_public(one), **sampler.stop()})
                    assert one["status"] == 200, one
            summary = {
                name: {
                    "median_seconds": round(median([r["seconds"] for r in runs]), 3),
                    "seconds": [r["seconds"] for r in runs],
                    "max_rss_growth_mb": max(r["rss_growth_mb"] for r in runs),
                }
                for name, runs in rounds.items()
            }
            results["storage_comparison"] = {
                "rounds": args.s3_rounds,
                **summary,
                "s3_to_filesystem_time_ratio": round(
                    summary["s3"]["median_seconds"] / summary["filesystem"]["median_seconds"], 2
                ),
                "load_average": os.getloadavg(),
            }
        if args.only_storage:
            _finish(results, server, s3_server, moto, work, args.keep)
            return

        sampler = Sampler(pids, tmp_dir)
        sampler.start()
        single = row_upload("portfolio", 0)
        results["single"] = {**_public(single), **sampler.stop()}
        assert single["status"] == 200, single

        sampler = Sampler(pids, tmp_dir)
        sampler.start()
        started = time.perf_counter()
        with ThreadPoolExecutor(args.parallel) as pool:
            many = list(pool.map(lambda row: row_upload("course_certificate", row), range(args.parallel)))
        results["parallel"] = {
            "count": args.parallel,
            "ok": sum(1 for item in many if item["status"] == 200),
            "wall_seconds": round(time.perf_counter() - started, 3),
            "slowest_seconds": max(item["seconds"] for item in many),
            **sampler.stop(),
        }

        over = work / "over.pdf"
        make_pdf(over, limit + 100 * 1024)
        sampler = Sampler(pids, tmp_dir)
        sampler.start()
        cut = row_upload("snils", 0, over)
        results["just_over_limit_row_upload"] = {
            **_public(cut),
            "file_mb": round(over.stat().st_size / MB, 2),
            **sampler.stop(),
        }

        media_before = dir_bytes(media)
        sampler = Sampler(pids, tmp_dir)
        sampler.start()
        huge = int(args.huge_gb * 1024 * MB)
        refused = post(
            port,
            upload_path,
            session,
            [("doc_type", "passport"), ("row", "0")],
            "file",
            "huge.pdf",
            zeros(huge),
            huge,
        )
        results["huge_row_upload"] = {
            **_public(refused),
            "declared_mb": round(huge / MB),
            "media_growth_mb": round((dir_bytes(media) - media_before) / MB, 1),
            **sampler.stop(),
        }

        media_before = dir_bytes(media)
        sampler = Sampler(pids, tmp_dir)
        sampler.start()
        form_size = args.form_mb * MB
        form = post(
            port,
            edit_path,
            session,
            [("action", "save"), ("accreditation_kind", "3"), ("comment", "bench")],
            "file-diploma-0",
            "big.pdf",
            zeros(form_size),
            form_size,
        )
        results["oversized_in_form"] = {
            **_public(form),
            "refused_at_row": "Файл больше" in form["text"],
            "declared_mb": args.form_mb,
            "media_growth_mb": round((dir_bytes(media) - media_before) / MB, 1),
            **sampler.stop(),
        }
    except BaseException:
        _stop(server, s3_server, moto)
        raise
    _finish(results, server, s3_server, moto, work, args.keep)


def _stop(*processes: subprocess.Popen[bytes] | None) -> None:
    for process in processes:
        if process is not None and process.poll() is None:
            process.terminate()
            process.wait(10)


def _finish(
    results: dict[str, Any],
    server: subprocess.Popen[bytes],
    s3_server: subprocess.Popen[bytes] | None,
    moto: subprocess.Popen[bytes] | None,
    work: Path,
    keep: bool,
) -> None:
    _stop(server, s3_server, moto)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False, indent=2))


def _public(result: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in result.items() if key != "text"}


if __name__ == "__main__":
    main()
