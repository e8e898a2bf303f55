"""The Word documents, parsed back the way Word or LibreOffice would read them."""

import io

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import RGBColor

from core.documents.docx import render_docx
from core.documents.formatting import CONFIDENTIALITY_NOTICE
from tests.core.documents import contexts


def parse(data: bytes) -> WordDocument:
    return Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def progress_docx() -> WordDocument:
    return parse(render_docx(contexts.progress_report()))


def test_the_confidentiality_notice_is_red_bold_and_centred(progress_docx: WordDocument) -> None:
    notice = progress_docx.paragraphs[0]
    assert notice.text == CONFIDENTIALITY_NOTICE
    assert notice.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(run.bold for run in notice.runs)
    assert all(run.font.color.rgb == RGBColor(0xC0, 0x00, 0x00) for run in notice.runs)


def test_title_and_identity_block(progress_docx: WordDocument) -> None:
    title = progress_docx.paragraphs[1]
    assert (title.text, title.style.name) == ("Progress Report", "Title")
    lines = [p.text for p in progress_docx.paragraphs[2:7]]
    assert lines == [
        "Patient: Maria Okafor",
        "Date of birth: March 2, 1985",
        "Period: January 1, 2025 – March 31, 2025",
        "Prepared by: Dr. Jane Smith, LCSW 12345",
        "Generated: April 1, 2025 at 9:00 AM UTC",
    ]


def test_sections_use_word_heading_styles(progress_docx: WordDocument) -> None:
    headings = [p.text for p in progress_docx.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Patient Information", "Session Summary", "Treatment Goals & Progress"]


def test_goals_table_has_a_repeating_header_row(progress_docx: WordDocument) -> None:
    goals = progress_docx.tables[0]
    header = [cell.text for cell in goals.rows[0].cells]
    assert header == ["Goal", "Status", "Baseline", "Current", "Progress"]
    assert [cell.text for cell in goals.rows[1].cells] == [
        "Reduce panic attacks",
        "Active",
        "8/10",
        "5/10",
        "38%",
    ]
    assert [cell.text for cell in goals.rows[2].cells][3:] == ["Not recorded", "Not computable"]
    assert goals.rows[0]._tr.xpath("./w:trPr/w:tblHeader")


def test_session_summary_metrics(progress_docx: WordDocument) -> None:
    text = "\n".join(p.text for p in progress_docx.paragraphs)
    assert "Total sessions: 3" in text
    assert "Average duration: 52 min" in text


def test_page_numbers_header_and_properties(progress_docx: WordDocument) -> None:
    section = progress_docx.sections[0]
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer
    assert 'w:instr="NUMPAGES"' in footer
    header = section.header.paragraphs[0].text
    assert "Maria Okafor · DOB March 2, 1985" in header
    assert "Confidential — contains PHI" in header
    properties = progress_docx.core_properties
    assert properties.title == "Progress Report — Maria Okafor"
    assert properties.author == "Dr. Jane Smith"
    assert "confidential" in properties.subject


def test_include_sections_removes_sections() -> None:
    context = contexts.progress_report().with_sections({"treatment_goals": False})
    document = parse(render_docx(context))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Treatment Goals & Progress" not in text
    assert all(table.rows[0].cells[0].text != "Goal" for table in document.tables)


def test_every_export_type_renders() -> None:
    for context in contexts.all_contexts():
        document = parse(render_docx(context))
        assert document.paragraphs[0].text == CONFIDENTIALITY_NOTICE
        assert document.paragraphs[1].text == context.TITLE


def test_session_notes_show_notes_signatures_and_transcript_as_text() -> None:
    document = parse(render_docx(contexts.session_notes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "DRAFT — not reviewed" in text
    assert "Electronically signed by Dr. Jane Smith on January 6, 2025 at 6:05 PM UTC." in text
    assert "Patient: <script>alert('owned')</script>" in text


def test_treatment_summary_prints_not_recorded_for_missing_data() -> None:
    document = parse(render_docx(contexts.treatment_summary()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Diagnoses: Not recorded" in text
    assert "Prognosis: Not recorded" in text
    assert "Primary complaints: panic, work stress" in text
