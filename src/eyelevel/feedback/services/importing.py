"""Imports: CSV and JSON lines (all or nothing, or good rows plus a reject file), and email (.eml, mbox).

Re-importing a file creates no duplicates: each row is keyed by its `id` column, or by a hash of its text and
time, and an email by its Message-ID.
"""

import csv
import email
import email.policy
import hashlib
import html
import io
import json
import mailbox
import re
import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from eyelevel.core.errors import InvalidInput
from eyelevel.core.jobs import queue_upload, run_upload
from eyelevel.core.models import Organisation
from eyelevel.feedback.models import Channel, FeedbackItem, ImportJob
from eyelevel.feedback.schemas import FeedbackIn, ImportErrorOut, ImportJobOut, ImportResult
from eyelevel.feedback.services import intake

Progress = Callable[[int, int], None]
CHUNK = 256
TEXT_COLUMNS = ("text", "feedback", "comment", "message")


def _rows(filename: str, payload: bytes) -> tuple[list[tuple[int, dict, str]], str]:
    """(row number, fields, raw line) per data row, and the kind ('csv' or 'jsonl')."""
    try:
        content = payload.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(_("the file is not UTF-8 (byte %(byte)s)") % {"byte": error.start}, field="file") from None
    if filename.lower().endswith((".jsonl", ".ndjson", ".json")):
        rows = []
        for number, line in enumerate(content.splitlines(), start=1):
            if line.strip():
                try:
                    fields = json.loads(line)
                except json.JSONDecodeError as error:
                    fields = {"__error__": _("not valid JSON (%(reason)s)") % {"reason": error.msg}}
                if not isinstance(fields, dict):
                    fields = {"__error__": _("each line must be a JSON object")}
                rows.append((number, fields, line))
        return rows, "jsonl"
    dialect = "excel-tab" if filename.lower().endswith(".tsv") else "excel"
    lines = content.splitlines(keepends=True)
    reader = csv.DictReader(io.StringIO(content), dialect=dialect)
    if not reader.fieldnames or not any(name in reader.fieldnames for name in TEXT_COLUMNS):
        raise InvalidInput(_("the header needs a text column (%(columns)s)") % {"columns": ", ".join(TEXT_COLUMNS)},
                           field="header")
    rows = []
    for fields in reader:
        number = reader.line_num
        rows.append((number, {k: v for k, v in fields.items() if k is not None}, lines[number - 1] if number <= len(lines) else ""))
    return rows, "csv"


def _parse_time(value: str) -> datetime | None:
    parsed = parse_datetime(value.strip())
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _validate(number: int, fields: dict, customers_by_ref: dict[str, int],
              customers_by_email: dict[str, int]) -> tuple[FeedbackIn | None, list[ImportErrorOut]]:
    errors: list[ImportErrorOut] = []
    if "__error__" in fields:
        return None, [ImportErrorOut(row=number, field="line", message=fields["__error__"])]
    text = next((str(fields[name]) for name in TEXT_COLUMNS if fields.get(name)), "").strip()
    if not text:
        errors.append(ImportErrorOut(row=number, field="text", message=_("the feedback text is empty")))
    elif len(text) > 20000:
        errors.append(ImportErrorOut(row=number, field="text", message=_("longer than 20,000 characters")))
    received_at = None
    if str(fields.get("received_at") or "").strip():
        received_at = _parse_time(str(fields["received_at"]))
        if received_at is None:
            errors.append(ImportErrorOut(row=number, field="received_at",
                                         message=_("%(value)s is not a date and time (ISO 8601)") % {
                                             "value": repr(fields["received_at"])}))
    customer_id = None
    reference = str(fields.get("customer_ref") or "").strip()
    address = str(fields.get("customer_email") or "").strip().lower()
    if reference:
        customer_id = customers_by_ref.get(reference)
        if customer_id is None:
            errors.append(ImportErrorOut(row=number, field="customer_ref", message=_("no customer %(reference)s") % {
                "reference": repr(reference)}))
    elif address:
        customer_id = customers_by_email.get(address)
    touchpoint_id = None
    if str(fields.get("touchpoint_id") or "").strip():
        try:
            touchpoint_id = int(fields["touchpoint_id"])
        except (TypeError, ValueError):
            errors.append(ImportErrorOut(row=number, field="touchpoint_id", message=_("not a number")))
    if errors:
        return None, errors
    row_id = str(fields.get("id") or "").strip()
    ref = row_id[:200] if row_id else "sha:" + hashlib.sha256(
        f"{text}\x00{received_at.isoformat() if received_at else ''}".encode()).hexdigest()[:40]
    data = FeedbackIn(text=text, channel=Channel.IMPORT, customer_id=customer_id, touchpoint_id=touchpoint_id,
                      order_ref=str(fields.get("order_ref") or "")[:200], external_ref=ref,
                      received_at=received_at)
    return data, []


