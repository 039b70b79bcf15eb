"""Documents on S3-compatible object storage (django-storages' S3 backend with the register's rules).

Selected by FRMR_STORAGE_BACKEND=s3 (config/settings.py reads the FRMR_S3_* options); docs/uploads.md
and docs/decisions/0004-documents-on-object-storage.md explain the choices:

* objects are private: no ACL is sent, so the bucket's own (private) policy applies, and the storage
  never builds a URL — a document reaches a browser only through a permission-checked view;
* server-side encryption is asked for on every write (`ServerSideEncryption` in the object
  parameters) where the storage offers it;
* uploads go from the temporary upload file to the storage in parts of a fixed size, a bounded number
  at a time, so a process holds a few parts of a file (15 MiB), whatever its size;
* downloads stream the object's body in chunks (`open_stream`): django-storages' own `open` first
  copies the whole object into a spooled temporary file, in memory by default.
"""

from __future__ import annotations

from typing import IO, Any, NoReturn

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

MB = 1024 * 1024
# S3's smallest multipart part is 5 MiB: a 25 MB scan goes up in five parts, two at a time.
PART_BYTES = 5 * MB
PARTS_AT_ONCE = 2


def bounded_transfer() -> TransferConfig:
    config = TransferConfig(
        multipart_threshold=PART_BYTES, multipart_chunksize=PART_BYTES, max_concurrency=PARTS_AT_ONCE
    )
    # boto3 reads each part of a file object into memory before sending it and by default keeps up to
    # ten such parts; with this bound a process holds PARTS_AT_ONCE parts in flight plus the one being
    # read: 15 MiB per upload, whatever the file's size.
    config.max_in_memory_upload_chunks = PARTS_AT_ONCE
    return config


class DocumentS3Storage(S3Storage):
    def __init__(self, **settings: Any) -> None:
        settings.setdefault("default_acl", None)
        settings.setdefault("file_overwrite", True)  # names are fresh UUIDs: no HEAD before each write
        settings.setdefault("transfer_config", bounded_transfer())
        super().__init__(**settings)

    def key(self, name: str) -> str:
        return str(self._normalize_name(clean_name(name)))

    def open_stream(self, name: str) -> tuple[IO[bytes], int]:
        """The object's body as a readable stream (read as it is sent) and its length in bytes."""
        try:
            answer = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=self.key(name))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(name) from exc
            raise
        return answer["Body"], int(answer["ContentLength"])

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> NoReturn:
        # A URL would bypass the permission check of the download view (decision 0004).
        raise NotImplementedError("Documents have no URL: send them through a permission-checked view.")
