"""Imports: CSV and JSON lines (all or nothing, or good rows plus rejects; no duplicates on re-import), email."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from eyelevel.feedback.models import FeedbackItem
from eyelevel.feedback.services import importing

CSV = (b"id,text,received_at,customer_email,order_ref\n"
       b"a1,Der Zug war zu sp\xc3\xa4t,2026-11-01T08:00:00,lena@example.com,R-1\n"
       b"a2,\"The wifi, again, did not work\",2026-11-02T09:30:00,,\n")


def test_csv_import_links_customers_and_reimport_creates_no_duplicates(org, customer) -> None:  # type: ignore[no-untyped-def]
    first = importing.import_file(organisation=org, filename="feedback.csv", payload=CSV, classify=False)
    assert (first.rows, first.created, first.duplicates, first.errors) == (2, 2, 0, [])
    linked = FeedbackItem.objects.for_organisation(org).get(external_ref="a1")
    assert linked.customer_id == customer.pk
    assert linked.channel == "import"
    assert linked.order_ref == "R-1"
    assert linked.text == "Der Zug war zu spät"
    again = importing.import_file(organisation=org, filename="feedback.csv", payload=CSV, classify=False)
    assert (again.created, again.duplicates) == (0, 2)
    assert FeedbackItem.objects.for_organisation(org).count() == 2


def test_customer_lookups_do_not_grow_with_the_rows(org, customer, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    def payload(rows: int) -> bytes:
        return b"id,text,customer_email,customer_ref\n" + b"".join(
            f"r{n},Feedback {n},{'LENA@example.com' if n % 2 else ''},{'' if n % 2 else 'C-404'}\n".encode()
            for n in range(rows))

    with django_assert_max_num_queries(12):
        result = importing.import_file(organisation=org, filename="f.csv", payload=payload(40), classify=False,
                                       skip_bad_rows=True)
    assert (result.created, result.rejected) == (20, 20)
    assert {e.field for e in result.errors} == {"customer_ref"}
    assert set(FeedbackItem.objects.for_organisation(org).values_list("customer_id", flat=True)) == {customer.pk}


def test_bad_rows_are_named_and_nothing_is_imported(org) -> None:  # type: ignore[no-untyped-def]
    payload = b"text,received_at,customer_ref\nGood one,,\n,,\nAnother,not a date,\nThird,,C-404\n"
    result = importing.import_file(organisation=org, filename="f.csv", payload=payload, classify=False)
    assert [(e.row, e.field) for e in result.errors] == [(3, "text"), (4, "received_at"), (5, "customer_ref")]
    assert result.created == 0
    assert FeedbackItem.objects.for_organisation(org).count() == 0
    partial = importing.import_file(organisation=org, filename="f.csv", payload=payload, classify=False,
                                    skip_bad_rows=True)
    assert (partial.created, partial.rejected) == (1, 3)
    assert partial.reject_text.splitlines() == ["text,received_at,customer_ref", ",,", "Another,not a date,",
                                                "Third,,C-404"]
    with pytest.raises(Exception, match="header"):
        importing.import_file(organisation=org, filename="f.csv", payload=b"name\nx\n")


def test_json_lines_import_classifies(org) -> None:  # type: ignore[no-untyped-def]
    lines = [json.dumps({"id": "j1", "text": "Die Toilette war verstopft und dreckig"}), "{not json",
             json.dumps({"id": "j2", "text": "Thank you, friendly staff!"})]
    result = importing.import_file(organisation=org, filename="f.jsonl", payload="\n".join(lines).encode())
    assert [(e.row, e.field) for e in result.errors] == [(2, "line")]
    ok = importing.import_file(organisation=org, filename="f.jsonl", payload="\n".join(lines).encode(),
                               skip_bad_rows=True)
    assert ok.created == 2
    toilet = FeedbackItem.objects.for_organisation(org).get(external_ref="j1")
    assert toilet.sentiment == "negative"
    assert toilet.language == "de"
    assert toilet.acknowledge_due is not None


EML = b"""From: Lena Becker <LENA@example.com>
To: feedback@acme.example
Subject: Broken lift
Date: Mon, 16 Nov 2026 10:00:00 +0100
Message-ID: <abc-1@example.com>
Content-Type: text/plain; charset=utf-8

The lift at platform 3 has been broken for two weeks.

