"""Feedback services: intake, classification, routing, actions, closing the loop, notes."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from eyelevel.core.errors import Conflict, InvalidInput
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


def test_action_on_many_items_acknowledges_and_tells_each_customer_the_outcome(org, agent, customer) -> None:  # type: ignore[no-untyped-def]
    from tests.factories.customers import CustomerFactory

    other = CustomerFactory(organisation=org, email="max@example.com", language="de")
    items = [FeedbackItemFactory(organisation=org, customer=c) for c in (customer, other)]
    anonymous = FeedbackItemFactory(organisation=org, customer=None)
    mail.outbox.clear()
    with django_capture_on_commit():
        action = services.create_action(organisation=org, user_id=agent.pk, user_name="agent", data=ActionIn(
            title="Warm coffee again", feedback_item_ids=[i.pk for i in items] + [anonymous.pk]))
    assert action.item_count == 3
    stored = FeedbackItem.objects.for_organisation(org).get(pk=items[0].pk)
    assert stored.status == "in_action"
    assert stored.acknowledged_at is not None
    assert stored.owner_id == agent.pk
    assert len(mail.outbox) == 2  # the anonymous item has no one to tell
    assert all(m.extra_headers["X-Eyelevel-Automated"] == "yes" for m in mail.outbox)  # a filled-in template
    assert "Antworten auf Ihr Feedback" in mail.outbox[0].body or "Answers to your feedback" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit():
        services.complete_action(organisation=org, action_id=action.id, outcome="We bought a new coffee machine.",
                                 user_name="agent")
    assert len(mail.outbox) == 2
    assert all(m.extra_headers["X-Eyelevel-Automated"] == "no" for m in mail.outbox)  # a person wrote the outcome
    assert "We bought a new coffee machine." in mail.outbox[0].body
    assert {m.subject for m in mail.outbox} >= {"You said, we did: Warm coffee again"}
    mine = services.list_customer_feedback(organisation=org, customer_id=customer.pk)
    assert mine[0].status == "done"
    assert mine[0].outcomes == ["We bought a new coffee machine."]
    public = services.list_public_actions(organisation=org)
    assert public[0].voices == 3
    with pytest.raises(Conflict):
        services.complete_action(organisation=org, action_id=action.id, outcome="again")


def django_capture_on_commit():  # type: ignore[no-untyped-def]
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_automated_acknowledgement_is_labelled_automated(org, customer) -> None:  # type: ignore[no-untyped-def]
    from eyelevel.messaging import services as messaging

    item = FeedbackItemFactory(organisation=org, customer=customer)
    services.acknowledge_item(organisation=org, feedback_item_id=item.pk, user_id=None)
    sent = messaging.messages_of(organisation=org, customer_id=customer.pk)
    assert sent[0].automated
    assert sent[0].sender_name == org.name
    assert sent[0].reason
    with pytest.raises(Conflict):
        services.acknowledge_item(organisation=org, feedback_item_id=item.pk, user_id=None)


def test_contemptuous_note_is_shown_first_then_flagged_and_counted(org, agent) -> None:  # type: ignore[no-untyped-def]
    item = FeedbackItemFactory(organisation=org)
    check = services.add_note(organisation=org, user_id=agent.pk, team="service", feedback_item_id=item.pk,
                              text="Typical whiner, the customer is so annoying")
    assert check.phrases
    assert check.suggestions
    assert services.list_notes(organisation=org, feedback_item_id=item.pk) == []
    saved = services.add_note(organisation=org, user_id=agent.pk, team="service", feedback_item_id=item.pk,
                              text="Typical whiner, the customer is so annoying", confirm=True)
    assert saved.flagged
    fine = services.add_note(organisation=org, user_id=agent.pk, team="service", feedback_item_id=item.pk,
                             text="Called back, replacement sent")
    assert not fine.flagged
    assert services.contempt_by_team(organisation=org) == {"service": 1}


def test_overdue_items_escalate_to_a_manager(org, manager, agent, mailoutbox,
                                             django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    services.set_deadline(organisation=org, urgency="normal", acknowledge_hours=1, action_hours=2)
    old = services.record_feedback(organisation=org, data=FeedbackIn(
        text="Nobody answers", received_at=timezone.now() - timedelta(hours=3)), classify=False)
    fresh = services.record_feedback(organisation=org, data=FeedbackIn(text="Just now"), classify=False)
    with django_capture_on_commit_callbacks(execute=True):
        escalated = services.escalate_overdue(organisation=org)
    assert escalated == [old.id]
    stored = FeedbackItem.objects.for_organisation(org).get(pk=old.id)
    assert stored.escalated_to_id == manager.pk
    assert [message.to for message in mailoutbox] == [[manager.email]]  # the manager is told, with the link
    assert "1 feedback item is overdue" in mailoutbox[0].subject
    assert f"/feedback/items/{old.id}/" in mailoutbox[0].body
    assert "Nobody answers" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue(organisation=org) == []  # once only
    assert len(mailoutbox) == 1
    assert FeedbackItem.objects.for_organisation(org).get(pk=fresh.id).escalated_at is None


def test_public_form_refuses_bots_and_floods(org) -> None:  # type: ignore[no-untyped-def]
    from django.core import signing
    from django.core.cache import cache

    from eyelevel.feedback.services.intake import PUBLIC_FORM_SALT

    cache.clear()
    old_token = signing.dumps(0.0 + __import__("time").time() - 60, salt=PUBLIC_FORM_SALT)
    with pytest.raises(InvalidInput) as error:
        services.submit_public_feedback(organisation=org, text="buy pills", token=old_token, honeypot="http://spam",
                                        client="1.2.3.4")
    assert error.value.field == "website"
    with pytest.raises(InvalidInput) as error:
        services.submit_public_feedback(organisation=org, text="hi", token=services.public_form_token(), honeypot="",
                                        client="1.2.3.4")
    assert error.value.field == "token"
    for n in range(5):
        item = services.submit_public_feedback(organisation=org, text=f"The lift is broken {n}", token=old_token,
                                               honeypot="", client="1.2.3.4")
        assert item.customer_id is None
        assert item.channel == "public_form"
    with pytest.raises(InvalidInput):
        services.submit_public_feedback(organisation=org, text="again", token=old_token, honeypot="", client="1.2.3.4")
    cache.clear()


def test_erasure_keeps_aggregates_without_identity(org, customer) -> None:  # type: ignore[no-untyped-def]
    from eyelevel.feedback.services.personal_data import erase_feedback, export_feedback

    item = FeedbackItemFactory(organisation=org, customer=customer, text="My name is Lena and the bread was stale")
    exported = export_feedback(org.pk, customer.pk)
    assert exported["feedback_items"][0]["text"].startswith("My name is Lena")
    assert erase_feedback(org.pk, customer.pk) == 1
    stored = FeedbackItem.objects.for_organisation(org).get(pk=item.pk)
    assert stored.customer_id is None
    assert "Lena" not in stored.text
    assert stored.sentiment == "negative"
    assert services.feedback_count(organisation_id=org.pk) == 1
    assert export_feedback(org.pk, customer.pk) == {"feedback_items": []}


def test_the_customers_export_and_erasure_include_their_feedback(org, customer) -> None:  # type: ignore[no-untyped-def]
    from eyelevel.customers import services as customers

    item = FeedbackItemFactory(organisation=org, customer=customer, text="Lena here: the rolls were burnt",
                               order_ref="R-9")
    exported = customers.export_customer_data(organisation=org, customer_id=customer.pk)
    assert [(i["id"], i["order_ref"]) for i in exported["domains"]["feedback"]["feedback_items"]] == [(item.pk, "R-9")]
    erased = customers.erase_customer(organisation=org, customer_id=customer.pk, requested_via="portal")
    assert erased.rows_erased["feedback"] == 1
    stored = FeedbackItem.objects.for_organisation(org).get(pk=item.pk)
    assert (stored.customer_id, stored.order_ref, stored.anonymised) == (None, "", True)
    assert "Lena" not in stored.text


def test_rules_route_by_language_and_urgency_to_a_team_with_each_urgencys_deadlines(org, manager) -> None:  # type: ignore[no-untyped-def]
    from eyelevel.feedback.services import routing

    services.set_deadline(organisation=org, urgency="critical", acknowledge_hours=1, action_hours=4)
    services.create_rule(organisation=org, data=RoutingRuleIn(
        name="Urgent German", position=1, language="de", urgency="critical", team="Leitstelle"))
    services.create_rule(organisation=org, data=RoutingRuleIn(name="English", position=2, language="en",
                                                              owner_id=manager.pk))
    now = timezone.now()
    urgent_de, calm_de, urgent_en = (FeedbackItem(organisation=org, text="x", language=language, urgency=urgency,
                                                  received_at=now)
                                     for language, urgency in (("de", "critical"), ("de", "low"), ("en", "critical")))
    routing.route_items([urgent_de, calm_de, urgent_en])
    assert (urgent_de.team, urgent_de.owner_id) == ("Leitstelle", None)  # a team as owner
    assert (urgent_de.acknowledge_due - now, urgent_de.action_due - now) == (timedelta(hours=1), timedelta(hours=4))
    assert (calm_de.team, calm_de.owner_id, calm_de.routing_rule_id) == ("", None, None)  # no rule matches
    assert (calm_de.acknowledge_due - now, calm_de.action_due - now) == (timedelta(hours=72), timedelta(hours=336))
    assert (urgent_en.team, urgent_en.owner_id) == ("", manager.pk)  # critical, but not German
    assert urgent_en.action_due - now == timedelta(hours=4)


def test_completing_an_action_closes_every_item_and_tells_a_customer_once(org, agent, customer) -> None:  # type: ignore[no-untyped-def]
    from eyelevel.messaging import services as messaging

    items = [FeedbackItemFactory(organisation=org, customer=customer) for _ in range(3)]
    action = services.create_action(organisation=org, user_id=agent.pk, user_name="agent", data=ActionIn(
        title="Heating", feedback_item_ids=[i.pk for i in items]))
    told_before = len(messaging.messages_of(organisation=org, customer_id=customer.pk))
    services.complete_action(organisation=org, action_id=action.id, outcome="The heating is fixed.", user_name="agent")
    stored = FeedbackItem.objects.for_organisation(org).filter(pk__in=[i.pk for i in items])
    assert {(s.status, s.closed_at is not None) for s in stored} == {("done", True)}
    sent = messaging.messages_of(organisation=org, customer_id=customer.pk)
    assert len(sent) - told_before == 1  # one outcome per customer, however many of their items the action answers
    assert all(m.reason for m in sent)
    assert [i.id for i in services.list_action_items(organisation=org, action_id=action.id)] == \
        services.action_item_ids(organisation=org, action_id=action.id)


def test_the_inbox_aspect_filter_matches_a_category_or_a_full_label(org) -> None:  # type: ignore[no-untyped-def]
    from eyelevel.feedback.schemas import FeedbackFilter

    sub = FeedbackItemFactory(organisation=org, aspects=[{"label": "Zugfahrt#Verspätung", "polarity": "negative"}])
    FeedbackItemFactory(organisation=org, aspects=[{"label": "Service", "polarity": "positive"}])
    for label in ("Zugfahrt", "Zugfahrt#Verspätung"):
        found = services.search_feedback(organisation=org, filters=FeedbackFilter(aspect=label))
        assert [i.id for i in found.items] == [sub.pk]


def test_a_customer_with_several_items_in_one_action_gets_one_acknowledgement_and_one_outcome(  # type: ignore[no-untyped-def]
        org, agent, customer) -> None:
    from eyelevel.feedback.models import OutcomeNotice
    from eyelevel.messaging import services as messaging
    from eyelevel.messaging.models import Message
    from tests.factories.customers import CustomerFactory

    other = CustomerFactory(organisation=org, email="max@example.com", language="de")
    mine = [FeedbackItemFactory(organisation=org, customer=customer, text=text,
                                received_at=timezone.now() - timedelta(days=days)) for days, text in (
        (3, "The heating in the waiting room is broken again and nobody seems to care about it at all"),
        (2, "Cold waiting room"), (1, "Please fix the heating"))]
    theirs = FeedbackItemFactory(organisation=org, customer=other, text="Die Heizung im Wartesaal ist kaputt")
    ids = [i.pk for i in [*mine, theirs]]

    def sent_to(person):  # type: ignore[no-untyped-def]
        return messaging.messages_of(organisation=org, customer_id=person.pk)

    action = services.create_action(organisation=org, user_id=agent.pk, user_name="agent", data=ActionIn(
        title="Heating", feedback_item_ids=ids))
    [acknowledgement] = sent_to(customer)
    assert acknowledgement.automated
    assert acknowledgement.reason
    body = Message.objects.for_organisation(org).get(pk=acknowledgement.id).body
    assert "these 3 items" in body
    for item in mine:  # each named by its date and first words
        assert f"{timezone.localdate(item.received_at).isoformat()}: “{item.text.split()[0]}" in body
    assert "and nobody seems …”" in body
    assert "care" not in body
    assert len(sent_to(other)) == 1
    stored = FeedbackItem.objects.for_organisation(org).filter(pk__in=ids)
    assert all(s.acknowledged_at and s.status == "in_action" for s in stored)
    # Taken into a second action, or taken on by hand: no second acknowledgement.
    services.create_action(organisation=org, user_id=agent.pk, data=ActionIn(title="Also", feedback_item_ids=ids[:1]))
    with pytest.raises(Conflict):
        services.acknowledge_item(organisation=org, feedback_item_id=ids[0], user_id=agent.pk)
    assert (len(sent_to(customer)), len(sent_to(other))) == (1, 1)

    services.complete_action(organisation=org, action_id=action.id, outcome="New radiators.", user_name="agent")
    outcome = sent_to(customer)[0]
    assert len(sent_to(customer)) == 2
    assert outcome.subject == "You said, we did: Heating"
    body = Message.objects.for_organisation(org).get(pk=outcome.id).body
    assert "New radiators." in body
    assert all(item.text.split()[0] in body for item in mine)
    german = sent_to(other)[0]
    assert len(sent_to(other)) == 2
    assert german.subject == "Sie sagten, wir taten: Heating"
    assert ": „Die Heizung im Wartesaal ist kaputt“" in Message.objects.for_organisation(org).get(pk=german.id).body
    notices = OutcomeNotice.objects.for_organisation(org).filter(action_id=action.id)
    assert sorted(n.item_id for n in notices) == sorted(ids)  # every item records that it was told, and in which
    assert {n.message_id for n in notices} == {outcome.id, german.id}
    with pytest.raises(Conflict):
        services.complete_action(organisation=org, action_id=action.id, outcome="again")
    assert (len(sent_to(customer)), len(sent_to(other))) == (2, 2)
    portal = services.list_customer_feedback(organisation=org, customer_id=customer.pk)
    assert [(i.status, i.outcomes) for i in portal] == [("done", ["New radiators."])] * 3


def test_feedback_times_of_many_customers_in_few_queries(org, other_org, customer, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    inside = [FeedbackItemFactory(organisation=org, customer=customer, received_at=now - timedelta(hours=h))
              for h in (1, 3)]
    FeedbackItemFactory(organisation=org, customer=customer, received_at=now - timedelta(days=3))  # before the window
    stranger = FeedbackItemFactory(organisation=other_org, received_at=now)
    ids = [customer.pk, stranger.customer_id, *range(10**6, 10**6 + 2000)]  # a long list is read in chunks
    with django_assert_num_queries(3):
        times = services.feedback_times_of_customers(organisation=org, customer_ids=ids,
                                                     since=now - timedelta(days=1), until=now)
    assert times == {customer.pk: [inside[1].received_at, inside[0].received_at]}


def test_loading_the_feedback_services_does_not_load_the_text_models() -> None:
    """Every process loads feedback.services at start-up; scikit-learn and scipy.stats wait until first use."""
    import os
    import subprocess
    import sys

    code = ("import sys, django; django.setup(); import eyelevel.feedback.services, eyelevel.feedback.services.insights; "
            "print(sorted(m for m in ('sklearn', 'scipy.stats') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings_for_tests"})
    assert result.stdout.strip() == "[]"
