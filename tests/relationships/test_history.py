"""The charter's history: every saved change is a version with who, when, why and what; any two compare."""

import pytest

from eyelevel.core.errors import InvalidInput, NotFound
from eyelevel.relationships import export, services
from eyelevel.relationships.models import CharterChange
from eyelevel.relationships.schemas import (
    Author,
    ExpectationIn,
    JourneyStageIn,
    SegmentIn,
    TouchpointIn,
    ValueIn,
)

pytestmark = pytest.mark.django_db

OLIVIA = Author(user_id=None, name="olivia")


def _changes(org):  # type: ignore[no-untyped-def]
    return services.list_changes(organisation=org).items


def test_every_kind_of_change_records_a_version_with_who_why_and_what(org, owner):
    author = Author(user_id=owner.pk, name="olivia")
    value = services.create_value(organisation=org, author=author, data=ValueIn(name="Care", why="Our core"))
    services.update_value(organisation=org, value_id=value.id, author=author,
                          data=ValueIn(name="Care", description="We listen", why="Say what it means"))
    segment = services.create_segment(organisation=org, author=author, data=SegmentIn(name="Regulars", why="Daily"))
    services.update_segment(organisation=org, segment_id=segment.id, author=author, data=SegmentIn(
        name="Regulars", relationship_type="personal_assistance", why="They want a person"))
    stage = services.create_journey_stage(organisation=org, author=author, data=JourneyStageIn(name="Buy", why="Shop"))
    services.update_journey_stage(organisation=org, journey_stage_id=stage.id, author=author,
                                  data=JourneyStageIn(name="Order", why="Clearer name"))
    touchpoint = services.create_touchpoint(organisation=org, author=author, data=TouchpointIn(
        name="Counter", journey_stage_id=stage.id, channels=["in_person"], why="Most visits"))
    services.update_touchpoint(organisation=org, touchpoint_id=touchpoint.id, author=author, data=TouchpointIn(
        name="Counter", journey_stage_id=stage.id, channels=["in_person", "phone"], value_ids=[value.id],
        why="Phone orders too"))
    expectation = services.add_expectation(organisation=org, touchpoint_id=touchpoint.id, author=author,
                                           data=ExpectationIn(dimension="speed", statement="Two minutes", why="Rate it"))
    services.delete_expectation(organisation=org, expectation_id=expectation.id, author=author, why="Too vague")
    services.delete_touchpoint(organisation=org, touchpoint_id=touchpoint.id, author=author, why="Merged")
    services.delete_journey_stage(organisation=org, journey_stage_id=stage.id, author=author, why="Empty")
    services.delete_segment(organisation=org, segment_id=segment.id, author=author, why="Not a group of needs")
    services.delete_value(organisation=org, value_id=value.id, author=author, why="Start over")

    changes = _changes(org)
    assert [c.number for c in changes] == list(range(14, 0, -1))
    assert all(c.changed_by_name == "olivia" for c in changes)
    assert CharterChange.objects.for_organisation(org).filter(changed_by=owner).count() == 14
    by_number = {c.number: c for c in changes}
    assert by_number[1].why == "Our core"
    assert [(i.kind, i.status, i.title) for i in by_number[1].items] == [("value", "added", "Care")]
    assert [(i.status, i.fields) for i in by_number[2].items] == [("changed", ["Description"])]
    assert by_number[4].items[0].fields == ["Relationship type"]
    assert by_number[6].items[0].fields == ["Name"]
    # A change to a touchpoint names its changed fields; a deletion lists what went with it.
    assert by_number[8].items[0].fields == ["Channels", "Values served"]
    assert [(i.kind, i.status) for i in by_number[10].items] == [("expectation", "removed")]
    assert by_number[11].why == "Merged"
    assert [(i.kind, i.status, i.title) for i in by_number[14].items] == [("value", "removed", "Care")]
    # Each change holds the charter after it.
    after_eight = services.get_change(organisation=org, charter_change_id=by_number[8].id).charter
    assert after_eight.stages[0].touchpoints[0].channels == ["in_person", "phone"]
    assert services.get_change(organisation=org, charter_change_id=by_number[14].id).charter.values == []