> earlier quoted text that is not part of the feedback
"""


def test_eml_and_mbox_import_match_the_sender(org, customer) -> None:  # type: ignore[no-untyped-def]
    result = importing.import_email_file(organisation=org, filename="lift.eml", payload=EML, classify=False)
    assert result.created == 1
    item = FeedbackItem.objects.for_organisation(org).get()
    assert item.customer_id == customer.pk
    assert item.channel == "email"
    assert item.text == "Broken lift\n\nThe lift at platform 3 has been broken for two weeks."
    stranger = EML.replace(b"LENA@example.com", b"someone@else.example").replace(b"abc-1", b"abc-2")
    mbox = b"From MAILER-DAEMON Mon Nov 16 10:00:00 2026\n" + EML + b"\nFrom MAILER-DAEMON Mon Nov 16 11:00:00 2026\n" + stranger
    archive = importing.import_email_file(organisation=org, filename="inbox.mbox", payload=mbox, classify=False)
    assert (archive.rows, archive.created, archive.duplicates) == (2, 1, 1)
    assert FeedbackItem.objects.for_organisation(org).get(external_ref="abc-2@example.com").customer_id is None


def test_uploaded_mail_archives_are_read_as_mail_whatever_their_suffix(org, customer) -> None:  # type: ignore[no-untyped-def]
    mbox = b"From MAILER-DAEMON Mon Nov 16 10:00:00 2026\n" + EML
    for filename in ("inbox.mbx", "export.txt"):  # .mbx by name, the other by its "From " line
        FeedbackItem.objects.for_organisation(org).delete()
        job = importing.start_import(organisation=org, filename=filename, payload=mbox, skip_bad_rows=False,
                                     user_id=None)
        importing.run_import(import_job_id=job.id)
        item = FeedbackItem.objects.for_organisation(org).get()
        assert (item.channel, item.customer_id) == ("email", customer.pk)
    assert not importing.is_mail("feedback.csv", b"text\nFrom here on it works\n")


def test_import_command_all_or_nothing_and_reject_file(org, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "f.csv"
    source.write_bytes(b"text\nfine\n\"\"\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("feedback", "import", str(source), "--organisation", org.slug, "--no-classify")
    rejects = tmp_path / "rejects.csv"
    call_command("feedback", "import", str(source), "--organisation", org.slug, "--no-classify",
                 "--reject-file", str(rejects))
    assert FeedbackItem.objects.for_organisation(org).count() == 1
    assert rejects.read_text().splitlines() == ["text", '""']


def test_import_email_command_reads_eml_files_once(org, customer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    (tmp_path / "lift.eml").write_bytes(EML)
    (tmp_path / "blank.eml").write_bytes(b"From: someone@example.org\r\nSubject: \r\n\r\n")
    for expected in ("1 new items from mail, 0 already imported, 1 skipped",
                     "0 new items from mail, 1 already imported, 1 skipped"):
        out, err = StringIO(), StringIO()
        call_command("feedback", "import-email", str(tmp_path / "lift.eml"), str(tmp_path / "blank.eml"),
                     "--organisation", org.slug, stdout=out, stderr=err)
        assert expected in out.getvalue()
        assert "skipped blank.eml, message 1: the message has no text" in err.getvalue()
    item = FeedbackItem.objects.for_organisation(org).get()
    assert (item.channel, item.customer_id) == ("email", customer.pk)
    assert item.sentiment  # classified on the way in


def test_the_german_railway_feedback_is_imported_classified_routed_and_answered(org, agent, shared_data) -> None:  # type: ignore[no-untyped-def]
    from eyelevel.feedback import services
    from eyelevel.feedback.schemas import ActionIn, RoutingRuleIn

    services.create_rule(organisation=org, data=RoutingRuleIn(name="Complaints", sentiment="negative", owner_id=agent.pk))
    lines = (shared_data / "germeval2017" / "dev-2017-09-15.tsv").read_text(encoding="utf-8").splitlines()[:60]
    rows = [line.split("\t") for line in lines]
    payload = "id\ttext\n" + "".join(f"{cells[0]}\t{cells[1]}\n" for cells in rows)
    result = importing.import_file(organisation=org, filename="germeval.tsv", payload=payload.encode())
    assert result.errors == []
    assert result.created == len({cells[0] for cells in rows})
    items = list(FeedbackItem.objects.for_organisation(org))
    assert {item.language for item in items} <= {"de", "en"}
    assert all(item.sentiment and item.urgency and item.acknowledge_due for item in items)
    # (how well the shipped models agree with the GermEval labels is measured in benchmarks/feedback_germeval.py)
    routed = [item for item in items if item.owner_id == agent.pk]
    assert routed
    assert all(item.sentiment == "negative" for item in routed)
    assert not [item for item in items if item.sentiment != "negative" and item.owner_id]
    action = services.create_action(organisation=org, user_id=agent.pk, data=ActionIn(
        title="Punctuality plan", feedback_item_ids=[item.pk for item in routed]))
    services.complete_action(organisation=org, action_id=action.id, outcome="More reserve trains.", user_name="agent")
    assert services.list_public_actions(organisation=org)[0].voices == len(routed)
