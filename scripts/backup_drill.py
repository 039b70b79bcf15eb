"""Backup and restore drill (docs/backup.md): back up, destroy, restore elsewhere, compare.

    .venv/bin/python scripts/backup_drill.py --server postgres://postgres@127.0.0.1:5432 \
        --prefix frmr_drill [--store filesystem | --store s3 --s3-endpoint URL] [--keep]

1. builds a source install: a database `<prefix>_source` (migrations, dictionaries, `load_demo`) and a
   document store (a directory, or a bucket) with real PDFs attached to demo workers' applications;
2. writes the manifest: the row count of every table and the SHA-256 of every stored document;
3. backs up with the tools docs/backup.md names: `pg_dump --format=custom` of the database, and a copy
   of the documents (`rsync -a` of the directory, or an object-by-object copy of the bucket);
4. destroys the source: drops the database, deletes the directory or every object and the bucket;
5. restores into a NEW database `<prefix>_restored` (`pg_restore`) and a NEW directory or bucket;
6. compares the restored install with the manifest: row counts of every table, the checksum of every
   document, and that every document row of the database has its file with the checksum it recorded.

Prints a JSON report and exits 1 if anything differs. Touches only databases named `<prefix>_*`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# How many demo workers get an application with scanned documents in the source install.
WORKERS_WITH_DOCUMENTS = 6
DOCUMENT_TABLE = "accreditation_applicationdocument"


# --- PostgreSQL -----------------------------------------------------------------------------------------


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def libpq_args(server: str) -> list[str]:
    parts = urlsplit(server)
    args = [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    return args


def libpq_env(server: str) -> dict[str, str]:
    password = urlsplit(server).password
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}


def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv[:3])}… failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done


def drop_database(server: str, name: str) -> None:
    run(["dropdb", *libpq_args(server), "--if-exists", "--force", name], env=libpq_env(server))


def create_database(server: str, name: str) -> None:
    drop_database(server, name)
    run(["createdb", *libpq_args(server), name], env=libpq_env(server))


def row_counts(url: str) -> dict[str, int]:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts: dict[str, int] = {}
        for table in tables:
            statement = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            counts[table] = int(connection.execute(statement).fetchone()[0])  # type: ignore[index]
        return counts


def recorded_documents(url: str) -> dict[str, str]:
    """What the database says is stored: storage name → SHA-256 of every application document."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url) as connection:
        statement = sql.SQL("SELECT storage_name, sha256 FROM {}").format(sql.Identifier(DOCUMENT_TABLE))
        rows = connection.execute(statement).fetchall()
    return dict(rows)


# --- document stores ------------------------------------------------------------------------------------


class DirectoryStore:
    kind = "filesystem"

    def __init__(self, path: Path) -> None:
        self.path = path

    def settings(self) -> dict[str, str]:
        return {"FRMR_STORAGE_BACKEND": "filesystem", "FRMR_MEDIA_ROOT": str(self.path)}

    def checksums(self) -> dict[str, str]:
        found = {}
        for file in sorted(self.path.rglob("*")):
            if file.is_file():
                digest = hashlib.sha256()
                with file.open("rb") as handle:
                    for block in iter(lambda: handle.read(1024 * 1024), b""):
                        digest.update(block)
                found[file.relative_to(self.path).as_posix()] = digest.hexdigest()
        return found

    def copy_to(self, other: DirectoryStore) -> None:
        other.path.mkdir(parents=True, exist_ok=True)
        # The trailing slashes copy the directory's contents; -a keeps modes (0600/0700) and times.
        run(["rsync", "-a", f"{self.path}/", f"{other.path}/"])

    def destroy(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class BucketStore:
    kind = "s3"

    def __init__(self, endpoint: str, bucket: str, access_key: str, secret_key: str, region: str) -> None:
        self.endpoint, self.bucket = endpoint, bucket
        self.access_key, self.secret_key, self.region = access_key, secret_key, region

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )

    def sibling(self, suffix: str) -> BucketStore:
        return BucketStore(
            self.endpoint, f"{self.bucket}-{suffix}", self.access_key, self.secret_key, self.region
        )

    def create(self) -> None:
        self.client().create_bucket(Bucket=self.bucket)

    def settings(self) -> dict[str, str]:
        return {
            "FRMR_STORAGE_BACKEND": "s3",
            "FRMR_S3_BUCKET": self.bucket,
            "FRMR_S3_ENDPOINT_URL": self.endpoint,
            "FRMR_S3_REGION": self.region,
            "FRMR_S3_ACCESS_KEY_ID": self.access_key,
            "FRMR_S3_SECRET_ACCESS_KEY": self.secret_key,
            "FRMR_S3_ADDRESSING_STYLE": "path",
        }

    def keys(self) -> Iterator[str]:
        for page in self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for item in page.get("Contents", []):
                yield item["Key"]

    def checksums(self) -> dict[str, str]:
        s3, found = self.client(), {}
        for key in sorted(self.keys()):
            digest = hashlib.sha256()
            for chunk in s3.get_object(Bucket=self.bucket, Key=key)["Body"].iter_chunks(1024 * 1024):
                digest.update(chunk)
            found[key] = digest.hexdigest()
        return found

    def copy_to(self, other: BucketStore) -> None:
        """Object by object, server-side, keeping the encryption (what `aws s3 sync` or `rclone sync` do)."""
        s3 = self.client()
        for key in self.keys():
            s3.copy_object(
                Bucket=other.bucket,
                Key=key,
                CopySource={"Bucket": self.bucket, "Key": key},
                ServerSideEncryption="AES256",
            )

    def destroy(self) -> None:
        s3 = self.client()
        for key in list(self.keys()):
            s3.delete_object(Bucket=self.bucket, Key=key)
        s3.delete_bucket(Bucket=self.bucket)