def _customer_ids(organisation: Organisation, *, refs: Iterable[str] = (),
                  emails: Iterable[str] = ()) -> tuple[dict[str, int], dict[str, int]]:
    """The customers behind the file's references and addresses, looked up together rather than row by row."""
    from eyelevel.customers import services as customers

    refs, emails = {r for r in refs if r}, {e for e in emails if e}
    return (customers.customer_ids_by_reference(organisation=organisation, external_refs=refs) if refs else {},
            customers.customer_ids_by_email(organisation=organisation, emails=emails) if emails else {})


def _valid_touchpoints(organisation: Organisation) -> set[int]:
    from eyelevel.relationships import services as relationships

    return {t.id for t in relationships.list_touchpoints(organisation=organisation)}


def import_file(*, organisation: Organisation, filename: str, payload: bytes, skip_bad_rows: bool = False,
                classify: bool = True, progress: Progress | None = None) -> ImportResult:
    """Import CSV/TSV or JSON lines; with bad rows nothing is imported unless skip_bad_rows (then they are rejected)."""
    rows, kind = _rows(filename, payload)
    total = len(rows)
    report = progress or (lambda _done, _total: None)
    good: list[FeedbackIn] = []
    errors: list[ImportErrorOut] = []
    rejected_lines: list[str] = []
    customers_by_ref, customers_by_email = _customer_ids(
        organisation, refs=(str(fields.get("customer_ref") or "").strip() for _n, fields, _r in rows),
        emails=(str(fields.get("customer_email") or "").strip().lower() for _n, fields, _r in rows))
    touchpoints = _valid_touchpoints(organisation)
    for number, fields, raw in rows:
        data, row_errors = _validate(number, fields, customers_by_ref, customers_by_email)
        if data is not None and data.touchpoint_id is not None and data.touchpoint_id not in touchpoints:
            data, row_errors = None, [ImportErrorOut(row=number, field="touchpoint_id", message=_("unknown touchpoint"))]
        if row_errors:
            errors += row_errors
            rejected_lines.append(raw.rstrip("\r\n"))
        else:
            good.append(data)  # type: ignore[arg-type]
    if errors and not skip_bad_rows:
        return ImportResult(rows=total, created=0, duplicates=0, rejected=len(rejected_lines), errors=errors)
    header = ""
    if kind == "csv" and rejected_lines:
        header = payload.decode("utf-8-sig").splitlines()[0] + "\n"
    reject_text = header + "\n".join(rejected_lines) + ("\n" if rejected_lines else "")
    # skip what is held already before the slow part, then classify in chunks outside the write transaction
    held = intake.existing_refs(organisation, Channel.IMPORT, [d.external_ref for d in good])
    seen: set[str] = set()
    fresh = []
    for data in good:
        if data.external_ref in held or data.external_ref in seen:
            continue
        seen.add(data.external_ref)
        fresh.append(data)
    items = [intake.build_item(organisation, data) for data in fresh]
    done = total - len(items)
    report(done, total)
    for start in range(0, len(items), CHUNK):
        chunk = items[start:start + CHUNK]
        if classify:
            intake.classify_and_route(chunk)
        done += len(chunk)
        report(done, total)
    if not classify:
        from eyelevel.feedback.services import routing

        routing.route_items(items)
    with transaction.atomic():
        FeedbackItem.objects.for_organisation(organisation).bulk_create(items, batch_size=2000)
    report(total, total)
    return ImportResult(rows=total, created=len(items), duplicates=len(good) - len(items),
                        rejected=len(rejected_lines), errors=errors, reject_text=reject_text if errors else "")


def _plain_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        content = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(script|style).*?</\1>", " ", content)))
    # drop quoted replies and signatures: what the customer wrote now is above them
    kept = []
    for line in content.splitlines():
        if line.startswith(">") or line.strip() == "--":
            break
        kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


MAIL_SUFFIXES = (".eml", ".mbox", ".mbx")


def _is_mbox(filename: str, payload: bytes) -> bool:
    return payload.startswith(b"From ") or filename.lower().endswith((".mbox", ".mbx"))


def is_mail(filename: str, payload: bytes) -> bool:
    """Whether an uploaded file is mail (.eml, an mbox archive) rather than CSV or JSON lines."""
    return filename.lower().endswith(MAIL_SUFFIXES) or _is_mbox(filename, payload)


def _messages(filename: str, payload: bytes) -> list[EmailMessage]:
    if _is_mbox(filename, payload):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "archive.mbox"
            path.write_bytes(payload)
            box = mailbox.mbox(str(path), factory=lambda f: email.message_from_binary_file(
                f, policy=email.policy.default))
            messages = list(box)
            box.close()
            return messages  # type: ignore[return-value]
    return [email.message_from_bytes(payload, policy=email.policy.default)]  # type: ignore[list-item]


