"""Rule 2 for feedback: a customer's own words are personal data; staff and integrations reading them are logged."""

from eyelevel.customers import services as customers
from tests.factories.feedback import FeedbackItemFactory


def test_opening_a_customers_feedback_item_is_logged(org, customer, agent_client):
    item = FeedbackItemFactory(organisation=org, customer=customer)
    assert agent_client.get(f"/staff/feedback/items/{item.pk}/").status_code == 200
    log = customers.access_log_of(organisation=org, customer_id=customer.pk)
    assert log.total == 1
    assert log.items[0].actor_label == "agent"
    assert "feedback" in log.items[0].reason


def test_anonymous_feedback_writes_no_entry(org, customer, agent_client):
    item = FeedbackItemFactory(organisation=org, customer=None)
    assert agent_client.get(f"/staff/feedback/items/{item.pk}/").status_code == 200
    assert customers.access_log_of(organisation=org, customer_id=customer.pk).total == 0


def test_api_reads_of_feedback_are_logged_with_the_tokens_reason(org, customer, api_client):
    item = FeedbackItemFactory(organisation=org, customer=customer)
    assert api_client.get(f"/api/v1/feedback/items/{item.pk}").status_code == 200
    assert api_client.get("/api/v1/feedback/items").status_code == 200
    log = customers.access_log_of(organisation=org, customer_id=customer.pk)
    assert log.total == 2
    assert {entry.reason for entry in log.items} == {"syncing the shop system"}
