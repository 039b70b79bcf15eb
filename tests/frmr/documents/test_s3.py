"""Documents on S3-compatible storage (moto in server mode): private, encrypted, streamed both ways."""

from __future__ import annotations

import os
import tracemalloc
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http import Http404
from django.test import RequestFactory

from frmr.documents.responses import serve_private_file
from frmr.documents.s3 import PART_BYTES, PARTS_AT_ONCE
from frmr.documents.storage import document_delete, document_storage, document_store
from tests import pdfs
from tests.s3server import client as s3_client

MB = 1024 * 1024
PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def uploaded(data: bytes, name: str = "скан.pdf") -> TemporaryUploadedFile:
    """What the upload handler gives a view: the body already streamed to a temporary file."""
    file = TemporaryUploadedFile(name, "application/pdf", len(data), None)
    file.write(data)
    file.seek(0)
    return file


def test_a_document_is_a_private_object_encrypted_at_rest(s3_documents: str, s3_endpoint: str) -> None:
    data = pdfs.pdf_bytes(2)
    stored = document_store(file=uploaded(data), original_name="Паспорт.pdf")
    s3 = s3_client(s3_endpoint)
    head = s3.head_object(Bucket=s3_documents, Key=stored.storage_name)
    assert head["ServerSideEncryption"] == "AES256"
    assert s3.get_object(Bucket=s3_documents, Key=stored.storage_name)["Body"].read() == data
    grants = s3.get_object_acl(Bucket=s3_documents, Key=stored.storage_name)["Grants"]
    assert [
        grant["Grantee"].get("URI") for grant in grants if grant["Grantee"].get("URI") in PUBLIC_GROUPS
    ] == []
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only


def test_an_unsigned_request_for_a_document_is_refused(s3_documents: str, s3_endpoint: str) -> None:
    stored = document_store(file=uploaded(pdfs.pdf_bytes()))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_endpoint}/{s3_documents}/{stored.storage_name}", timeout=10)
    assert refused.value.code == 403


def test_the_storage_never_hands_out_a_url(s3_documents: str) -> None:
    stored = document_store(file=uploaded(pdfs.pdf_bytes()))
    with pytest.raises(NotImplementedError):
        document_storage().url(stored.storage_name)


def test_a_25_mb_scan_goes_up_in_parts_encrypted(s3_documents: str, s3_endpoint: str) -> None:
    stored = document_store(file=uploaded(pdfs.big_pdf_bytes(25 * MB - 64 * 1024)))
    head = s3_client(s3_endpoint).head_object(Bucket=s3_documents, Key=stored.storage_name)
    assert head["ContentLength"] == stored.size > 24 * MB
    assert head["ETag"].strip('"').endswith("-5")  # a multipart upload of five 5 MiB parts
    assert head["ServerSideEncryption"] == "AES256"


def test_the_memory_of_an_upload_does_not_grow_with_the_file(s3_documents: str, s3_endpoint: str) -> None:
    """60 MB through the storage: the process holds the parts in flight and the one being read."""
    storage = document_storage()
    storage.save("documents/warm-up.pdf", uploaded(b"%PDF-1.7"))  # boto3 loads its models (~11 MB) once
    file = TemporaryUploadedFile("big.bin", "application/octet-stream", 0, None)
    for _ in range(60):
        file.write(os.urandom(MB))
    file.seek(0)
    tracemalloc.start()
    try:
        name = storage.save("documents/big.bin", file)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert s3_client(s3_endpoint).head_object(Bucket=s3_documents, Key=name)["ContentLength"] == 60 * MB
    # Three 5 MiB parts and the SDK's buffers; holding the file would be 60 MB.
    assert peak < PART_BYTES * (PARTS_AT_ONCE + 1) + 8 * MB < 25 * MB, f"peak {peak / MB:.1f} MB"


def test_a_download_streams_the_object_with_its_length(
    s3_documents: str, rf: RequestFactory, db: None
) -> None:
    data = pdfs.big_pdf_bytes(3 * MB)
    stored = document_store(file=uploaded(data))
    response = serve_private_file(
        rf.get("/"), storage_name=stored.storage_name, display_name="a.pdf", inline=False
    )
    assert response.streaming
    assert response["Content-Length"] == str(len(data))
    assert response["Cache-Control"] == "private, no-store"
    chunks = list(response.streaming_content)  # type: ignore[arg-type]
    assert len(chunks) > 1 and b"".join(chunks) == data
    response.close()


def test_a_missing_object_is_a_404_and_deleting_it_twice_is_fine(
    s3_documents: str, rf: RequestFactory
) -> None:
    stored = document_store(file=uploaded(pdfs.pdf_bytes()))
    document_delete(storage_name=stored.storage_name)
    document_delete(storage_name=stored.storage_name)
    with pytest.raises(Http404):
        serve_private_file(rf.get("/"), storage_name=stored.storage_name, display_name="a.pdf", inline=True)


def test_the_filesystem_stays_the_default(settings: Any) -> None:
    stored = document_store(file=SimpleUploadedFile("a.pdf", pdfs.pdf_bytes()))
    assert (Path(settings.MEDIA_ROOT) / stored.storage_name).exists()


def test_readiness_writes_a_probe_to_the_bucket_and_fails_without_it(
    s3_documents: str, s3_endpoint: str, settings: Any, client: Any, db: None
) -> None:
    settings.FRMR_READYZ_CHECK_STORAGE = True
    ready = client.get("/readyz").json()
    assert ready["storage"] == {"status": "ok"}
    assert "Contents" not in s3_client(s3_endpoint).list_objects_v2(Bucket=s3_documents)  # probe removed
    options = {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": f"{s3_documents}-missing"}
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": options}}
    refused = client.get("/readyz")
    assert refused.status_code == 503 and refused.json()["storage"] == {"status": "unwritable"}
