"""Sending a private document to a user whose right to it the caller's selector has checked."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from frmr.documents.storage import document_open


def serve_private_file(
    request: HttpRequest, *, storage_name: str, display_name: str, inline: bool
) -> FileResponse:
    """Stream a stored PDF from the file system or object storage (never through a storage URL).

    The caller must have found the document through a permission-scoped selector (and answer 404
    otherwise); this function adds only safe response headers.
    """
    try:
        handle, size = document_open(storage_name=storage_name)
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("Документ не найден.")) from exc
    response = FileResponse(handle, content_type="application/pdf")
    if size is not None and not response.has_header("Content-Length"):
        response["Content-Length"] = str(size)
    # RFC 6266 / 5987: an ASCII fallback and the UTF-8 name; the name was sanitized on upload.
    response["Content-Disposition"] = content_disposition_header(not inline, display_name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    # The file is user-supplied: should a browser ever render it as something else than a PDF, it
    # runs in a unique origin without access to the cabinet's cookies or pages.
    response["Content-Security-Policy"] = "sandbox" if inline else "default-src 'none'; sandbox"
    return response
