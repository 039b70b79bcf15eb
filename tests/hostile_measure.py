"""Check hostile files one by one in this fresh process and print what each cost it, as JSON lines.

    python -m tests.hostile_measure pdf FILE...
    python -m tests.hostile_measure import FILE...

Run as a separate process by the tests so that its peak resident memory (ru_maxrss, which only ever
grows) stands for the web process or task worker: the baseline is taken after a good file went
through the same code, and the growth after the hostile ones is what they cost this process. The
child processes that do the heavy work are not counted in RUSAGE_SELF, which is the point.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def _peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _check_pdf(path: Path) -> str:
    from django.core.exceptions import ValidationError

    from frmr.documents.pdf import validate_pdf

    try:
        with path.open("rb") as file:
            validate_pdf(file)
    except ValidationError as error:
        return str(error.code)
    return "accepted"


def _check_import(path: Path) -> str:
    from django.core.exceptions import ValidationError

    from frmr.imports.readers import inspect_file

    try:
        inspect_file(path, name=path.name)
    except ValidationError as error:
        return str(error.code or "refused")
    return "accepted"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    import django

    django.setup()
    kind, *names = sys.argv[1:]
    check = _check_pdf if kind == "pdf" else _check_import
    warm_up = Path(names.pop(0))
    check(warm_up)
    baseline = _peak_bytes()
    print(json.dumps({"file": str(warm_up), "baseline": baseline}), flush=True)
    for name in names:
        started = time.monotonic()
        outcome = check(Path(name))
        print(
            json.dumps(
                {
                    "file": name,
                    "outcome": outcome,
                    "seconds": time.monotonic() - started,
                    "growth": _peak_bytes() - baseline,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
