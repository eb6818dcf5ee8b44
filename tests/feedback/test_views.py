"""Staff, portal and public feedback pages; every object page is a 404 for an outsider."""

import time

import pytest
from django.core import signing
from django.core.cache import cache

from eyelevel.feedback.models import Action, FeedbackItem, ImportJob, LabelCorrection, Note, RoutingRule
from eyelevel.feedback.services.intake import PUBLIC_FORM_SALT
from tests.factories.feedback import ActionFactory, FeedbackItemFactory


@pytest.fixture
def item(org, customer):  # type: ignore[no-untyped-def]
    return FeedbackItemFactory(organisation=org, customer=customer, text="Der Kaffee war kalt.")


def test_inbox_filters_and_the_outsider_sees_nothing(agent_client, outsider_client, org, item) -> None:  # type: ignore[no-untyped-def]
    FeedbackItemFactory(organisation=org, text="Lovely bread", sentiment="positive", aspects=[])
    page = agent_client.get("/staff/feedback/?sentiment=negative").content.decode()
    assert "Der Kaffee war kalt." in page
    assert "Lovely bread" not in page
    assert "Der Kaffee" not in outsider_client.get("/staff/feedback/").content.decode()
    assert outsider_client.get(f"/staff/feedback/items/{item.pk}/").status_code == 404


