"""Upload size limits enforced while the request body streams in.

Django's default handlers keep small files in memory and write big ones to a temporary file without
any size limit, so a 2 GB upload would fill the disk before a view could refuse it. The handler here
counts bytes as chunks arrive, writes to a temporary file only (never memory), and stops:

* the whole request before reading any of it when its declared Content-Length is beyond what the
  view can accept (files × limit + a margin for the other fields);
* one file just past the limit: the rest of that file is skipped (not written anywhere) and the
  field is recorded in `oversized`, so that the view can show «Файл больше 25 МБ» at its row while
  the other rows and typed fields of the same form are kept; on a single-file endpoint the upload is
  stopped at once and the rest of the body is not read at all.

It is installed per view by `limited_upload`, before anything reads request.POST / FILES.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import SkipFile, StopUpload, TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# Room for the multipart boundaries, the CSRF token, the row key and the typed fields of a form.
FIELDS_MARGIN = 256 * 1024


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Temporary-file upload handler with a per-file and a per-request byte limit."""

    def __init__(
        self,
        request: HttpRequest | None = None,
        *,
        max_file_bytes: int,
        max_request_bytes: int,
        stop_on_oversize: bool = False,
    ) -> None:
        super().__init__(request)
        self.max_file_bytes = max_file_bytes
        self.max_request_bytes = max_request_bytes
        self.stop_on_oversize = stop_on_oversize
        self.oversized: list[str] = []
        self.request_too_large = False
        self.file_bytes = 0
        self.received_bytes = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict[str, Any]] | None:
        if content_length > self.max_request_bytes:
            # Claiming the request as handled with empty data means the parser reads none of it.
            self.request_too_large = True
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        self.file_bytes = 0
        super().new_file(field_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.file_bytes += len(raw_data)
        self.received_bytes += len(raw_data)
        if self.received_bytes > self.max_request_bytes:
            self.request_too_large = True
            self._discard()
            raise StopUpload(connection_reset=True)
        if self.file_bytes > self.max_file_bytes:
            self.oversized.append(self.field_name)
            self._discard()
            if self.stop_on_oversize:
                raise StopUpload(connection_reset=True)
            raise SkipFile()
        return super().receive_data_chunk(raw_data, start)

    def _discard(self) -> None:
        # Closing the NamedTemporaryFile deletes it, so no partial file stays on disk.
        file = getattr(self, "file", None)
        if file is not None:
            file.close()


def upload_limit(request: HttpRequest) -> LimitedUploadHandler | None:
    return getattr(request, "upload_limit", None)


def limited_upload(
    *,
    max_files: int,
    too_large: Callable[..., HttpResponse],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate an upload view: install LimitedUploadHandler, then check CSRF as usual.

    Django checks CSRF by reading request.POST, which parses the body with the handlers present at
    that moment; so the view is exempted from the middleware's check, the handler is installed
    first and the check runs afterwards (the pattern of Django's upload-handler documentation).
    A request refused before parsing has no POST data and hence no CSRF token: `too_large` (called
    with the view's arguments) must only render a refusal, never change anything.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                max_file = settings.DOCUMENT_MAX_BYTES
                handler = LimitedUploadHandler(
                    request,
                    max_file_bytes=max_file,
                    max_request_bytes=max_file * max_files + FIELDS_MARGIN,
                    stop_on_oversize=max_files == 1,
                )
                request.upload_handlers.insert(0, handler)
                request.upload_limit = handler  # type: ignore[attr-defined]
                request.POST  # noqa: B018 - parse now, through the handler above
                if handler.request_too_large:
                    return too_large(request, *args, **kwargs)
            return protected(request, *args, **kwargs)

        return wrapper

    return decorator
