"""A minimal upload endpoint on top of frmr.documents, to test the streaming limit through Django."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.urls import path

from frmr.documents.pdf import too_large_message
from frmr.documents.storage import document_store
from frmr.documents.uploads import limited_upload, upload_limit


def refuse(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"error": too_large_message()}, status=413)


def receive(request: HttpRequest, many: bool) -> JsonResponse:
    handler = upload_limit(request)
    assert handler is not None
    result: dict[str, object] = {"post": dict(request.POST.items()), "oversized": handler.oversized}
    for field, file in request.FILES.items():
        try:
            stored = document_store(file=file)
        except ValidationError as error:
            result[field] = {"error": error.messages[0]}
        else:
            result[field] = {"name": stored.storage_name, "shown": stored.display_name}
    return JsonResponse(result)


@limited_upload(max_files=1, too_large=refuse)
def single(request: HttpRequest) -> JsonResponse:
    return receive(request, many=False)


@limited_upload(max_files=5, too_large=refuse)
def several(request: HttpRequest) -> JsonResponse:
    return receive(request, many=True)


urlpatterns = [path("single/", single), path("several/", several)]
