"""Clinical documents: session notes, progress reports, treatment summaries, full records.

gather.py     PostgreSQL → context (context.py), a fixed number of queries per document
service.py    render_document(context, fmt) → bytes: PDF, DOCX, JSON or CSV
pdf.py        Jinja2 (templating.py, templates/exports/) → WeasyPrint, run in pool.py
docx.py, jsonexport.py, csvexport.py, charts.py (inline SVG), volumes.py (long records)
templates.py  users' custom templates: validated on save, rendered in a sandbox
fetcher.py    the only resources a render may load: files under templates/exports/assets/
"""