def test_a_blank_why_is_refused_and_nothing_is_saved(org):
    value = services.create_value(organisation=org, author=OLIVIA, data=ValueIn(name="Care", why="Core"))
    for call in (
        lambda: services.create_value(organisation=org, author=OLIVIA, data=ValueIn(name="Speed", why="  ")),
        lambda: services.update_value(organisation=org, value_id=value.id, author=OLIVIA,
                                      data=ValueIn(name="Respect", why="")),
        lambda: services.delete_value(organisation=org, value_id=value.id, author=OLIVIA, why=" "),
    ):
        with pytest.raises(InvalidInput) as excinfo:
            call()
        assert excinfo.value.field == "why"
    assert [v.name for v in services.get_charter(organisation=org).values] == ["Care"]
    assert len(_changes(org)) == 1


def test_saving_without_a_difference_records_no_change(org):
    value = services.create_value(organisation=org, author=OLIVIA, data=ValueIn(name="Care", why="Core"))
    services.update_value(organisation=org, value_id=value.id, author=OLIVIA, data=ValueIn(name="Care", why="Again"))
    assert len(_changes(org)) == 1


def test_a_refused_edit_records_no_change(org):
    stage = services.create_journey_stage(organisation=org, author=OLIVIA, data=JourneyStageIn(name="Buy", why="x"))
    with pytest.raises(InvalidInput):
        services.create_touchpoint(organisation=org, author=OLIVIA, data=TouchpointIn(
            name="Pigeon post", journey_stage_id=stage.id, channels=["pigeon"], why="Tradition"))
    assert len(_changes(org)) == 1
    assert services.list_touchpoints(organisation=org) == []


def test_two_unpublished_changes_compare_side_by_side(org):
    stage = services.create_journey_stage(organisation=org, author=OLIVIA, data=JourneyStageIn(name="Help", why="x"))
    chat = services.create_touchpoint(organisation=org, author=OLIVIA, data=TouchpointIn(
        name="Help chat", journey_stage_id=stage.id, channels=["chatbot"], promise="Instant answers", why="Online"))
    services.update_touchpoint(organisation=org, touchpoint_id=chat.id, author=OLIVIA, data=TouchpointIn(
        name="Help chat", journey_stage_id=stage.id, channels=["chatbot", "live_chat"],
        promise="A person takes over on request", why="Regulars were promised a person"))
    assert services.list_versions(organisation=org) == []

    comparison = services.compare_versions(organisation=org, left="c2", right="c3")
    assert (comparison.left.kind, comparison.left.label, comparison.left.why) == ("change", "Change 2", "Online")
    assert comparison.right.why == "Regulars were promised a person"
    assert comparison.changed_count == 1
    item = next(i for i in comparison.items if i.status == "changed")
    changed = {f.field: (f.before, f.after) for f in item.fields if f.changed}
    assert changed == {"promise": ("Instant answers", "A person takes over on request"),
                       "channels": ("Chatbot", "Chatbot, Live chat with a person")}
    # From the first change to the last: the stage was there, the touchpoint is new.
    statuses = {i.title: i.status for i in services.compare_versions(organisation=org, left="c1", right="c3").items}
    assert statuses == {"Help": "unchanged", "Help chat": "added"}
    with pytest.raises(InvalidInput) as excinfo:
        services.compare_versions(organisation=org, left="latest", right="c3")
    assert excinfo.value.field == "left"
    with pytest.raises(NotFound):
        services.compare_versions(organisation=org, left="c1", right="c9")