def import_email_file(*, organisation: Organisation, filename: str, payload: bytes,
                      classify: bool = True) -> ImportResult:
    """Import one .eml file or an mbox archive; each sender is matched to a customer where the address is known."""
    prepared: list[tuple[FeedbackIn, str]] = []
    errors: list[ImportErrorOut] = []
    messages = _messages(filename, payload)
    for number, message in enumerate(messages, start=1):
        subject = str(message.get("Subject", "") or "").strip()
        body = _plain_text(message)
        text = "\n\n".join(part for part in (subject, body) if part)
        if not text:
            errors.append(ImportErrorOut(row=number, field="body", message=_("the message has no text")))
            continue
        address = parseaddr(str(message.get("From", "")))[1].lower()
        try:
            received_at = parsedate_to_datetime(str(message["Date"])) if message.get("Date") else None
        except (TypeError, ValueError):
            received_at = None
        message_id = str(message.get("Message-ID", "")).strip().strip("<>")
        ref = message_id[:200] or "sha:" + hashlib.sha256(f"{address}\x00{text}".encode()).hexdigest()[:40]
        prepared.append((FeedbackIn(text=text[:20000], channel=Channel.EMAIL, external_ref=ref,
                                    received_at=received_at), address))
    if not messages:
        raise InvalidInput(_("%(file)s: no messages found") % {"file": filename}, field="file")
    _refs, customers_by_email = _customer_ids(organisation, emails=(address for _data, address in prepared))
    for data, address in prepared:
        data.customer_id = customers_by_email.get(address)
    before = len(prepared)
    created = intake.record_feedback_batch(organisation=organisation, items=[data for data, _a in prepared],
                                           classify=classify)
    return ImportResult(rows=len(messages), created=created, duplicates=before - created, rejected=len(errors),
                        errors=errors)


# staff uploads: a job the page polls ---------------------------------------------------------------

def _job_out(job: ImportJob) -> ImportJobOut:
    return ImportJobOut(id=job.pk, filename=job.filename, status=job.status, total=job.total, processed=job.processed,
                        created=job.created, duplicates=job.duplicates,
                        errors=[ImportErrorOut(**e) for e in job.errors], has_rejects=bool(job.rejects),
                        created_at=job.created_at)


def start_import(*, organisation: Organisation, filename: str, payload: bytes, skip_bad_rows: bool,
                 user_id: int | None) -> ImportJobOut:
    """Queue an uploaded file for import; the import runs in the background."""
    from eyelevel.feedback.tasks import run_import_job

    return _job_out(queue_upload(ImportJob, enqueue=lambda job_id: run_import_job.enqueue(import_job_id=job_id),
                                 organisation=organisation, filename=filename, payload=payload, user_id=user_id,
                                 skip_bad_rows=skip_bad_rows))


def run_import(*, import_job_id: int) -> None:
    """Run a queued import job, reporting progress on the job as it goes."""

    def work(job: ImportJob, jobs: QuerySet) -> dict:
        payload = bytes(job.payload)
        if is_mail(job.filename, payload):
            result = import_email_file(organisation=job.organisation, filename=job.filename, payload=payload)
        else:
            result = import_file(organisation=job.organisation, filename=job.filename, payload=payload,
                                 skip_bad_rows=job.skip_bad_rows,
                                 progress=lambda done, total: jobs.update(processed=done, total=total))
        return {"status": "done" if not (result.errors and not job.skip_bad_rows) else "failed",
                "total": result.rows, "processed": result.rows, "created": result.created,
                "duplicates": result.duplicates, "errors": [e.dict() for e in result.errors],
                "rejects": result.reject_text}

    run_upload(ImportJob, import_job_id, work)


def get_import_job(*, organisation: Organisation | int, import_job_id: int) -> ImportJobOut:
    """An import job's progress and result, or NotFound."""
    from eyelevel.core.tenancy import get_scoped

    return _job_out(get_scoped(ImportJob, organisation=organisation, pk=import_job_id))


def import_job_rejects(*, organisation: Organisation | int, import_job_id: int) -> str:
    """The rows an import job rejected, as a file's text."""
    from eyelevel.core.tenancy import get_scoped

    return get_scoped(ImportJob, organisation=organisation, pk=import_job_id).rejects


def list_import_jobs(*, organisation: Organisation | int, limit: int = 10) -> list[ImportJobOut]:
    """The newest import jobs."""
    return [_job_out(j) for j in ImportJob.objects.for_organisation(organisation).defer("payload")[:limit]]
