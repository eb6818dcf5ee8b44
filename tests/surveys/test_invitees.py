"""Inviting a group of customers to a survey without picking them one by one: everyone the purpose allows,
all customers, a pasted list of references or email addresses; optionally only recent feedback givers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from eyelevel.core.errors import InvalidInput
from eyelevel.customers import services as customers
from eyelevel.surveys import services
from eyelevel.surveys.models import InvitationJob
from eyelevel.surveys.schemas import InviteesIn
from tests.customers.helpers import declare
from tests.factories.customers import CustomerFactory
from tests.factories.feedback import FeedbackItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org, other_org):  # type: ignore[no-untyped-def]
    """Three customers who agreed to be asked, two who did not, one erased, and one of another organisation."""
    declare(org, "surveys", "consent")
    made = {name: CustomerFactory(organisation=org, display_name=name.title(), email=f"{name}@example.com",
                                  external_ref=f"REF-{name.upper()}")
            for name in ("lena", "jonas", "mia", "otto", "carl")}
    for name in ("lena", "jonas", "mia"):
        customers.set_consent(organisation=org, customer_id=made[name].pk, purpose_code="surveys", granted=True,
                              channel="portal")
    made["gone"] = CustomerFactory(organisation=org, erased_at=timezone.now())
    made["stranger"] = CustomerFactory(organisation=other_org, email="stranger@example.com", external_ref="REF-X")
    return made


def _ids(people, *names):  # type: ignore[no-untyped-def]
    return sorted(people[name].pk for name in names)


def test_everyone_the_purpose_allows_all_customers_and_a_pasted_list(org, people):
    assert services.choose_invitees(organisation=org, invitees=InviteesIn(audience="purpose")) == _ids(
        people, "lena", "jonas", "mia")
    assert services.choose_invitees(organisation=org, invitees=InviteesIn(audience="all")) == _ids(
        people, "lena", "jonas", "mia", "otto", "carl")
    pasted = "REF-LENA, Otto@Example.com\n\nREF-LENA;carl@example.com"
    assert services.choose_invitees(organisation=org, invitees=InviteesIn(audience="list", customers=pasted)) == _ids(
        people, "lena", "otto", "carl")
    # A purpose on another legal basis allows contacting every customer.
    declare(org, "service-news", "legitimate_interest")
    assert len(services.choose_invitees(organisation=org, invitees=InviteesIn(purpose_code="service-news"))) == 5
    audience = services.invitation_audience(organisation=org, survey_id=0)
    assert (audience.for_purpose, audience.all, audience.invited, audience.purpose_declared) == (3, 5, 0, True)


def test_only_those_who_gave_feedback_recently(org, people):
    FeedbackItemFactory(organisation=org, customer=people["jonas"])
    FeedbackItemFactory(organisation=org, customer=people["otto"])
    FeedbackItemFactory(organisation=org, customer=people["lena"], received_at=timezone.now() - timedelta(days=40))
    recent = services.choose_invitees(organisation=org, invitees=InviteesIn(audience="purpose", feedback_days=30))
    assert recent == _ids(people, "jonas")
    assert services.choose_invitees(organisation=org, invitees=InviteesIn(audience="all", feedback_days=60)) == _ids(
        people, "lena", "jonas", "otto")


@pytest.mark.parametrize(("invitees", "field", "says"), [
    (InviteesIn(audience="list", customers="REF-LENA\nREF-X\nnobody@example.com"), "customers",
     "(2): REF-X, nobody@example.com"),
    (InviteesIn(audience="list", customers=" , "), "customers", "Paste at least one"),
    (InviteesIn(audience="purpose", customers="REF-LENA"), "audience", "only these customers"),
    (InviteesIn(audience="purpose", purpose_code="newsletter"), "purpose_code", "No purpose newsletter"),
    (InviteesIn(audience="everybody"), "audience", "Choose whom"),
    (InviteesIn(audience="purpose", feedback_days=7), "audience", "No customer matches"),
])
def test_a_choice_that_names_nobody_or_unknown_customers_is_refused(org, survey, people, invitees, field, says):
    with pytest.raises(InvalidInput) as excinfo:
        services.start_invitations_to(organisation=org, survey_id=survey.id, invitees=invitees, sender_name="Anna",
                                      portal_url="https://example.org/")
    assert excinfo.value.field == field
    assert says in excinfo.value.detail
    assert not InvitationJob.objects.for_organisation(org).exists()


def test_owner_invites_every_customer_not_only_the_first_page(owner_client, org, survey,
                                                              django_capture_on_commit_callbacks):
    declare(org, "surveys", "legitimate_interest")
    CustomerFactory.create_batch(60, organisation=org)
    page = owner_client.get(f"/staff/surveys/{survey.id}/").content.decode()
    assert "allows us to contact (who agreed to it, where it needs consent): 60 customers" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"/staff/surveys/{survey.id}/invite/",
                                     {"audience": "purpose", "purpose_code": "surveys", "feedback_days": "90"})
    assert response.status_code == 302
    job = InvitationJob.objects.for_organisation(org).get()
    assert (job.total, job.status, job.sent) == (60, "done", 60)
    assert 'data-testid="invited">Invited to this survey so far: 60 customers' in owner_client.get(
        f"/staff/surveys/{survey.id}/").content.decode()


def test_a_refused_list_comes_back_with_the_field_error_and_what_was_pasted(owner_client, org, survey, people):
    response = owner_client.post(f"/staff/surveys/{survey.id}/invite/", {
        "audience": "list", "customers": "REF-LENA\nREF-NOBODY", "purpose_code": "surveys"})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-field="customers"' in body
    assert "REF-NOBODY" in body
    assert "REF-LENA\nREF-NOBODY</textarea>" in body
    response = owner_client.post(f"/staff/surveys/{survey.id}/invite/", {
        "audience": "all", "recent_only": "1", "feedback_days": "0"})
    assert 'data-field="feedback_days"' in response.content.decode()
    owner_client.cookies["django_language"] = "de"
    german = owner_client.post(f"/staff/surveys/{survey.id}/invite/", {
        "audience": "list", "customers": "REF-NOBODY", "purpose_code": "surveys"}).content.decode()
    owner_client.cookies["django_language"] = "en"
    assert "Niemand in der Kundschaft hat diese Referenzen oder E-Mail-Adressen (1): REF-NOBODY" in german
    assert "Nur diese Kundinnen und Kunden:" in german
    assert not InvitationJob.objects.for_organisation(org).exists()


def test_a_pasted_list_is_invited_in_the_background(owner_client, org, survey, people,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"/staff/surveys/{survey.id}/invite/", {
            "audience": "list", "customers": "lena@example.com\nREF-OTTO", "purpose_code": "surveys"})
    job = services.get_invitation_job(organisation=org, invitation_job_id=int(response["Location"].split("/")[-2]))
    # The gate still decides: Otto did not agree to be asked.
    assert (job.total, job.sent, job.refused) == (2, 1, {"consent": 1})
