"""Uploaded files are never served from the media folder: each download goes through a view that authorises it
and answers with `attachment_response`, which never lets a browser render or sniff the file."""

from pathlib import PurePath

from django.http import FileResponse, Http404

# Types a browser does not execute; anything else (HTML, SVG, scripts, unknown) is sent as opaque bytes.
SAFE_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}


def safe_content_type(name: str) -> str:
    return SAFE_TYPES.get(PurePath(name).suffix.lower(), "application/octet-stream")


def attachment_response(field_file, filename: str | None = None) -> FileResponse:
    """Stream a stored file as a download: safe content type, `Content-Disposition: attachment`, nosniff and a
    sandboxing content security policy."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404
    name = filename or PurePath(field_file.name).name
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=safe_content_type(name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


__all__ = ["attachment_response", "safe_content_type"]
