"""Reading settings from the environment.

Every setting of the project comes from an environment variable; development gets safe defaults,
production (FRMR_ENV=production) gets none for secrets. A wrong variable does not stop the reading at
once: every problem is collected, and `refuse_if_misconfigured()` (the last line of the settings) stops
the start-up with all of them in one message, so that a deployment is fixed in one round.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
# The only values of FRMR_ENV. Anything else ("prod", "Production") is refused rather than guessed:
# a misspelt production must never quietly run with DEBUG on and the published development keys.
ENVIRONMENTS = ("development", "production")

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 (refused in production)
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5

# SHA-256 of the DER of every PEM block the repository publishes in esia_emulator/data (the emulator's
# ЕСИА key and certificate, its demo client's key and certificate). Kept here, not read from those files,
# so that the check holds in a deployment that does not ship the emulator; tests/config compares them
# with the files.
PUBLISHED_DEVELOPMENT_KEYS = {
    "b9ad75baf8ce38ae0a2cf32e480211537e7926462568b7b4392224bcea855f20": "client/client.key.pem",
    "5c67ca1b3784b602d66381f202e475011dd18289abb2b0579356dac3ea387a2f": "client/client.cert.pem",
    "ad98aa900eb48d1120965b642c2e7e875e5f114f0a6c63a50cc21610b03766e3": "esia/esia.cert.pem",
    "3ae287f969849bd11123977585313c7a35338fcfc7dcaf267a0a840e73e03241": "esia/esia.key.pem",
}
_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.S)

_problems: list[str] = []


def problem(message: str) -> None:
    """Remember a configuration problem; `refuse_if_misconfigured` reports them all together."""
    if message not in _problems:
        _problems.append(message)


def refuse_if_misconfigured() -> None:
    found, _problems[:] = list(_problems), []
    if found:
        lines = "\n".join(f"  - {message}" for message in found)
        raise ImproperlyConfigured(
            f"The settings are not usable ({len(found)} problem(s)); see .env.example:\n{lines}"
        )


def environment() -> str:
    value = os.environ.get("FRMR_ENV", "")
    if value == "":
        return "development"
    if value not in ENVIRONMENTS:
        problem(f"FRMR_ENV={value!r} is not one of {', '.join(ENVIRONMENTS)} (exactly, in lower case).")
        # Until the start-up stops, read the rest as production would, so that its problems show too.
        return "production"
    return value


def is_production() -> bool:
    return environment() == "production"


def env_str(name: str, default: str | None = None, *, required_in_production: bool = False) -> str:
    value = os.environ.get(name)
    if value not in (None, ""):
        return value
    if required_in_production and is_production():
        problem(f"Set {name}: it has no production default.")
        return default or ""
    if default is None:
        problem(f"Set {name}.")
        return ""
    return default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in TRUE_VALUES


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        problem(f"{name} must be an integer, got {value!r}.")
        return default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# ------------------------------------------------------------------------------ Addresses of the stand


def host_and_port(address: str, *, default_port: int) -> tuple[str, int]:
    """`runserver`'s address forms: "HOST:PORT", "PORT", "[::1]:PORT"; a wildcard host means this machine.

    A browser cannot be sent to 0.0.0.0 or ::, so links derived from a wildcard address use 127.0.0.1;
    a stand reached under another name sets FRMR_SITE_URL / ESIA_BASE_URL itself.
    """
    address = address.strip()
    host, _, port = address.rpartition(":")
    if not host and not port.isdigit():
        host, port = port, ""
    host = host.strip("[]") or "127.0.0.1"
    if host in ("0.0.0.0", "::", "0"):  # noqa: S104 (a bind address read, not bound to)
        host = "127.0.0.1"
    try:
        number = int(port) if port else default_port
    except ValueError:
        problem(f"{address!r} is not an address: use HOST:PORT, e.g. 127.0.0.1:8000.")
        number = default_port
    return host, number


def origin_of(address: str, *, default_port: int) -> str:
    host, port = host_and_port(address, default_port=default_port)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


# -------------------------------------------------------------------------------- Production refusals


def refuse_weak_secret_key(name: str, key: str) -> None:
    if not os.environ.get(name):
        return  # already reported as missing
    if key == DEV_SECRET_KEY or key.startswith("django-insecure-"):
        problem(f"{name} is the published development key: generate a long random one.")
    elif len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        problem(
            f"{name} is too weak: it needs at least {SECRET_KEY_MIN_LENGTH} characters and "
            f'{SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones (e.g. python -c "import secrets; '
            'print(secrets.token_urlsafe(64))").'
        )


def pem_fingerprints(text: str) -> set[str]:
    """SHA-256 of the DER of every PEM block: the same key or certificate however it is wrapped."""
    found = set()
    for match in _PEM_BLOCK.finditer(text):
        try:
            der = base64.b64decode("".join(match.group(2).split()), validate=True)
        except ValueError:
            continue
        found.add(hashlib.sha256(der).hexdigest())
    return found


def refuse_development_key_file(name: str, path: str, *, published_dir: Path) -> None:
    """A production key or certificate must exist, be readable, and not be one the repository publishes."""
    if not os.environ.get(name):
        return  # already reported as missing
    file = Path(path)
    try:
        if file.resolve().is_relative_to(published_dir.resolve()):
            problem(f"{name}={path} is in {published_dir}: the repository's public development keys.")
            return
        text = file.read_text(encoding="ascii", errors="replace")
    except OSError as exc:
        problem(f"{name}={path} cannot be read ({exc.strerror or exc}).")
        return
    published = pem_fingerprints(text) & PUBLISHED_DEVELOPMENT_KEYS.keys()
    if published:
        names = ", ".join(sorted(PUBLISHED_DEVELOPMENT_KEYS[f] for f in published))
        problem(f"{name}={path} holds the repository's published development key or certificate ({names}).")


# ---------------------------------------------------------------------------------- Document storage

STORAGE_BACKENDS = {
    "filesystem": "django.core.files.storage.FileSystemStorage",
    "s3": "frmr.documents.s3.DocumentS3Storage",
}


def storage_backend() -> dict[str, object]:
    """The STORAGES entry of the documents: the file system, or S3-compatible storage from FRMR_S3_*."""
    value = env_str("FRMR_STORAGE_BACKEND", "filesystem")
    backend = STORAGE_BACKENDS.get(value, value)
    if backend != STORAGE_BACKENDS["s3"]:
        return {"BACKEND": backend}
    options: dict[str, object] = {
        "bucket_name": env_str("FRMR_S3_BUCKET"),
        "endpoint_url": env_str("FRMR_S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("FRMR_S3_REGION", "") or None,
        # Empty: boto3 looks for credentials itself (AWS_* variables, an instance role).
        "access_key": env_str("FRMR_S3_ACCESS_KEY_ID", "") or None,
        "secret_key": env_str("FRMR_S3_SECRET_ACCESS_KEY", "") or None,
        "addressing_style": env_str("FRMR_S3_ADDRESSING_STYLE", "") or None,
        "location": env_str("FRMR_S3_PREFIX", ""),
        "signature_version": "s3v4",
        "default_acl": None,
    }
    encryption = env_str("FRMR_S3_SERVER_SIDE_ENCRYPTION", "AES256")
    if encryption not in ("AES256", "aws:kms", "none"):
        problem(f"FRMR_S3_SERVER_SIDE_ENCRYPTION={encryption!r} is not one of AES256, aws:kms, none.")
    parameters: dict[str, str] = {}
    if encryption in ("AES256", "aws:kms"):
        parameters["ServerSideEncryption"] = encryption
        if encryption == "aws:kms" and os.environ.get("FRMR_S3_KMS_KEY_ID"):
            parameters["SSEKMSKeyId"] = os.environ["FRMR_S3_KMS_KEY_ID"]
    options["object_parameters"] = parameters
    if is_production() and not env_bool("FRMR_S3_VERIFY_TLS", True):
        problem("FRMR_S3_VERIFY_TLS is off: production talks to object storage over verified TLS only.")
    options["verify"] = None if env_bool("FRMR_S3_VERIFY_TLS", True) else False
    return {"BACKEND": backend, "OPTIONS": options}