def test_a_change_compares_with_a_published_version(org, owner):
    value = services.create_value(organisation=org, author=OLIVIA, data=ValueIn(name="Care", why="Core"))
    version = services.publish_charter(organisation=org, user_id=owner.pk, user_name="owner", reason="First")
    assert version.change_number == 1
    services.update_value(organisation=org, value_id=value.id, author=OLIVIA,
                          data=ValueIn(name="Care", description="We listen", why="Say what it means"))
    comparison = services.compare_versions(organisation=org, left="v1", right="c2")
    assert (comparison.left.kind, comparison.left.why, comparison.right.kind) == ("version", "First", "change")
    assert comparison.changed_count == 1
    # A bare number is a published version, as before changes were recorded.
    assert services.compare_versions(organisation=org, left=1, right="c1").changed_count == 0
    assert [c.published_as for c in _changes(org)] == [None, 1]


def test_the_published_version_stays_what_staff_and_surveys_read(org, owner):
    stage = services.create_journey_stage(organisation=org, author=OLIVIA, data=JourneyStageIn(name="Buy", why="x"))
    counter = services.create_touchpoint(organisation=org, author=OLIVIA, data=TouchpointIn(
        name="Counter", journey_stage_id=stage.id, channels=["in_person"], promise="Two minutes", why="Most visits"))
    services.publish_charter(organisation=org, user_id=owner.pk, user_name="owner", reason="Onboarding")
    services.update_touchpoint(organisation=org, touchpoint_id=counter.id, author=OLIVIA, data=TouchpointIn(
        name="Counter", journey_stage_id=stage.id, channels=["in_person"], promise="One minute", why="Faster"))

    # Recorded changes are no published versions: the onboarding document still shows version 1.
    assert [v.number for v in services.list_versions(organisation=org)] == [1]
    html, stem = export.charter_document(organisation=org, charter_version_id=None, language="en")
    assert stem.endswith("-v1-en")
    assert "Two minutes" in html
    assert "One minute" not in html
    assert services.pending_changes(organisation=org)[0].title == "Counter"
    # Surveys and feedback refer to the touchpoints themselves, which keep their ids across changes.
    assert services.touchpoint_labels(organisation=org) == {counter.id: ("Counter", "Buy")}


def test_the_history_is_scoped_to_the_organisation(org, other_org):
    services.create_value(organisation=org, author=OLIVIA, data=ValueIn(name="Care", why="Core"))
    change = _changes(org)[0]
    assert services.list_changes(organisation=other_org).items == []
    with pytest.raises(NotFound):
        services.get_change(organisation=other_org, charter_change_id=change.id)
    with pytest.raises(NotFound):
        services.compare_versions(organisation=other_org, left="c1", right="c1")


# ---------------------------------------------------------------- pages


def test_history_page_and_compare_page_show_who_why_and_the_differences(owner_client, org):
    owner_client.post("/staff/relationships/values/new/", {"name": "Care", "why": "What we stand for"})
    value = services.get_charter(organisation=org).values[0]
    owner_client.post(f"/staff/relationships/values/{value.id}/", {"name": "Care", "description": "We listen",
                                                                   "why": "Say what it means"})
    history = owner_client.get("/staff/relationships/versions/").content.decode()
    assert "What we stand for" in history
    assert "Say what it means" in history
    assert "owner" in history  # who
    charter = owner_client.get("/staff/relationships/").content.decode()
    assert "Say what it means" in charter  # the latest changes on the charter page
    compare = owner_client.get("/staff/relationships/compare/").content.decode()  # the latest change, the one before
    assert "Change 1 and Change 2: 1 item differs." in compare
    assert "<ins>We listen</ins>" in compare
    everything = owner_client.get("/staff/relationships/compare/?left=c1&right=c2&all=1")
    assert everything.status_code == 200
    assert owner_client.get("/staff/relationships/compare/?left=x&right=c2").status_code == 422
    assert owner_client.get("/staff/relationships/compare/?left=c1&right=c7").status_code == 404


