"""The charter as a readable document for onboarding new staff: HTML and PDF, German or English."""

import base64
import hashlib

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from eyelevel.core.errors import InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.relationships import services
from eyelevel.relationships.schemas import CharterOut, CharterVersionOut

LANGUAGES = ("en", "de")
DOCUMENT_CSS = """
  body { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.45; max-width: 48rem; margin: 2rem auto; color: #1d2733; }
  h1 { font-size: 20pt; margin-bottom: .2rem; } h2 { font-size: 15pt; border-bottom: 1px solid #ccd; margin-top: 2rem; }
  h3 { font-size: 12.5pt; margin-bottom: .3rem; } h4 { font-size: 11pt; margin: .8rem 0 .2rem; }
  .meta { color: #556; } dt { font-weight: bold; } dd { margin: 0 0 .5rem 0; }
  .touchpoint { border-left: 3px solid #2b6cb0; padding-left: .8rem; margin: 1rem 0; page-break-inside: avoid; }
  @page { size: A4; margin: 2cm; }
"""
# The document carries its own style (it is downloaded and read offline); CSP allows exactly this one.
STYLE_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(DOCUMENT_CSS.encode()).digest()).decode() + "'"


def _document_context(charter: CharterOut) -> dict:
    values = {v.id: v.name for v in charter.values}
    segments = {s.id: s.name for s in charter.segments}
    stages = []
    for stage in charter.stages:
        touchpoints = []
        for t in stage.touchpoints:
            touchpoints.append({
                "touchpoint": t,
                "channels": [services.channel_label(c) for c in t.channels],
                "values": [values.get(i, "?") for i in t.value_ids],
                "segments": [segments.get(i, "?") for i in t.segment_ids],
                "expectations": [{"dimension": services.dimension_label(e.dimension), "statement": e.statement}
                                 for e in t.expectations],
            })
        stages.append({"stage": stage, "touchpoints": touchpoints})
    segment_rows = [{"segment": s, "type": services.relationship_type_label(s.relationship_type)}
                    for s in charter.segments]
    return {"charter": charter, "stages": stages, "segments": segment_rows}


def charter_document(*, organisation: Organisation, charter_version_id: int | None, language: str) -> tuple[str, str]:
    """The charter (a published version, else the latest, else the draft) as HTML; returns (html, filename stem)."""
    if language not in LANGUAGES:
        raise InvalidInput(_("language must be one of %(languages)s") % {"languages": ", ".join(LANGUAGES)}, field="lang")
    version: CharterVersionOut | None
    if charter_version_id is not None:
        detail = services.get_version(organisation=organisation, charter_version_id=charter_version_id)
        charter, version = detail.charter, detail
    else:
        versions = services.list_versions(organisation=organisation)
        if versions:
            detail = services.get_version(organisation=organisation, charter_version_id=versions[0].id)
            charter, version = detail.charter, detail
        else:
            charter, version = services.get_charter(organisation=organisation), None
    with translation.override(language):
        context = _document_context(charter)
        context.update({"organisation_name": organisation.name, "version": version, "language": language,
                        "css": DOCUMENT_CSS})
        html = render_to_string("relationships/document.html", context)
    stem = f"charter-{organisation.slug}-{f'v{version.number}' if version else 'draft'}-{language}"
    return html, stem


def charter_pdf(html: str) -> bytes:
    """The charter document rendered to PDF."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
