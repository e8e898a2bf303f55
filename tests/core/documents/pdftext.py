"""Reading a rendered PDF back as a test would check it by eye."""

import io

from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    """All the text of the PDF, whitespace collapsed so phrases match across line breaks."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))