Store = DirectoryStore | BucketStore


# --- the source install ---------------------------------------------------------------------------------


def manage(env: dict[str, str], *argv: str) -> None:
    run([PYTHON, "manage.py", *argv], cwd=ROOT, env=env)


SEED_DOCUMENTS = """
import io, pikepdf
from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.documents.storage import document_store
from django.core.files.uploadedfile import SimpleUploadedFile

def pdf(pages, label):
    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page(page_size=(595, 842))
    document.docinfo["/Title"] = label
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

users = User.objects.filter(person__isnull=False).order_by("pk")[:{count}]
for index, user in enumerate(users):
    application = services.application_create_draft(actor=user, kind_code="3")
    for row, doc_type in enumerate(["passport", "snils"]):
        scan = pdf(index + row + 1, f"{{user.pk}}-{{doc_type}}")
        stored = document_store(file=SimpleUploadedFile(f"{{doc_type}}.pdf", scan))
        services.application_document_attach(
            application=application, actor=user, doc_type=doc_type, row=0,
            storage_name=stored.storage_name, original_name=stored.display_name,
            size=stored.size, sha256=stored.sha256, page_count=stored.pages,
        )
"""


def build_source(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_dictionaries")
    manage(env, "load_demo")
    manage(env, "shell", "-c", SEED_DOCUMENTS.format(count=WORKERS_WITH_DOCUMENTS))


# --- the drill ------------------------------------------------------------------------------------------


def differences(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    lines = []
    for key in sorted(expected.keys() | found.keys()):
        if expected.get(key) != found.get(key):
            lines.append(f"{key}: expected {expected.get(key)!r}, found {found.get(key)!r}")
    return lines


def drill(server: str, prefix: str, source_store: Store, work: Path) -> dict[str, Any]:
    source_db, restored_db = f"{prefix}_source", f"{prefix}_restored"
    report: dict[str, Any] = {"store": source_store.kind, "databases": [source_db, restored_db]}
    timings: dict[str, float] = {}
    env = {
        **os.environ,
        "DATABASE_URL": database_url(server, source_db),
        "FRMR_VAR_DIR": str(work / "var"),
        "FRMR_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **source_store.settings(),
    }
    env.pop("FRMR_DOCUMENT_STORAGE", None)

    started = time.monotonic()
    create_database(server, source_db)
    if isinstance(source_store, BucketStore):
        source_store.create()
    build_source(env)
    timings["build_source"] = time.monotonic() - started

    expected_rows = row_counts(database_url(server, source_db))
    expected_documents = source_store.checksums()
    manifest = {"rows": expected_rows, "documents": expected_documents}
    (work / "manifest.json").write_text(json.dumps(manifest, indent=1))
    report["tables"] = len(expected_rows)
    report["rows"] = sum(expected_rows.values())
    report["documents"] = len(expected_documents)

    # Back up.
    started = time.monotonic()
    dump = work / "backup" / "frmr.dump"
    dump.parent.mkdir(parents=True, exist_ok=True)
    run(
        ["pg_dump", *libpq_args(server), "--format=custom", "--no-owner", "--file", str(dump), source_db],
        env=libpq_env(server),
    )
    backup_store: Store
    if isinstance(source_store, BucketStore):
        backup_store = source_store.sibling("backup")
        backup_store.create()
    else:
        backup_store = DirectoryStore(work / "backup" / "documents")
    source_store.copy_to(backup_store)  # type: ignore[arg-type]
    timings["backup"] = time.monotonic() - started
    report["dump_bytes"] = dump.stat().st_size

    # Destroy the source.
    drop_database(server, source_db)
    source_store.destroy()

    # Restore into a new database and a new store.
    started = time.monotonic()
    create_database(server, restored_db)
    run(
        [
            "pg_restore",
            *libpq_args(server),
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            restored_db,
            str(dump),
        ],
        env=libpq_env(server),
    )
    restored_store: Store
    if isinstance(backup_store, BucketStore):
        restored_store = source_store.sibling("restored")  # type: ignore[union-attr]
        restored_store.create()
    else:
        restored_store = DirectoryStore(work / "restored-documents")
    backup_store.copy_to(restored_store)  # type: ignore[arg-type]
    timings["restore"] = time.monotonic() - started

    # Compare.
    restored_url = database_url(server, restored_db)
    found_rows = row_counts(restored_url)
    found_documents = restored_store.checksums()
    problems = differences(expected_rows, found_rows) + differences(expected_documents, found_documents)
    for name, digest in recorded_documents(restored_url).items():
        if found_documents.get(name) != digest:
            problems.append(
                f"{DOCUMENT_TABLE} row {name}: the restored file does not have the recorded SHA-256"
            )
    report["recorded_documents"] = len(recorded_documents(restored_url))
    report["problems"] = problems
    report["seconds"] = {key: round(value, 1) for key, value in timings.items()}
    where = restored_store.bucket if isinstance(restored_store, BucketStore) else str(restored_store.path)
    report["restored"] = {"database": restored_db, "store": where}
    report["_cleanup"] = (backup_store, restored_store)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--server", required=True, help="PostgreSQL server URL without a database name")
    parser.add_argument(
        "--prefix", required=True, help="names of the drill's databases: <prefix>_source, _restored"
    )
    parser.add_argument("--store", choices=["filesystem", "s3"], default="filesystem")
    parser.add_argument("--s3-endpoint", default="")
    parser.add_argument("--s3-access-key", default=os.environ.get("FRMR_S3_ACCESS_KEY_ID", "drill"))
    parser.add_argument("--s3-secret-key", default=os.environ.get("FRMR_S3_SECRET_ACCESS_KEY", "drill"))
    parser.add_argument("--s3-region", default="us-east-1")
    parser.add_argument(
        "--keep", action="store_true", help="keep the restored database, store and work directory"
    )
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="frmr-backup-drill-"))
    store: Store
    if args.store == "s3":
        if not args.s3_endpoint:
            parser.error("--store s3 needs --s3-endpoint")
        bucket = f"{args.prefix.replace('_', '-')}-{uuid.uuid4().hex[:8]}"
        store = BucketStore(args.s3_endpoint, bucket, args.s3_access_key, args.s3_secret_key, args.s3_region)
    else:
        store = DirectoryStore(work / "documents")
    try:
        report = drill(args.server, args.prefix, store, work)
    except BaseException:
        if not args.keep:  # leave nothing behind but the error
            drop_database(args.server, f"{args.prefix}_source")
            drop_database(args.server, f"{args.prefix}_restored")
            shutil.rmtree(work, ignore_errors=True)
        raise
    cleanup = report.pop("_cleanup")
    if not args.keep:
        drop_database(args.server, f"{args.prefix}_restored")
        for leftover in cleanup:
            leftover.destroy()
        shutil.rmtree(work, ignore_errors=True)
    else:
        report["work"] = str(work)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
