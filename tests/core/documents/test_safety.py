"""Hostile templates and data: nothing is fetched, nothing escapes the sandbox."""

import socket
import threading
from collections.abc import Iterator

import pytest

from core.documents.fetcher import AssetOnlyFetcher
from core.documents.paths import ASSET_DIR, TEMPLATE_DIR
from core.documents.pdf import html_to_pdf
from core.documents.templating import TemplateRenderError, render_html
from tests.core.documents import contexts
from tests.core.documents.pdftext import pdf_reader, pdf_text


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A local TCP server that records every connection made to it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    connections: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            with client:
                connections.append(client.recv(1024))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", connections
    stop.set()
    thread.join()
    server.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///dev/urandom",
        "http://127.0.0.1:6379/",
        "https://169.254.169.254/latest/meta-data/",
        "data:text/css,body{}",
        (ASSET_DIR / ".." / "base.html").as_uri(),  # climbs out of the assets folder
        "file://otherhost" + str(ASSET_DIR / "document.css"),
    ],
)
def test_fetcher_refuses_anything_but_a_bundled_asset(url: str) -> None:
    assert AssetOnlyFetcher().asset_path(url) is None


def test_fetcher_serves_bundled_assets() -> None:
    response = AssetOnlyFetcher().fetch((ASSET_DIR / "document.css").as_uri())
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_a_hostile_template_fetches_nothing(listener: tuple[str, list[bytes]]) -> None:
    base, connections = listener
    html = f"""<html><head>
      <link rel="stylesheet" href="{base}/style.css">
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <link rel="attachment" href="{base}/attachment">
      <style>@import url("{base}/import.css"); body {{ background: url({base}/bg.png) }}</style>
    </head><body>
      <p>Visible text</p>
      <img src="file:///etc/passwd"><img src="http://127.0.0.1:6379/">
      <a rel="attachment" href="file:///etc/hostname">hostname</a>
      <object data="{base}/object"></object><iframe src="{base}/frame"></iframe>
    </body></html>"""
    fetcher = AssetOnlyFetcher()
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert connections == []
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://127.0.0.1:6379/" in fetcher.refused
    assert f"{base}/attachment" in fetcher.refused
    assert pdf_reader(pdf).attachments == {}
    assert "Visible text" in pdf_text(pdf)


def test_custom_css_fetches_nothing(listener: tuple[str, list[bytes]]) -> None:
    base, connections = listener
    fetcher = AssetOnlyFetcher()
    css = f"@import url({base}/x.css); @font-face {{ font-family: X; src: url({base}/f.ttf) }}"
    html_to_pdf("<p>text</p>", custom_css=css, fetcher=fetcher)
    assert connections == []
    assert f"{base}/x.css" in fetcher.refused


def test_urls_in_the_data_stay_text(listener: tuple[str, list[bytes]]) -> None:
    _, connections = listener
    context = contexts.session_notes()
    html = render_html(context)
    assert "<img src=" not in html  # escaped, so never an element
    fetcher = AssetOnlyFetcher()
    html_to_pdf(html, fetcher=fetcher)
    assert connections == []
    assert fetcher.refused == []  # the system templates load only bundled assets


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__ }}",
        "{{ ''|attr('__class__') }}",
        "{{ patient.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ document.title.format.__globals__ }}",
    ],
)
def test_sandbox_escapes_fail_with_a_clear_error(source: str) -> None:
    with pytest.raises(TemplateRenderError, match=r"^line 1: not allowed in a template: "):
        render_html(contexts.progress_report(), source)


def test_the_error_names_the_line() -> None:
    source = "<p>{{ patient.full_name }}</p>\n<p>\n{{ patient.no_such_field }}</p>"
    with pytest.raises(TemplateRenderError, match=r"^line 3: "):
        render_html(contexts.progress_report(), source)


def test_python_errors_in_a_custom_template_are_reported_with_the_line() -> None:
    with pytest.raises(TemplateRenderError, match=r"^line 2: ZeroDivisionError"):
        render_html(contexts.progress_report(), "<p>\n{{ 1 / 0 }}</p>")
    with pytest.raises(TemplateRenderError, match=r"^line 1: unexpected"):
        render_html(contexts.progress_report(), "{{ patient.full_name }")


def test_a_custom_template_can_extend_the_system_layout() -> None:
    source = (
        '{% extends "base.html" %}'
        "{% block content %}<p>Custom page for {{ patient.full_name }}</p>{% endblock %}"
    )
    html = render_html(contexts.progress_report(), source)
    assert "Custom page for Maria Okafor" in html
    assert "CONFIDENTIAL —" in html


def test_templates_live_where_the_renderer_looks() -> None:
    assert (TEMPLATE_DIR / "base.html").is_file()
    assert (ASSET_DIR / "document.css").is_file()
