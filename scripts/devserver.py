"""`make run`: prepare the database and start every process of the development stand.

Processes: the web application (:8000), the ЕСИА emulator (:8001) and the background task worker.
Ctrl-C stops them all. Settings come from the environment, as everywhere (see .env.example); the stand
moves with FRMR_RUN_ADDR and ESIA_EMULATOR_ADDR alone, since the site's URL, ЕСИА's URL and the
redirect URI follow them (config/settings.py).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.env import host_and_port, origin_of  # noqa: E402 (the repository root is on the path now)

PY = sys.executable
APP_ADDR = os.environ.get("FRMR_RUN_ADDR") or "127.0.0.1:8000"
ESIA_ADDR = os.environ.get("ESIA_EMULATOR_ADDR") or "127.0.0.1:8001"
# The addresses the browser is sent to: the same defaults as the settings of both processes.
SITE_URL = (os.environ.get("FRMR_SITE_URL") or origin_of(APP_ADDR, default_port=8000)).rstrip("/")
ESIA_URL = (os.environ.get("ESIA_BASE_URL") or origin_of(ESIA_ADDR, default_port=8001)).rstrip("/")

# Steps that prepare the product's database; each is idempotent, so `make run` can be repeated.
PREPARE: list[list[str]] = [
    [PY, "manage.py", "migrate", "--no-input", "-v", "0"],
]
# Long-running processes: (name, argv).
PROCESSES: list[tuple[str, list[str]]] = [
    # --insecure: static files are served with DEBUG off, which is the default (decision 0003).
    ("app", [PY, "manage.py", "runserver", APP_ADDR, "--noreload", "--insecure"]),
    ("worker", [PY, "manage.py", "task_worker"]),
]
# Added by the packages that provide them (see below): preparation of other processes and banners.
BANNER: list[str] = []


def _extend_from_optional_parts() -> None:
    """Parts of the stand that live in their own packages register themselves here."""
    commands = ROOT / "frmr"
    if (commands / "nsi" / "management" / "commands" / "load_dictionaries.py").exists():
        PREPARE.append([PY, "manage.py", "load_dictionaries"])
    if (commands / "demo" / "management" / "commands" / "load_demo.py").exists():
        PREPARE.append([PY, "manage.py", "load_demo"])
    emulator = ROOT / "esia_emulator"
    if (emulator / "__main__.py").exists():
        PREPARE.append([PY, "-m", "esia_emulator", "prepare"])
        PROCESSES.insert(1, ("esia", [PY, "-m", "esia_emulator", "serve", ESIA_ADDR]))


def main() -> int:
    os.chdir(ROOT)
    (ROOT / "var").mkdir(exist_ok=True)
    _extend_from_optional_parts()
    for argv in PREPARE:
        print("→", " ".join(argv[1:]), flush=True)
        subprocess.run(argv, check=True)

    children: list[tuple[str, subprocess.Popen[bytes]]] = []
    for name, argv in PROCESSES:
        children.append((name, subprocess.Popen(argv)))
    _wait_until_listening(
        [(APP_ADDR, 8000), (ESIA_ADDR, 8001)]
        if any(n == "esia" for n, _ in PROCESSES)
        else [(APP_ADDR, 8000)]
    )
    print_banner()

    def stop(*_: object) -> None:
        for _name, child in children:
            if child.poll() is None:
                child.terminate()
        for _name, child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while True:
        for name, child in children:
            if child.poll() is not None:
                print(f"Процесс {name} завершился с кодом {child.returncode}; останавливаю остальные.")
                stop()
        time.sleep(1)


def _wait_until_listening(addresses: list[tuple[str, int]], timeout: float = 60.0) -> None:
    """Print the banner only when the servers answer, so that it is the last thing on the screen."""
    deadline = time.monotonic() + timeout
    for address, default_port in addresses:
        host, port = host_and_port(address, default_port=default_port)
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((host, port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
    time.sleep(0.5)


def print_banner() -> None:
    print()
    print("=" * 72)
    print(f"ФРМР запущен: {SITE_URL}/")
    print(f"Эмулятор ЕСИА: {ESIA_URL}/")
    print(f"Администрирование: {SITE_URL}/admin/")
    demo = Path(os.environ.get("FRMR_VAR_DIR") or ROOT / "var") / "demo-logins.txt"
    if demo.exists():
        print()
        print(demo.read_text(encoding="utf-8"))
    for line in BANNER:
        print(line)
    print("Остановить: Ctrl-C")
    print("=" * 72, flush=True)


if __name__ == "__main__":
    sys.exit(main())