def test_item_page_one_click_correction_is_kept(agent_client, outsider_client, org, item) -> None:  # type: ignore[no-untyped-def]
    page = agent_client.get(f"/staff/feedback/items/{item.pk}/")
    assert page.status_code == 200
    assert "Der Kaffee war kalt." in page.content.decode()
    response = agent_client.post(f"/staff/feedback/items/{item.pk}/label/", {"sentiment": "neutral"},
                                 headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'aria-pressed="true">neutral' in response.content.decode()
    assert FeedbackItem.objects.for_organisation(org).get(pk=item.pk).sentiment == "neutral"
    assert LabelCorrection.objects.for_organisation(org).filter(item=item, field="sentiment").count() == 1
    agent_client.post(f"/staff/feedback/items/{item.pk}/label/", {
        "aspects_form": "1", "aspect": ["Toiletten"], "polarity:Toiletten": "negative", "new_aspect": "Coffee",
        "new_polarity": "negative"})
    stored = FeedbackItem.objects.for_organisation(org).get(pk=item.pk)
    assert stored.aspects == [{"label": "Toiletten", "polarity": "negative"}, {"label": "Coffee", "polarity": "negative"}]
    assert outsider_client.post(f"/staff/feedback/items/{item.pk}/label/", {"sentiment": "positive"}).status_code == 404


def test_contemptuous_note_is_shown_with_a_suggestion_before_saving(agent_client, org, item) -> None:  # type: ignore[no-untyped-def]
    response = agent_client.post(f"/staff/feedback/items/{item.pk}/notes/", {"text": "Der Kunde ist so nervig"})
    assert response.status_code == 200
    assert 'id="note-check"' in response.content.decode()
    assert Note.objects.for_organisation(org).count() == 0
    agent_client.post(f"/staff/feedback/items/{item.pk}/notes/", {"text": "Rückruf vereinbart"})
    assert Note.objects.for_organisation(org).get().flagged is False


def test_acting_on_items_and_completing_tells_the_customer(agent_client, outsider_client, org, item, customer) -> None:  # type: ignore[no-untyped-def]
    response = agent_client.post("/staff/feedback/actions/new/", {"items": [item.pk], "title": "New coffee machine"})
    action = Action.objects.for_organisation(org).get()
    assert response.url == f"/staff/feedback/actions/{action.pk}/"
    assert outsider_client.get(f"/staff/feedback/actions/{action.pk}/").status_code == 404
    assert outsider_client.post(f"/staff/feedback/actions/{action.pk}/complete/", {"outcome": "x"}).status_code == 404
    agent_client.post(f"/staff/feedback/actions/{action.pk}/complete/", {"outcome": "It is installed."})
    assert FeedbackItem.objects.for_organisation(org).get(pk=item.pk).status == "done"
    from tests.conftest import portal_client_for

    portal = portal_client_for(customer).get("/portal/feedback/").content.decode()
    assert "It is installed." in portal


def test_portal_form_records_the_customers_feedback(customer_client, org, customer) -> None:  # type: ignore[no-untyped-def]
    response = customer_client.post("/portal/feedback/", {"text": "The app crashes when I pay", "order_ref": "R-17"})
    assert response.status_code == 302
    stored = FeedbackItem.objects.for_organisation(org).get()
    assert stored.customer_id == customer.pk
    assert stored.channel == "portal"
    assert stored.order_ref == "R-17"
    assert stored.sentiment == "negative"
    assert customer_client.post("/portal/feedback/", {"text": "  "}).status_code == 422


def test_public_form_and_we_did_page(client, org) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    assert client.get("/p/feedback/form/").status_code == 404
    form = client.get("/p/feedback/form/?org=acme")
    assert form.status_code == 200
    assert 'name="website"' in form.content.decode()
    started = signing.dumps(time.time() - 30, salt=PUBLIC_FORM_SALT)
    spam = client.post("/p/feedback/form/?org=acme", {"text": "cheap pills", "started": started, "website": "x"})
    assert spam.status_code == 422
    ok = client.post("/p/feedback/form/?org=acme", {"text": "The shop was very clean", "started": started})
    assert ok.status_code == 200
    assert FeedbackItem.objects.for_organisation(org).get().customer_id is None
    ActionFactory(organisation=org, title="Cleaner toilets", status="done", outcome="Cleaned twice a day",
                  done_at="2026-11-20T10:00:00Z")
    page = client.get("/p/feedback/we-did/?org=acme").content.decode()
    assert "Cleaner toilets" in page
    assert "1 voice" in page
    cache.clear()


def test_routing_page_adds_rules_and_deadlines(manager_client, agent_client, outsider_client, org, manager) -> None:  # type: ignore[no-untyped-def]
    assert agent_client.get("/staff/feedback/routing/").status_code == 403
    response = manager_client.post("/staff/feedback/routing/", {"form": "rule", "name": "Toilets", "aspect": "Toiletten",
                                                                 "owner": str(manager.pk), "position": "10"})
    assert response.status_code == 302
    rule = RoutingRule.objects.for_organisation(org).get()
    assert rule.aspect == "Toiletten"
    bad = manager_client.post("/staff/feedback/routing/", {"form": "rule", "name": "Nobody"})
    assert bad.status_code == 422
    manager_client.post("/staff/feedback/routing/", {"form": "deadline", "urgency": "high", "acknowledge_hours": "2",
                                                     "action_hours": "12"})
    assert "12" in manager_client.get("/staff/feedback/routing/").content.decode()
    assert outsider_client.post(f"/staff/feedback/routing/{rule.pk}/delete/").status_code == 404
    manager_client.post(f"/staff/feedback/routing/{rule.pk}/delete/")
    assert not RoutingRule.objects.for_organisation(org).exists()


def test_upload_import_reports_bad_rows_then_imports(agent_client, outsider_client, org,  # type: ignore[no-untyped-def]
                                                     django_capture_on_commit_callbacks) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("feedback.csv", b"id,text,received_at\n1,Cold coffee,2026-11-01T10:00\n2,,\n3,ok,yesterday\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post("/staff/feedback/import/", {"file": bad})
    job = ImportJob.objects.for_organisation(org).get()
    assert response.url == f"/staff/feedback/import/{job.pk}/"
    assert job.status == "failed"
    page = agent_client.get(response.url).content.decode()
    assert "Nothing was imported" in page
    assert 'hx-trigger="every 1s"' not in page  # finished: no more polling
    assert [(e["row"], e["field"]) for e in job.errors] == [(3, "text"), (4, "received_at")]
    assert FeedbackItem.objects.for_organisation(org).count() == 0
    assert outsider_client.get(f"/staff/feedback/import/{job.pk}/").status_code == 404
    again = SimpleUploadedFile("feedback.csv", b"id,text,received_at\n1,Cold coffee,2026-11-01T10:00\n2,,\n3,ok,yesterday\n")
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post("/staff/feedback/import/", {"file": again, "skip": "1"})
    second = ImportJob.objects.for_organisation(org).order_by("-id").first()
    assert second.status == "done"
    assert second.created == 1
    rejects = agent_client.get(f"/staff/feedback/import/{second.pk}/rejects/").content.decode()
    assert rejects.splitlines() == ["id,text,received_at", "2,,", "3,ok,yesterday"]


def test_insights_page_shows_figures_and_charts(analyst_client, outsider_client, org, item) -> None:  # type: ignore[no-untyped-def]
    from eyelevel.feedback.models import ContemptCheck

    ContemptCheck.objects.create(organisation=org, team="service", phrases=["whiner"])
    page = analyst_client.get("/staff/feedback/insights/").content.decode()
    assert "median time to acknowledge" in page
    assert "<svg" in page
    assert "<li>service: 1</li>" in page  # notes the contempt check stopped, per team
    assert "<svg" not in outsider_client.get("/staff/feedback/insights/").content.decode()


def test_a_running_import_page_polls_its_progress(agent_client, org) -> None:  # type: ignore[no-untyped-def]
    from tests.factories.feedback import ImportJobFactory

    job = ImportJobFactory(organisation=org, status="running", total=200, processed=50)
    page = agent_client.get(f"/staff/feedback/import/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert '<progress max="200" value="50">' in page
    fragment = agent_client.get(f"/staff/feedback/import/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section class="card" id="import-progress"')


def test_the_german_catalogue_is_complete() -> None:
    from pathlib import Path

    import polib
    from django.utils import translation

    import eyelevel.feedback

    catalogue = polib.pofile(str(Path(eyelevel.feedback.__file__).parent / "locale/de/LC_MESSAGES/django.po"))
    assert catalogue.percent_translated() == 100
    with translation.override("de"):
        assert translation.gettext("Feedback inbox") == "Feedback-Eingang"


def test_portal_feedback_names_its_touchpoint_and_a_touchpoint_rule_routes_it(customer_client, org, manager) -> None:  # type: ignore[no-untyped-def]
    from eyelevel.feedback import services
    from eyelevel.feedback.schemas import RoutingRuleIn
    from tests.factories.relationships import TouchpointFactory

    counter = TouchpointFactory(organisation=org, name="Bakery counter")
    services.create_rule(organisation=org, data=RoutingRuleIn(name="Counter", touchpoint_id=counter.pk,
                                                              owner_id=manager.pk))
    assert "Bakery counter" in customer_client.get("/portal/feedback/").content.decode()
    customer_client.post("/portal/feedback/", {"text": "Long queue at the counter", "touchpoint": str(counter.pk)})
    stored = FeedbackItem.objects.for_organisation(org).get()
    assert stored.touchpoint_id == counter.pk
    assert stored.owner_id == manager.pk


def test_a_manager_sees_what_was_escalated_to_them(manager_client, org, manager) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    FeedbackItemFactory(organisation=org, text="Waited a week", escalated_at=timezone.now(), escalated_to=manager)
    FeedbackItemFactory(organisation=org, text="Fresh one")
    page = manager_client.get("/staff/feedback/?escalated=me").content.decode()
    assert "Waited a week" in page
    assert "Fresh one" not in page


def test_uploading_a_mail_file_imports_it(agent_client, org, customer, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.feedback.test_import import EML

    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post("/staff/feedback/import/", {"file": SimpleUploadedFile("lift.eml", EML)})
    job = ImportJob.objects.for_organisation(org).get()
    assert job.status == "done"
    assert job.created == 1
    item = FeedbackItem.objects.for_organisation(org).get()
    assert item.channel == "email"
    assert item.customer_id == customer.pk


def test_the_action_page_reads_its_items_in_a_fixed_number_of_queries(agent_client, org) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (1, 5):
        action = ActionFactory(organisation=org)
        action.items.set([FeedbackItemFactory(organisation=org, text=f"Item {size}-{n}") for n in range(size)])
        with CaptureQueriesContext(connection) as queries:
            page = agent_client.get(f"/staff/feedback/actions/{action.pk}/")
        assert page.status_code == 200
        assert f"Item {size}-{size - 1}" in page.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