def test_forms_refuse_a_blank_why_naming_the_field_in_english_and_german(owner_client, org):
    response = owner_client.post("/staff/relationships/values/new/", {"name": "Care", "why": " "})
    assert response.status_code == 422
    assert b'data-testid="why-error"' in response.content
    assert b"Say why you make this change" in response.content
    assert services.get_charter(organisation=org).values == []

    owner_client.post("/staff/relationships/values/new/", {"name": "Care", "why": "Core"})
    value = services.get_charter(organisation=org).values[0]
    owner_client.cookies["django_language"] = "de"
    response = owner_client.post(f"/staff/relationships/values/{value.id}/", {"name": "Respekt", "why": ""})
    owner_client.cookies["django_language"] = "en"
    assert response.status_code == 422
    assert "Sagen Sie, warum" in response.content.decode()
    assert "Warum diese Änderung" in response.content.decode()
    # A deletion without a why deletes nothing and says why not.
    response = owner_client.post(f"/staff/relationships/values/{value.id}/delete/", {"why": ""}, follow=True)
    assert "Say why you make this change" in response.content.decode()
    assert [v.name for v in services.get_charter(organisation=org).values] == ["Care"]
    touchpoint_stage = services.create_journey_stage(organisation=org, author=OLIVIA,
                                                     data=JourneyStageIn(name="Buy", why="x"))
    touchpoint = services.create_touchpoint(organisation=org, author=OLIVIA, data=TouchpointIn(
        name="Counter", journey_stage_id=touchpoint_stage.id, why="x"))
    response = owner_client.post(f"/staff/relationships/touchpoints/{touchpoint.id}/", {
        "name": "Till", "journey_stage_id": touchpoint_stage.id})
    assert response.status_code == 422
    assert services.list_touchpoints(organisation=org)[0].name == "Counter"
    owner_client.post(f"/staff/relationships/touchpoints/{touchpoint.id}/expectations/",
                      {"dimension": "speed", "statement": "Fast", "why": ""})
    assert services.get_touchpoint_detail(organisation=org, touchpoint_id=touchpoint.id).expectations == []


# ---------------------------------------------------------------- API


def test_api_edits_say_why_and_show_up_in_the_history(api_client, outsider_api_client, org):
    created = api_client.post("/api/v1/relationships/values", {"name": "Care", "why": "Core"},
                              content_type="application/json")
    assert created.status_code == 201
    value_id = created.json()["id"]
    refused = api_client.put(f"/api/v1/relationships/values/{value_id}", {"name": "Respect", "why": "  "},
                             content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "why"
    assert api_client.delete(f"/api/v1/relationships/values/{value_id}").status_code == 422
    stage = api_client.post("/api/v1/relationships/journey-stages", {"name": "Buy", "why": "Shop"},
                            content_type="application/json").json()
    touchpoint = api_client.post("/api/v1/relationships/touchpoints", {
        "name": "Counter", "journey_stage_id": stage["id"], "channels": ["in_person"], "why": "Most visits"},
        content_type="application/json").json()
    expectation = api_client.post(f"/api/v1/relationships/touchpoints/{touchpoint['id']}/expectations",
                                  {"dimension": "speed", "statement": "Two minutes", "why": "Rate it"},
                                  content_type="application/json")
    assert expectation.status_code == 201
    assert api_client.delete(f"/api/v1/relationships/values/{value_id}?why=Replaced").status_code == 204

    history = api_client.get("/api/v1/relationships/changes").json()
    assert history["total"] == 5
    assert [c["why"] for c in history["items"]] == ["Replaced", "Rate it", "Most visits", "Shop", "Core"]
    assert history["items"][0]["changed_by_name"] == "integration “test integration”"
    latest = history["items"][0]["id"]
    assert api_client.get(f"/api/v1/relationships/changes/{latest}").json()["charter"]["values"] == []
    comparison = api_client.get("/api/v1/relationships/compare?left=c1&right=c5").json()
    assert comparison["changed_count"] == 4  # the value removed; the stage, touchpoint, expectation added
    assert outsider_api_client.get(f"/api/v1/relationships/changes/{latest}").status_code == 404
    assert outsider_api_client.get("/api/v1/relationships/changes").json()["items"] == []
    assert outsider_api_client.delete(f"/api/v1/relationships/journey-stages/{stage['id']}?why=x").status_code == 404
