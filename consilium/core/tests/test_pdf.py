"""The PDF kit: the shared base template, the response and an offline renderer."""

import io
import socket

import pytest
from django.template import engines
from django.utils import translation
from pypdf import PdfReader

from consilium.core import pdf
from consilium.core.pdf import (
    OFFLINE_BASE_URL,
    RefusedURL,
    local_fetcher,
    pdf_response,
    render_pdf,
)


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_the_base_template_carries_the_brand_the_title_and_page_numbers(monkeypatch) -> None:
    template = engines["django"].from_string(
        '{% extends "core/pdf/base.html" %}'
        "{% block running_title %}Running title{% endblock %}"
        "{% block content %}<h1>Қазақстан</h1><p style='break-before: page'>Two</p>{% endblock %}"
    )
    with translation.override("kk"):
        html = template.render({})
    assert '<html lang="kk">' in html
    assert "@page" in html  # The shared print stylesheet is inlined.
    assert ".badge" not in html  # Partnership badges stay in partnerships' own stylesheet.
    monkeypatch.setattr(pdf, "render_to_string", lambda *a, **k: html)
    text = _text(render_pdf("unused.html", {}))
    for expected in ("Consilium", "Қазақстан", "Running title", "1 / 2", "2 / 2"):
        assert expected in text, expected


def test_pdf_response_is_inline_or_an_attachment() -> None:
    inline = pdf_response(b"%PDF-1.7", "report.pdf")
    assert inline["Content-Type"] == "application/pdf"
    assert inline["Content-Disposition"] == 'inline; filename="report.pdf"'
    assert inline["Content-Length"] == "8"
    saved = pdf_response(b"%PDF-1.7", "Отчёт.pdf", inline=False)
    assert saved["Content-Disposition"].startswith("attachment; filename*=utf-8''")


def test_the_renderer_never_leaves_the_machine(monkeypatch) -> None:
    fetcher = local_fetcher(OFFLINE_BASE_URL)
    for url in (
        "https://example.org/logo.png",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        f"{OFFLINE_BASE_URL}static/../../settings.py",
        f"{OFFLINE_BASE_URL}media/agreements/secret.pdf",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"
    # The site's own static files are read from disk, not fetched from the web server.
    favicon = fetcher.fetch(f"{OFFLINE_BASE_URL}static/consilium/favicon.svg")
    assert favicon.content_type == "image/svg+xml"
    assert favicon.read().lstrip().startswith(b"<")

    def no_network(*args, **kwargs):
        raise AssertionError("the renderer tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    html = (
        '<img src="https://example.org/logo.png">'
        '<link rel="stylesheet" href="http://example.org/x.css">'
        "<p>Offline</p>"
    )
    template = engines["django"].from_string(html)
    monkeypatch.setattr(pdf, "render_to_string", lambda *a, **k: template.render({}))
    assert "Offline" in _text(render_pdf("unused.html", {}))
