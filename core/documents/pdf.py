"""HTML to PDF with WeasyPrint, loading nothing but the bundled assets.

These functions are synchronous and CPU-bound: the service runs them in the render pool
(`pool.py`), never on the event loop.
"""

from __future__ import annotations

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from core.documents.context import DocumentContext
from core.documents.fetcher import AssetOnlyFetcher
from core.documents.paths import ASSET_BASE_URL
from core.documents.templating import render_html
from core.documents.volumes import Volume
from core.enums import PdfVariant


def html_to_pdf(
    html: str,
    *,
    custom_css: str | None = None,
    variant: PdfVariant = PdfVariant.standard,
    font_config: FontConfiguration | None = None,
    fetcher: AssetOnlyFetcher | None = None,
) -> bytes:
    fetcher = fetcher or AssetOnlyFetcher()
    font_config = font_config or FontConfiguration()
    stylesheets = []
    if custom_css:
        # Applied after the template's own styles; its url()s go through the same fetcher.
        stylesheets.append(
            CSS(
                string=custom_css,
                base_url=ASSET_BASE_URL,
                url_fetcher=fetcher,
                font_config=font_config,
            )
        )
    document = HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=fetcher)
    options = {} if variant is PdfVariant.standard else {"pdf_variant": variant.value}
    pdf = document.write_pdf(stylesheets=stylesheets, font_config=font_config, **options)
    assert isinstance(pdf, bytes)  # write_pdf returns the bytes when given no target
    return pdf


def render_pdf(
    context: DocumentContext,
    *,
    custom_template: str | None = None,
    custom_css: str | None = None,
    variant: PdfVariant = PdfVariant.standard,
    font_config: FontConfiguration | None = None,
    volume: Volume | None = None,
) -> bytes:
    html = render_html(context, custom_template, volume=volume)
    return html_to_pdf(html, custom_css=custom_css, variant=variant, font_config=font_config)
