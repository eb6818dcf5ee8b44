"""Feedback over the REST API; another organisation's objects are 404."""

import json

from eyelevel.feedback.models import FeedbackItem
from tests.factories.feedback import FeedbackItemFactory


def _post(client, path, payload):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(payload), content_type="application/json")


def test_submit_classifies_and_refuses_bad_input(api_client, outsider_api_client, org, customer) -> None:  # type: ignore[no-untyped-def]
    response = _post(api_client, "/api/v1/feedback/items", {"text": "The toilets were filthy", "customer_id": customer.pk})
    assert response.status_code == 201
    body = response.json()
    assert body["channel"] == "api"
    assert body["sentiment"] == "negative"
    assert body["language"] == "en"
    assert "Toiletten" in [a["label"] for a in body["aspects"]]
    assert _post(api_client, "/api/v1/feedback/items", {"text": ""}).status_code == 422
    foreign = _post(outsider_api_client, "/api/v1/feedback/items", {"text": "hi", "customer_id": customer.pk})
    assert foreign.status_code == 422
    assert foreign.json()["errors"][0]["field"] == "customer_id"
    assert outsider_api_client.get(f"/api/v1/feedback/items/{body['id']}").status_code == 404


def test_list_read_correct_and_classify(api_client, outsider_api_client, org) -> None:  # type: ignore[no-untyped-def]
    item = FeedbackItemFactory(organisation=org)
    assert api_client.get("/api/v1/feedback/items?sentiment=negative").json()["total"] == 1
    assert outsider_api_client.get("/api/v1/feedback/items").json()["total"] == 0
    corrected = _post(api_client, f"/api/v1/feedback/items/{item.pk}/labels", {"sentiment": "positive"})
    assert corrected.json()["sentiment"] == "positive"
    assert FeedbackItem.objects.for_organisation(org).get(pk=item.pk).labels_corrected
    assert _post(outsider_api_client, f"/api/v1/feedback/items/{item.pk}/labels", {"sentiment": "neutral"}).status_code == 404
    classified = _post(api_client, "/api/v1/feedback/classify", {"text": "Danke, sehr freundliches Personal!"})
    assert classified.json()["sentiment"] == "positive"
    assert classified.json()["language"] == "de"


def test_actions_over_the_api(api_client, outsider_api_client, org) -> None:  # type: ignore[no-untyped-def]
    item = FeedbackItemFactory(organisation=org, customer=None)
    assert _post(outsider_api_client, "/api/v1/feedback/actions", {"title": "x", "feedback_item_ids": [item.pk]}).status_code == 404
    action = _post(api_client, "/api/v1/feedback/actions", {"title": "Fix it", "feedback_item_ids": [item.pk]})
    assert action.status_code == 201
    action_id = action.json()["id"]
    assert _post(outsider_api_client, f"/api/v1/feedback/actions/{action_id}/complete", {"outcome": "x"}).status_code == 404
    done = _post(api_client, f"/api/v1/feedback/actions/{action_id}/complete", {"outcome": "Fixed"})
    assert done.json()["status"] == "done"
    assert _post(api_client, f"/api/v1/feedback/actions/{action_id}/complete", {"outcome": "Again"}).status_code == 409
