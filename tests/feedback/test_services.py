"""Feedback services: intake, classification, routing, actions, closing the loop, notes."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from eyelevel.core.errors import Conflict, InvalidInput, NotFound
from eyelevel.feedback import services
from eyelevel.feedback.models import FeedbackItem
from eyelevel.feedback.schemas import ActionIn, AspectOut, FeedbackIn, RoutingRuleIn
from tests.factories.feedback import FeedbackItemFactory


def test_classify_text_uses_the_shipped_models(org) -> None:  # type: ignore[no-untyped-def]
    result = services.classify_text(organisation=org, text="Der Zug war schon wieder eine Stunde zu spät!")
    assert result.language == "de"
    assert result.sentiment == "negative"
    assert result.model == "default"
    assert result.urgency in {"normal", "high"}
    with pytest.raises(InvalidInput):
        services.classify_text(organisation=org, text="  ")


def test_record_feedback_classifies_and_routes(org, manager) -> None:  # type: ignore[no-untyped-def]
    services.create_rule(organisation=org, data=RoutingRuleIn(name="Delays", aspect="Zugfahrt", owner_id=manager.pk))
    item = services.record_feedback(organisation=org, data=FeedbackIn(
        text="The train was cancelled and I missed my connection", channel="api"))
    assert item.language == "en"
    assert item.sentiment == "negative"
    assert "Zugfahrt" in [a.label for a in item.aspects]
    assert item.owner_id == manager.pk
    assert item.acknowledge_due is not None
    assert item.action_due > item.acknowledge_due


def test_record_feedback_refuses_a_repeated_reference_and_foreign_customer(org, other_org) -> None:  # type: ignore[no-untyped-def]
    from tests.factories.customers import CustomerFactory

    services.record_feedback(organisation=org, data=FeedbackIn(text="ok", external_ref="x-1"), classify=False)
    with pytest.raises(Conflict):
        services.record_feedback(organisation=org, data=FeedbackIn(text="ok", external_ref="x-1"), classify=False)
    stranger = CustomerFactory(organisation=other_org)
    with pytest.raises(InvalidInput) as error:
        services.record_feedback(organisation=org, data=FeedbackIn(text="hi", customer_id=stranger.pk))
    assert error.value.field == "customer_id"


def test_label_correction_is_kept_and_retraining_uses_it(org, agent) -> None:  # type: ignore[no-untyped-def]
    services.define_aspect(organisation=org, label="Opening hours")
    items = [FeedbackItemFactory(organisation=org, text=text) for text in (
        "You close far too early on Saturdays", "Please open earlier in the morning",
        "Die Öffnungszeiten am Samstag sind zu kurz")]
    for item in items:
        services.correct_label(organisation=org, feedback_item_id=item.pk, user_id=agent.pk, sentiment="negative",
                               aspects=[AspectOut(label="Opening hours", polarity="negative")])
    stored = FeedbackItem.objects.for_organisation(org).get(pk=items[0].pk)
    assert stored.labels_corrected
    assert stored.corrections.count() == 2
    assert "Opening hours" in services.list_aspect_labels(organisation=org)
    summary = services.retrain_organisation(organisation=org)
    assert summary["corrections"] == 3
    assert "Opening hours" in summary["aspect_labels"]
    result = services.classify_text(organisation=org, text="Your opening hours on Saturday are too short")
    assert result.model == "organisation"
    assert "Opening hours" in [a.label for a in result.aspects]
