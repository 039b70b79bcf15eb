"""The deployment files in deploy/ (docs/deploy.md) are usable: systemd accepts the units, every
command they start exists, the environment file names only settings the project reads and makes a
production configuration that starts, and nginx accepts the proxy's configuration."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from frmr.documents.uploads import FIELDS_MARGIN

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("frmr*"))
ENV_FILE = DEPLOY / "frmr.env.example"
NGINX_CONF = DEPLOY / "nginx" / "frmr.conf"
INSTALL_DIR = "/opt/frmr"
IN_CI = os.environ.get("CI") == "true"
# The no-JavaScript application form takes up to 20 files (docs/uploads.md, «Limits and checks»).
FORM_FILES = 20


def exec_lines(unit: Path) -> list[list[str]]:
    return [
        shlex.split(line.split("=", 1)[1])
        for line in unit.read_text().splitlines()
        if re.match(r"Exec(Start|StartPre|Reload)=", line)
    ]


def env_file_names(path: Path) -> list[str]:
    return [
        line.split("=", 1)[0] for line in path.read_text().splitlines() if re.match(r"[A-Z][A-Z0-9_]*=", line)
    ]


def names_read_by_the_project() -> set[str]:
    """Every variable name the settings and the code read: env_str/env_int/env_bool/env_list or os.environ."""
    found: set[str] = set()
    pattern = re.compile(
        r"""(?:env_(?:str|int|bool|list)|os\.environ\.get|os\.environ\[|os\.getenv)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
    )
    for folder in ("config", "frmr", "web"):
        for source in (ROOT / folder).rglob("*.py"):
            found.update(pattern.findall(source.read_text(encoding="utf-8")))
    return found


def test_there_are_units_for_every_process() -> None:
    names = {unit.name for unit in UNITS}
    assert {"frmr-site.service", "frmr-api.service", "frmr-worker@.service", "frmr-migrate.service"} <= names


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_every_command_a_unit_starts_exists(unit: Path) -> None:
    commands = get_commands()
    for argv in exec_lines(unit):
        program = argv[0]
        if program.startswith(INSTALL_DIR):
            local = ROOT / Path(program).relative_to(INSTALL_DIR)
            assert local.name in {"python", "gunicorn", "granian"}, program
            assert (ROOT / ".venv" / "bin" / local.name).exists(), (
                f"{program}: not installed by requirements.txt"
            )
        else:
            assert Path(program).exists(), program
        if argv[1:2] == ["manage.py"]:
            assert argv[2] in commands, f"{unit.name}: manage.py {argv[2]} is not a management command"
        for word in argv[1:]:
            if re.fullmatch(r"[a-z_.]+:application", word):
                module = word.split(":")[0]
                assert find_spec(module) is not None, f"{unit.name}: {module} does not exist"
        if "--config" in argv:
            assert (ROOT / Path(argv[argv.index("--config") + 1]).relative_to(INSTALL_DIR)).exists()


def test_the_api_unit_runs_granian_as_decision_0002_says() -> None:
    (argv,) = exec_lines(DEPLOY / "systemd" / "frmr-api.service")
    assert Path(argv[0]).name == "granian"
    assert argv[argv.index("--interface") + 1] == "wsgi"
    assert "config.wsgi_api:application" in argv
    assert argv[argv.index("--blocking-threads") + 1] == "1"
    assert argv[argv.index("--runtime-mode") + 1] == "st"


def test_the_worker_unit_gives_each_worker_a_unique_id() -> None:
    (argv,) = exec_lines(DEPLOY / "systemd" / "frmr-worker@.service")
    assert argv[1:3] == ["manage.py", "task_worker"]
    worker_id = argv[argv.index("--worker-id") + 1]
    assert "%H" in worker_id and "%i" in worker_id  # host and instance: unique across machines
    assert "--no-reload" in argv


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if IN_CI:
            pytest.fail("systemd-analyze is missing (Debian package systemd)")
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    # Put the units where this checkout is, so that systemd can check their programs exist.
    for unit in UNITS:
        text = unit.read_text().replace(INSTALL_DIR, str(ROOT)).replace("/etc/frmr/frmr.env", str(ENV_FILE))
        text = re.sub(r"^(User|Group)=frmr$", r"\1=root", text, flags=re.M)
        (tmp_path / unit.name).write_text(text)
    (tmp_path / "frmr-worker@1.service").write_text((tmp_path / "frmr-worker@.service").read_text())
    checked = [path for path in sorted(tmp_path.iterdir()) if "@." not in path.name]
    done = subprocess.run(
        [analyze, "verify", "--man=no", *map(str, checked)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr + done.stdout


def test_the_environment_file_sets_only_what_the_project_reads() -> None:
    documented = set(env_file_names(ROOT / ".env.example"))
    read = names_read_by_the_project()
    for name in env_file_names(ENV_FILE):
        assert name in read, f"{name} is not read by the settings or the code"
        assert name in documented, f"{name} is not documented in .env.example"


def test_the_environment_file_makes_a_production_configuration_that_starts(tmp_path: Path) -> None:
    """Fill in the placeholders as an operator would, then start Django with exactly that environment."""
    fills = {"DJANGO_SECRET_KEY": "k" * 20 + "production-only-secret-value-" + "x" * 20}
    variables: dict[str, str] = {}
    for line in ENV_FILE.read_text().splitlines():
        if not re.match(r"[A-Z][A-Z0-9_]*=", line):
            continue
        name, value = line.split("=", 1)
        if name.endswith("_PATH"):
            value = str(tmp_path / Path(value).name)
            Path(value).write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        elif "<" in value:
            value = fills.get(name) or re.sub(r"<[^>]*>", "filled-in", value)
        variables[name] = value
    variables["FRMR_VAR_DIR"] = str(tmp_path)
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FRMR_", "DJANGO_", "ESIA_", "DATABASE_"))
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.PRODUCTION, s.DEBUG, s.STORAGES['default']['BACKEND'], "
        "s.SESSION_COOKIE_SECURE]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **variables},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip().splitlines()[-1] == '[true, false, "frmr.documents.s3.DocumentS3Storage", true]'
    )


def nginx_size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()  # type: ignore[union-attr]
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


def test_the_proxy_streams_uploads_and_lets_the_largest_form_through() -> None:
    conf = NGINX_CONF.read_text()
    assert re.search(r"^\s*proxy_request_buffering off;", conf, re.M)
    server_limit = nginx_size(re.findall(r"^    client_max_body_size (\w+);", conf, re.M)[0])
    assert server_limit >= FORM_FILES * settings.DOCUMENT_MAX_BYTES + FIELDS_MARGIN
    assert "/media/" not in re.sub(r"#.*", "", conf)  # documents only through permission-checked views


def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        if IN_CI:
            pytest.fail("nginx is missing: scripts/test.sh installs it in CI (Debian package nginx)")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    key, cert = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=frmr.example.ru", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = NGINX_CONF.read_text().replace("/etc/frmr/tls/privkey.pem", str(key))
    (tmp_path / "frmr.conf").write_text(site.replace("/etc/frmr/tls/fullchain.pem", str(cert)))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include /etc/nginx/mime.types;\n  include {tmp_path}/frmr.conf;\n}}\n"
    )
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr
