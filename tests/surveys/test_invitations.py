"""Survey invitations run in the background: progress, a report at the end, and nobody invited twice."""

import pytest
from django.core import mail

from eyelevel.core.errors import Conflict, InvalidInput
from eyelevel.customers import services as customers
from eyelevel.messaging import services as messaging
from eyelevel.messaging.schemas import ContactCapIn, OutboundMessage
from eyelevel.surveys import services
from tests.customers.helpers import declare
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db
PORTAL = "https://example.org/portal/surveys/1/"


@pytest.fixture
def audience(org, other_org, customer):  # type: ignore[no-untyped-def]
    """Customers the gate lets through, and one for each reason it refuses."""
    declare(org, "surveys", "consent")
    people = {
        "lena": customer,
        "jonas": CustomerFactory(organisation=org, display_name="Jonas", language="de"),
        "mia": CustomerFactory(organisation=org, display_name="Mia"),  # no consent
        "otto": CustomerFactory(organisation=org, display_name="Otto", email=""),  # no address
        "carl": CustomerFactory(organisation=org, display_name="Carl"),  # contact cap reached
    }
    for name in ("lena", "jonas", "otto", "carl"):
        customers.set_consent(organisation=org, customer_id=people[name].pk, purpose_code="surveys", granted=True,
                              channel="staff", note="asked at the counter")
    messaging.set_contact_cap(organisation=org, data=ContactCapIn(scope="all", max_messages=1, period_days=30))
    messaging.send_to_customer(organisation=org, message=OutboundMessage(
        customer_id=people["carl"].pk, purpose_code="surveys", subject="Your order", body="It is ready.",
        reason="You ordered a cake.", automated=False, sender_name="Anna"))
    people["stranger"] = CustomerFactory(organisation=other_org, display_name="Stranger")
    mail.outbox.clear()
    return people


def _start(org, survey, people, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_invitations(organisation=org, survey_id=survey.id,
                                         customer_ids=[p.pk for p in people], purpose_code="surveys",
                                         sender_name="Anna", portal_url=PORTAL)
    return services.get_invitation_job(organisation=org, invitation_job_id=job.id)


def test_the_task_sends_through_the_gate_and_reports_each_refusal(org, survey, audience,
                                                                  django_capture_on_commit_callbacks):
    job = _start(org, survey, audience.values(), django_capture_on_commit_callbacks)

    assert (job.status, job.total, job.processed, job.sent, job.already_invited) == ("done", 6, 6, 2, 0)
    assert job.refused == {"address": 1, "cap": 1, "consent": 1, "not_found": 1}
    assert job.refused_total == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted([audience["lena"].email, audience["jonas"].email])
    german = next(m for m in mail.outbox if m.to == [audience["jonas"].email])
    assert german.subject == "Wie waren wir? How do we do?"
    assert PORTAL in german.body
    sent = messaging.messages_of(organisation=org, customer_id=audience["lena"].pk)[0]
    assert sent.reason.startswith("You are a customer of Acme Bakery")
    assert services.invited_customer_ids(organisation=org, survey_id=survey.id,
                                         customer_ids=[p.pk for p in audience.values()]) == {
        audience["lena"].pk, audience["jonas"].pk}


def test_starting_again_invites_nobody_twice_but_retries_the_refused(org, survey, audience,
                                                                   django_capture_on_commit_callbacks):
    _start(org, survey, [audience["lena"], audience["mia"]], django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    customers.set_consent(organisation=org, customer_id=audience["mia"].pk, purpose_code="surveys", granted=True,
                          channel="portal")

    again = _start(org, survey, [audience["lena"], audience["mia"]], django_capture_on_commit_callbacks)

    assert (again.sent, again.already_invited, again.refused) == (1, 1, {})
    assert [m.to[0] for m in mail.outbox] == [audience["lena"].email, audience["mia"].email]


def test_running_the_same_job_twice_sends_nothing_twice(org, survey, audience, django_capture_on_commit_callbacks):
    job = _start(org, survey, [audience["lena"], audience["jonas"]], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        rerun = services.run_invitations(invitation_job_id=job.id)
    assert (rerun.status, rerun.sent, rerun.already_invited) == ("done", 2, 0)
    assert len(mail.outbox) == 2


def test_invitations_are_refused_before_queueing_when_they_cannot_go(org, survey, audience):
    with pytest.raises(InvalidInput) as no_one:
        services.start_invitations(organisation=org, survey_id=survey.id, customer_ids=[], purpose_code="surveys",
                                   sender_name="Anna", portal_url=PORTAL)
    assert no_one.value.field == "customer_ids"
    with pytest.raises(InvalidInput) as undeclared:
        services.start_invitations(organisation=org, survey_id=survey.id, customer_ids=[audience["lena"].pk],
                                   purpose_code="lottery", sender_name="Anna", portal_url=PORTAL)
    assert undeclared.value.field == "purpose_code"
    services.set_survey_status(organisation=org, survey_id=survey.id, status="closed")
    with pytest.raises(Conflict):
        services.start_invitations(organisation=org, survey_id=survey.id, customer_ids=[audience["lena"].pk],
                                   purpose_code="surveys", sender_name="Anna", portal_url=PORTAL)


def test_staff_page_polls_progress_and_shows_the_report(manager_client, org, survey, audience,
                                                        django_capture_on_commit_callbacks):
    ids = [audience["lena"].pk, audience["mia"].pk, audience["carl"].pk]
    # Queued, not yet run: the page polls.
    response = manager_client.post(f"/staff/surveys/{survey.id}/invite/",
                                   {"customer_ids": ids, "purpose_code": "surveys"})
    assert response.status_code == 302
    queued = manager_client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in queued
    assert "0 of 3 customers" in queued

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/staff/surveys/{survey.id}/invite/",
                                       {"customer_ids": ids, "purpose_code": "surveys"})
    fragment = manager_client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert "every 1s" not in fragment  # done: the polling stops
    assert 'data-testid="invitations-sent">1<' in fragment
    assert "no consent for the purpose: 1" in fragment
    assert "contact cap reached: 1" in fragment
    detail = manager_client.get(f"/staff/surveys/{survey.id}/").content.decode()
    assert 'data-testid="invited"' in detail
    assert 'data-testid="invitation-jobs"' in detail


def test_the_report_speaks_german(manager_client, org, survey, audience, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_invitations(organisation=org, survey_id=survey.id, customer_ids=[audience["mia"].pk],
                                         purpose_code="surveys", sender_name="Anna", portal_url=PORTAL)
    page = manager_client.get(f"/staff/surveys/invitations/{job.id}/", headers={"Accept-Language": "de"})
    assert "Vom Nachrichten-Tor abgelehnt" in page.content.decode()


def test_invitation_jobs_are_for_managers_of_the_organisation(agent_client, outsider_client, org, survey, audience,
                                                              django_capture_on_commit_callbacks):
    job = _start(org, survey, [audience["lena"]], django_capture_on_commit_callbacks)
    assert outsider_client.get(f"/staff/surveys/invitations/{job.id}/").status_code == 404
    assert agent_client.get(f"/staff/surveys/invitations/{job.id}/").status_code == 403
    assert agent_client.post(f"/staff/surveys/{survey.id}/invite/",
                             {"customer_ids": [audience["lena"].pk]}).status_code == 403


def test_export_and_erasure_cover_invitations(org, survey, audience, django_capture_on_commit_callbacks):
    _start(org, survey, [audience["lena"]], django_capture_on_commit_callbacks)
    exported = services.export_customer_answers(org.pk, audience["lena"].pk)
    assert exported["invitations"][0]["survey"] == "How do we do?"
    assert exported["invitations"][0]["status"] == "sent"
    services.erase_customer_answers(org.pk, audience["lena"].pk)
    assert services.export_customer_answers(org.pk, audience["lena"].pk) == {"responses": [], "invitations": []}
