"""File downloads: stored uploads for those a rule lets have them, and documents made on request.

Both are sent as attachments. The URL carries only the object's id; the rule decides who gets
the file (anonymous visitors are sent to log in, others without the right get 403).
"""

from django.http import FileResponse, Http404, HttpResponse

from .permissions import deny


def protected_file(request, obj, *, rule, file, filename: str, content_type: str = "application/pdf"):
    """The stored `file` of `obj`, for a user `rule(user, obj)` allows (404 when there is none)."""
    if not rule(request.user, obj):
        return deny(request)
    if not file:
        raise Http404
    return FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)


def attachment_response(content, *, filename: str, content_type: str = "application/pdf", inline: bool = False) -> HttpResponse:
    """Content made on request (a PDF, a workbook, a calendar file), to save as `filename`
    (`inline`: to show in the browser, which may still save it)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response
