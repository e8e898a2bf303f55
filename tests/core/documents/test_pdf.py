"""The PDFs, read back: the right names, dates, goals and numbers, and nothing executable."""

import pytest

from core.documents.pdf import render_pdf
from core.enums import PdfVariant
from tests.core.documents import contexts
from tests.core.documents.pdftext import pdf_reader, pdf_text


@pytest.fixture(scope="module")
def progress_pdf() -> bytes:
    return render_pdf(contexts.progress_report())


@pytest.fixture(scope="module")
def notes_pdf() -> bytes:
    return render_pdf(contexts.session_notes())


def test_progress_report_holds_the_record(progress_pdf: bytes) -> None:
    text = pdf_text(progress_pdf)
    for expected in (
        "CONFIDENTIAL — This document contains protected health information",
        "Progress Report",
        "Maria Okafor",
        "Maria Okafor · DOB March 2, 1985",  # the running header
        "Confidential — contains PHI",
        "January 1, 2025 – March 31, 2025",
        "Dr. Jane Smith, LCSW 12345",
        "Reduce panic attacks",
        "8/10",
        "5/10",
        "38%",  # (8 - 5) / 8
        "Not computable",
        "52 min",  # average of 51, 52 and 53 minutes
        "PHQ-9",
        "Moderate",
        "Self-harm",
        "Follow up 3",  # recommendations come from the latest session
        "Page 1 of",
    ):
        assert expected in text, expected


def test_topics_are_counted_per_session_and_case_insensitively(progress_pdf: bytes) -> None:
    text = pdf_text(progress_pdf)
    assert "panic 3" in text
    assert "work stress 1" in text


def test_missing_values_print_not_recorded(progress_pdf: bytes) -> None:
    text = pdf_text(progress_pdf)
    assert "Phone Not recorded" in text
    assert "Unresolved concerns Not recorded" in text


def test_metadata_names_the_document(progress_pdf: bytes) -> None:
    metadata = pdf_reader(progress_pdf).metadata
    assert metadata is not None
    assert metadata.title == "Progress Report — Maria Okafor"
    assert metadata.author == "Dr. Jane Smith"
    assert metadata.subject == "Progress Report — confidential clinical document (PHI)"


def test_charts_are_inline_svg_with_the_mood_levels(progress_pdf: bytes) -> None:
    text = pdf_text(progress_pdf)
    assert "Mood Across Sessions" in text
    assert "Very positive" in text  # an axis label drawn by the SVG


def test_include_sections_removes_sections() -> None:
    context = contexts.progress_report().with_sections(
        {"treatment_goals": False, "mood_chart": False, "patient_info": False}
    )
    text = pdf_text(render_pdf(context))
    assert "Treatment Goals" not in text
    assert "Reduce panic attacks" not in text
    assert "Mood Across Sessions" not in text
    assert "Patient Information" not in text
    assert "Key Topics" in text


def test_script_in_a_transcript_is_printed_as_text(notes_pdf: bytes) -> None:
    text = pdf_text(notes_pdf)
    assert "<script>alert('owned')</script>" in text
    assert '<img src="file:///etc/passwd">' in text


def test_draft_notes_are_marked_and_signed_notes_carry_the_signature(notes_pdf: bytes) -> None:
    text = pdf_text(notes_pdf)
    assert "DRAFT — not reviewed" in text
    assert "Electronically signed by Dr. Jane Smith on January 6, 2025 at 6:05 PM UTC" in text
    assert "SHA-256 " + "ab" * 32 in text
    assert "Clinician signature — Dr. Jane Smith, LCSW 12345" in text


def test_every_export_type_renders_its_title() -> None:
    for context in contexts.all_contexts():
        text = pdf_text(render_pdf(context))
        assert context.TITLE in text
        assert "Maria Okafor" in text


def test_treatment_data_the_database_lacks_prints_not_recorded() -> None:
    text = pdf_text(render_pdf(contexts.treatment_summary()))
    for label in ("Treatment type", "Diagnoses", "Current status", "Prognosis"):
        assert f"{label} Not recorded" in text
    assert "Primary complaints panic, work stress" in text
    assert "Duration 1.8 months" in text  # 56 days


def test_archival_and_accessible_variants() -> None:
    context = contexts.progress_report()
    archival = pdf_reader(render_pdf(context, variant=PdfVariant.pdfa))
    assert "/OutputIntents" in archival.trailer["/Root"]
    assert b"pdfaid" in archival.trailer["/Root"]["/Metadata"].get_object().get_data()
    accessible = pdf_reader(render_pdf(context, variant=PdfVariant.pdfua))
    assert "/StructTreeRoot" in accessible.trailer["/Root"]
    assert accessible.trailer["/Root"]["/MarkInfo"]["/Marked"]


def test_custom_css_is_applied_after_the_template_styles() -> None:
    context = contexts.progress_report()
    hidden = render_pdf(context, custom_css=".session-list { display: none }")
    assert "Sessions Date Duration" not in pdf_text(hidden)
