"""Settings read from the environment: unknown environments, weak production secrets and published keys
are refused, all at once; the stand's public URLs follow its addresses. Each case imports the settings
in a fresh interpreter with exactly the environment it names."""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config import env

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "esia_emulator" / "data"
STRONG_KEY = secrets.token_urlsafe(64)
PRINT = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({n: getattr(s, n) for n in ('DEBUG', 'SITE_URL', 'ESIA_BASE_URL', "
    "'ESIA_REDIRECT_URI', 'ALLOWED_HOSTS', 'PRODUCTION')}))"
)


def _settings(variables: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FRMR_", "DJANGO_", "ESIA_", "DATABASE_"))
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", **variables})
    code = f"import django; django.setup(); {PRINT}"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def _loaded(variables: dict[str, str]) -> dict[str, object]:
    result = _settings(variables)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def _refused(variables: dict[str, str]) -> str:
    result = _settings(variables)
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr


def _own_pem(path: Path, label: str) -> str:
    body = base64.encodebytes(secrets.token_bytes(96)).decode()
    path.write_text(f"-----BEGIN {label}-----\n{body}-----END {label}-----\n", encoding="ascii")
    return str(path)


@pytest.fixture
def production(tmp_path: Path) -> dict[str, str]:
    """A complete, acceptable production environment with keys of its own."""
    return {
        "FRMR_ENV": "production",
        "DJANGO_SECRET_KEY": STRONG_KEY,
        "FRMR_SITE_URL": "https://frmr.example.ru",
        "DATABASE_URL": "postgres://frmr@db.internal:5432/frmr",
        "ESIA_BASE_URL": "https://esia-portal1.test.gosuslugi.ru",
        "ESIA_CLIENT_ID": "FRMR01",
        "ESIA_KEY_PATH": _own_pem(tmp_path / "client.key.pem", "PRIVATE KEY"),
        "ESIA_CERT_PATH": _own_pem(tmp_path / "client.cert.pem", "CERTIFICATE"),
        "ESIA_VERIFY_CERT_PATH": _own_pem(tmp_path / "esia.cert.pem", "CERTIFICATE"),
    }


def test_a_complete_production_environment_starts_without_debug(production: dict[str, str]) -> None:
    loaded = _loaded(production)
    assert loaded["PRODUCTION"] is True and loaded["DEBUG"] is False
    assert loaded["SITE_URL"] == "https://frmr.example.ru"


@pytest.mark.parametrize("value", ["Production", "prod", "PRODUCTION", "dev", "production "])
def test_an_unknown_environment_is_refused(production: dict[str, str], value: str) -> None:
    stderr = _refused({**production, "FRMR_ENV": value})
    assert f"FRMR_ENV={value!r} is not one of development, production" in stderr


def test_development_is_the_default_and_may_be_named() -> None:
    assert _loaded({})["PRODUCTION"] is False
    assert _loaded({"FRMR_ENV": "development"})["PRODUCTION"] is False


def test_debug_is_off_unless_asked_for_even_in_development() -> None:
    assert _loaded({})["DEBUG"] is False
    assert _loaded({"DJANGO_DEBUG": "true"})["DEBUG"] is True


def test_production_lists_every_missing_variable_in_one_message() -> None:
    stderr = _refused({"FRMR_ENV": "production"})
    for name in (
        "DJANGO_SECRET_KEY",
        "FRMR_SITE_URL",
        "DATABASE_URL",
        "ESIA_BASE_URL",
        "ESIA_CLIENT_ID",
        "ESIA_KEY_PATH",
        "ESIA_CERT_PATH",
        "ESIA_VERIFY_CERT_PATH",
    ):
        assert f"Set {name}: it has no production default." in stderr
    assert "(8 problem(s))" in stderr


def test_an_invalid_number_is_reported_with_the_missing_variables() -> None:
    stderr = _refused({"FRMR_ENV": "production", "FRMR_API_RATE_PER_MINUTE": "много"})
    assert "FRMR_API_RATE_PER_MINUTE must be an integer, got 'много'." in stderr
    assert "Set DATABASE_URL" in stderr


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("short-but-random-Zq8", "too weak"),
        ("a" * 80, "too weak"),
        (env.DEV_SECRET_KEY, "the published development key"),
        ("django-insecure-" + STRONG_KEY, "the published development key"),
    ],
)
def test_production_refuses_a_weak_secret_key(production: dict[str, str], key: str, why: str) -> None:
    stderr = _refused({**production, "DJANGO_SECRET_KEY": key})
    assert f"DJANGO_SECRET_KEY is {why}" in stderr


@pytest.mark.parametrize(
    ("name", "published"),
    [
        ("ESIA_KEY_PATH", "client/client.key.pem"),
        ("ESIA_CERT_PATH", "client/client.cert.pem"),
        ("ESIA_VERIFY_CERT_PATH", "esia/esia.cert.pem"),
    ],
)
def test_production_refuses_the_published_development_keys_by_path_and_by_content(
    production: dict[str, str], tmp_path: Path, name: str, published: str
) -> None:
    stderr = _refused({**production, name: str(DATA / published)})
    assert f"{name}={DATA / published} is in" in stderr

    # A copy elsewhere, re-wrapped at another line width, is still the same key.
    text = (DATA / published).read_text(encoding="ascii")
    label = text.split("-----")[1].removeprefix("BEGIN ")
    der = base64.b64decode("".join(text.split("-----")[2].split()))
    copy = tmp_path / "copied.pem"
    copy.write_text(
        f"-----{label.join(['BEGIN ', ''])}-----\n{base64.encodebytes(der).decode()}-----END {label}-----\n",
        encoding="ascii",
    )
    stderr = _refused({**production, name: str(copy)})
    assert f"holds the repository's published development key or certificate ({published})" in stderr


def test_production_refuses_a_key_file_it_cannot_read(production: dict[str, str], tmp_path: Path) -> None:
    stderr = _refused({**production, "ESIA_KEY_PATH": str(tmp_path / "absent.pem")})
    assert "ESIA_KEY_PATH=" in stderr and "cannot be read" in stderr


def test_the_known_fingerprints_are_those_of_the_files_the_repository_publishes() -> None:
    found = {}
    for path in sorted(DATA.glob("*/*.pem")):
        for fingerprint in env.pem_fingerprints(path.read_text(encoding="ascii")):
            found[fingerprint] = str(path.relative_to(DATA))
    assert found == env.PUBLISHED_DEVELOPMENT_KEYS


# ------------------------------------------------------------------------------------ a stand that moves


def test_the_public_urls_follow_the_stand_addresses() -> None:
    loaded = _loaded({"FRMR_RUN_ADDR": "127.0.0.1:8150", "ESIA_EMULATOR_ADDR": "127.0.0.1:8151"})
    assert loaded["SITE_URL"] == "http://127.0.0.1:8150"
    assert loaded["ESIA_BASE_URL"] == "http://127.0.0.1:8151"
    assert loaded["ESIA_REDIRECT_URI"] == "http://127.0.0.1:8150/login/esia/callback/"


def test_a_stand_on_another_host_is_allowed_and_a_wildcard_bind_links_to_this_machine() -> None:
    loaded = _loaded({"FRMR_RUN_ADDR": "10.0.0.5:9000", "ESIA_EMULATOR_ADDR": "0.0.0.0:9001"})
    assert loaded["SITE_URL"] == "http://10.0.0.5:9000"
    assert "10.0.0.5" in loaded["ALLOWED_HOSTS"]  # type: ignore[operator]
    assert loaded["ESIA_BASE_URL"] == "http://127.0.0.1:9001"
    assert _loaded({"FRMR_RUN_ADDR": "9000"})["SITE_URL"] == "http://127.0.0.1:9000"


def test_explicit_urls_win_over_the_addresses() -> None:
    loaded = _loaded(
        {
            "FRMR_RUN_ADDR": "127.0.0.1:8150",
            "FRMR_SITE_URL": "https://stand.example",
            "ESIA_BASE_URL": "https://esia.example",
            "ESIA_REDIRECT_URI": "https://stand.example/cb/",
        }
    )
    assert (loaded["SITE_URL"], loaded["ESIA_BASE_URL"], loaded["ESIA_REDIRECT_URI"]) == (
        "https://stand.example",
        "https://esia.example",
        "https://stand.example/cb/",
    )


def test_the_defaults_are_the_usual_ports() -> None:
    loaded = _loaded({})
    assert (loaded["SITE_URL"], loaded["ESIA_BASE_URL"]) == ("http://127.0.0.1:8000", "http://127.0.0.1:8001")


def test_the_emulator_follows_the_stand_addresses_too() -> None:
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FRMR_", "DJANGO_", "ESIA_", "DATABASE_"))
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="esia_emulator.settings",
        FRMR_RUN_ADDR="10.0.0.5:9000",
        ESIA_EMULATOR_ADDR="10.0.0.5:9001",
    )
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "from esia_emulator.seed import with_register_origin as w; "
        "print(json.dumps([s.ALLOWED_HOSTS, s.ESIA_EMULATOR_CSP_FORM_ACTION, w(['http://127.0.0.1:*/'])]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    hosts, form_action, prefixes = json.loads(result.stdout.strip().splitlines()[-1])
    assert "10.0.0.5" in hosts
    assert "http://10.0.0.5:9000" in form_action
    assert prefixes == ["http://127.0.0.1:*/", "http://10.0.0.5:9000/"]


def test_production_refuses_webhooks_to_internal_addresses(production: dict[str, str]) -> None:
    stderr = _refused({**production, "FRMR_WEBHOOKS_ALLOW_PRIVATE": "true"})
    assert "FRMR_WEBHOOKS_ALLOW_PRIVATE must be off in production" in stderr
