import pytest

from eyelevel.relationships import services
from eyelevel.relationships.schemas import Author
from tests.factories.relationships import TouchpointFactory

AUTHOR = Author(user_id=None, name="olivia")

pytestmark = pytest.mark.django_db


def test_charter_read_api(api_client, outsider_api_client, owner, org):
    counter = TouchpointFactory(organisation=org, name="Counter")
    TouchpointFactory(organisation=org, name="Hotline")
    charter = api_client.get("/api/v1/relationships/charter").json()
    names = [t["name"] for stage in charter["stages"] for t in stage["touchpoints"]]
    assert sorted(names) == ["Counter", "Hotline"]
    checks = api_client.get("/api/v1/relationships/charter/checks").json()
    assert {c["kind"] for c in checks} == {"touchpoint_without_expectation"}
    assert api_client.get(f"/api/v1/relationships/touchpoints/{counter.pk}").json()["name"] == "Counter"
    assert outsider_api_client.get(f"/api/v1/relationships/touchpoints/{counter.pk}").status_code == 404
    assert outsider_api_client.get("/api/v1/relationships/touchpoints").json() == []


def test_versions_and_comparison_over_the_api(api_client, outsider_api_client, owner, org):
    touchpoint = TouchpointFactory(organisation=org, name="Counter")
    services.publish_charter(organisation=org, user_id=owner.pk, user_name="owner", reason="One")
    services.delete_touchpoint(organisation=org, author=AUTHOR, why="No longer needed", touchpoint_id=touchpoint.pk)
    version = services.publish_charter(organisation=org, user_id=owner.pk, user_name="owner", reason="Two")
    listed = api_client.get("/api/v1/relationships/versions").json()
    assert [v["number"] for v in listed] == [2, 1]
    detail = api_client.get(f"/api/v1/relationships/versions/{version.id}").json()
    assert detail["reason"] == "Two"
    assert detail["charter"]["stages"][0]["touchpoints"] == []
    comparison = api_client.get("/api/v1/relationships/compare?left=1&right=2").json()
    assert [i["status"] for i in comparison["items"] if i["title"] == "Counter"] == ["removed"]
    assert outsider_api_client.get(f"/api/v1/relationships/versions/{version.id}").status_code == 404
    assert outsider_api_client.get("/api/v1/relationships/compare?left=1&right=2").status_code == 404
