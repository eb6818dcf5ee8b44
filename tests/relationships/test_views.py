import pytest

from eyelevel.relationships import services
from tests.factories.relationships import JourneyStageFactory, TouchpointFactory
from tests.relationships.test_services import _charter

pytestmark = pytest.mark.django_db


def test_owner_builds_charter_publishes_and_compares(owner_client, org):
    assert owner_client.post("/staff/relationships/values/new/", {"why": "Test", "name": "Care"}).status_code == 302
    response = owner_client.post("/staff/relationships/segments/new/", {
        "why": "Test", "name": "Regulars", "needs": "Know me", "relationship_type": "personal_assistance",
        "relationship_reason": "They come every day"})
    assert response.status_code == 302
    owner_client.post("/staff/relationships/stages/new/", {"why": "Test", "name": "Buy"})
    stage = services.get_charter(organisation=org).stages[0]
    value = services.get_charter(organisation=org).values[0]
    response = owner_client.post("/staff/relationships/touchpoints/new/", {
        "why": "Test", "name": "Counter", "journey_stage_id": stage.id, "channels": ["in_person", "phone"],
        "value_ids": [value.id], "promise": "Served within two minutes"})
    assert response.status_code == 302
    touchpoint = services.list_touchpoints(organisation=org)[0]
    assert touchpoint.channels == ["in_person", "phone"]
    assert touchpoint.value_ids == [value.id]
    owner_client.post(f"/staff/relationships/touchpoints/{touchpoint.id}/expectations/",
                      {"dimension": "speed", "statement": "Served within two minutes", "why": "Test"})
    page = owner_client.get("/staff/relationships/")
    assert b"No gaps or contradictions found." in page.content
    owner_client.post("/staff/relationships/publish/", {"reason": "First charter"})
    owner_client.post(f"/staff/relationships/touchpoints/{touchpoint.id}/", {
        "name": "Counter", "journey_stage_id": stage.id, "channels": ["in_person"], "value_ids": [value.id],
        "promise": "Served within one minute", "why": "Regulars are in a hurry"})
    response = owner_client.post("/staff/relationships/publish/", {"reason": "Faster"})
    assert response.status_code == 302
    compare = owner_client.get("/staff/relationships/compare/?left=1&right=2")
    assert compare.status_code == 200
    assert b"Served within two minutes" in compare.content
    assert b"Served within one minute" in compare.content
    assert b"Faster" in compare.content


def test_invalid_form_names_the_field_and_saves_nothing(owner_client, org):
    response = owner_client.post("/staff/relationships/segments/new/", {"why": "Test", "name": "X", "relationship_type": "bff"})
    assert response.status_code == 422
    assert b"relationship_type" in response.content
    assert services.get_charter(organisation=org).segments == []


def test_agent_reads_but_cannot_edit(agent_client, org):
    TouchpointFactory(organisation=org, name="Counter")
    page = agent_client.get("/staff/relationships/")
    assert page.status_code == 200
    assert b"Counter" in page.content
    assert b"Publish" not in page.content
    assert agent_client.post("/staff/relationships/values/new/", {"name": "X"}).status_code == 403
    assert services.get_charter(organisation=org).values == []


def test_outsider_sees_404_and_nothing_of_the_charter(outsider_client, org):
    touchpoint = TouchpointFactory(organisation=org, name="Secret counter")
    assert outsider_client.get(f"/staff/relationships/touchpoints/{touchpoint.pk}/").status_code == 404
    assert outsider_client.post(f"/staff/relationships/touchpoints/{touchpoint.pk}/delete/").status_code == 404
    assert b"Secret counter" not in outsider_client.get("/staff/relationships/").content


def test_export_html_in_german_and_pdf(owner_client, owner, org):
    _charter(org)
    services.publish_charter(organisation=org, user_id=owner.pk, user_name="owner", reason="Onboarding")
    html = owner_client.get("/staff/relationships/export/?lang=de")
    assert html.status_code == 200
    text = html.content.decode()
    assert "Beziehungscharta" in text
    assert "Counter" in text
    assert "Onboarding" in text
    assert "sha256-" in html["Content-Security-Policy"]
    english = owner_client.get("/staff/relationships/export/?lang=en").content.decode()
    assert "Relationship charter of Acme Bakery" in english
    pdf = owner_client.get("/staff/relationships/export/?lang=en&format=pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_stage_with_touchpoints_is_not_deleted(owner_client, org):
    stage = JourneyStageFactory(organisation=org)
    TouchpointFactory(organisation=org, stage=stage)
    owner_client.post(f"/staff/relationships/stages/{stage.pk}/delete/", {"why": "Not needed"})
    assert services.get_charter(organisation=org).stages[0].id == stage.pk


def test_value_and_stage_forms_edit_refuse_bad_input_and_delete(owner_client, org):
    owner_client.post("/staff/relationships/values/new/", {"why": "Test", "name": "Care", "description": "We listen"})
    value = services.get_charter(organisation=org).values[0]
    page = owner_client.get(f"/staff/relationships/values/{value.id}/")
    assert page.status_code == 200
    assert b"We listen" in page.content
    assert owner_client.post(f"/staff/relationships/values/{value.id}/", {"why": "Test", "name": "Respect"}).status_code == 302
    assert services.get_charter(organisation=org).values[0].name == "Respect"
    assert owner_client.post(f"/staff/relationships/values/{value.id}/", {"why": "Test", "name": ""}).status_code == 422
    assert services.get_charter(organisation=org).values[0].name == "Respect"
    # A GET on a delete URL deletes nothing and goes back to the form.
    response = owner_client.get(f"/staff/relationships/values/{value.id}/delete/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/values/{value.id}/")
    assert owner_client.post(f"/staff/relationships/values/{value.id}/delete/", {"why": "Not needed"}).status_code == 302
    assert services.get_charter(organisation=org).values == []

    # A stage's empty position means "at the end"; a position that is not a number is refused, nothing saved.
    assert owner_client.post("/staff/relationships/stages/new/", {"why": "Test", "name": "Buy", "position": ""}).status_code == 302
    assert owner_client.post("/staff/relationships/stages/new/", {"why": "Test", "name": "Pay", "position": "x"}).status_code == 422
    stages = services.get_charter(organisation=org).stages
    assert [s.name for s in stages] == ["Buy"]
    assert b'value="0"' in owner_client.get(f"/staff/relationships/stages/{stages[0].id}/").content
    assert owner_client.post(f"/staff/relationships/stages/{stages[0].id}/delete/", {"why": "Not needed"}).status_code == 302
    assert services.get_charter(organisation=org).stages == []


def test_touchpoint_delete_goes_back_to_the_journey(owner_client, org):
    touchpoint = TouchpointFactory(organisation=org)
    response = owner_client.post(f"/staff/relationships/touchpoints/{touchpoint.pk}/delete/", {"why": "Not needed"})
    assert response["Location"].endswith("#journey")
    assert services.list_touchpoints(organisation=org) == []
