"""PDF documents rendered from Django templates with WeasyPrint, never touching the network.

``render_pdf(template, context, request)`` renders a template to PDF bytes in the active
language; ``pdf_response(data, filename)`` wraps them for the browser. Templates extend
``core/pdf/base.html`` (A4, the "Consilium" header, page numbers, the shared print stylesheet
``core/pdf/print.css``) and fill its blocks (``title``, ``style``, ``running_title``,
``content``); partnerships (agreements, programme reports) and certificates use it.

Resources are fetched by ``LocalFetcher``: ``data:`` URIs and the site's own static files (read
from disk, whatever host the request came in on) are allowed; every other URL, ``file:``
included, is refused, so a rendering cannot reach the network or read arbitrary files. Fonts come
from the system through fontconfig: the stylesheet asks for DejaVu Sans, which covers Latin,
Cyrillic and the Kazakh letters (Debian package ``fonts-dejavu-core``).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.http import content_disposition_header

if TYPE_CHECKING:
    from django.http import HttpRequest

# The origin used when there is no request (e.g. a document rendered by a background task).
OFFLINE_BASE_URL = "https://consilium.invalid/"


class RefusedURL(ValueError):
    """A resource outside the site's own static files; WeasyPrint skips it with a warning."""


def static_file(url: str, base_url: str) -> Path | None:
    """The file on disk behind one of the site's static URLs, or None if it is not one."""
    static_root = urljoin(base_url, settings.STATIC_URL)
    if not url.startswith(static_root):
        return None
    name = unquote(urlsplit(url[len(static_root) :]).path)
    parts = name.split("/")
    if not name or "" in parts or ".." in parts or "\\" in name:
        return None  # A folder, an absolute path or one that climbs out (../).
    candidates: list[str] = []
    try:
        if settings.STATIC_ROOT:
            candidates.append(safe_join(str(settings.STATIC_ROOT), name))
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    if isinstance(found, str):
        candidates.append(found)
    for candidate in candidates:
        path = Path(candidate)
        if path.is_file():
            return path
    return None


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        """Serves ``data:`` URIs and the site's static files; refuses everything else."""

        def __init__(self, base_url: str) -> None:
            super().__init__(allowed_protocols=("data",), allow_redirects=False)
            self.base_url = base_url

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file(url, self.base_url)
            if path is None:
                raise RefusedURL(f"Only the site's own static files are fetched, not {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return LocalFetcher


def local_fetcher(base_url: str) -> Any:
    """A WeasyPrint URL fetcher that never leaves the machine (see the module docstring)."""
    return _fetcher_class()(base_url)


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """Render ``template`` with ``context`` to PDF bytes, in the active language."""
    from weasyprint import HTML  # Imported here: it is slow to import and only needed here.

    html = render_to_string(template, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else OFFLINE_BASE_URL
    document = HTML(string=html, base_url=base_url, url_fetcher=local_fetcher(base_url))
    return bytes(document.write_pdf())


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """PDF bytes as a response the browser shows (inline) or saves (attachment)."""
    response = HttpResponse(data, content_type="application/pdf")
    disposition = content_disposition_header(not inline, filename)
    if disposition:
        response["Content-Disposition"] = disposition
    response["Content-Length"] = str(len(data))
    return response
