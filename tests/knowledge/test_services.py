"""KCS rules: structure, states and licences, flag-or-fix, capture from feedback, search, measures."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from eyelevel.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from eyelevel.core.registry import personal_data_providers
from eyelevel.feedback import services as feedback_services
from eyelevel.feedback.schemas import FeedbackIn
from eyelevel.knowledge import services
from eyelevel.knowledge.models import Article, ArticleLink, SelfServiceEvent
from eyelevel.knowledge.schemas import ArticleIn
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.customers import CustomerFactory
from tests.factories.feedback import FeedbackItemFactory
from tests.factories.knowledge import (
    ArticleFactory,
    ArticleFlagFactory,
    ArticleLinkFactory,
    ArticleVoteFactory,
    SelfServiceEventFactory,
)
from tests.knowledge.conftest import acting

PASSWORD = ArticleIn(
    title="Reset a forgotten password",
    issue="I forgot my password and cannot get into the shop.",
    environment="Web shop, customer account",
    resolution="Choose 'forgot password' on the login page and follow the link in the email.",
    cause="Passwords are stored hashed; nobody can read them out.",
    language="en", visibility="customers",
)


@pytest.fixture
def article(org, agent):  # type: ignore[no-untyped-def]
    return services.create_article(organisation=org, actor=acting(agent, org), data=PASSWORD)


def test_an_article_has_the_kcs_structure_and_metadata(org, agent, article):
    assert article.state == "wip"
    assert not article.published
    assert (article.issue, article.environment, article.cause) == (PASSWORD.issue, PASSWORD.environment,
                                                                    PASSWORD.cause)
    assert article.author_name == article.owner_name == "agent"
    assert article.language == "en"
    assert article.visibility == "customers"
    assert article.reuse_count == 0
    assert article.linked_case_ids == []
    stored = Article.objects.for_organisation(org).get(pk=article.id)
    vector = np.frombuffer(bytes(stored.embedding), dtype=np.float32)
    assert vector.shape == (384,)
    assert abs(float(np.linalg.norm(vector)) - 1) < 1e-3


def test_an_analyst_may_not_write_articles(org, analyst):
    with pytest.raises(PermissionDenied):
        services.create_article(organisation=org, actor=acting(analyst, org), data=PASSWORD)


def test_an_empty_issue_is_refused_naming_the_field(org, agent):
    with pytest.raises(InvalidInput) as error:
        services.create_article(organisation=org, actor=acting(agent, org), data=PASSWORD.model_copy(update={"issue": " "}))
    assert error.value.field == "issue"


def test_states_move_by_licence(org, agent, manager, article):
    as_agent, as_coach = acting(agent, org), acting(manager, org)
    assert services.allowed_transitions(role="agent", state="wip") == ["not_validated"]
    moved = services.transition_article(organisation=org, actor=as_agent, article_id=article.id, state="not_validated")
    assert moved.state == "not_validated"
    with pytest.raises(PermissionDenied):
        services.transition_article(organisation=org, actor=as_agent, article_id=article.id, state="validated")
    validated = services.transition_article(organisation=org, actor=as_coach, article_id=article.id, state="validated")
    assert validated.state == "validated"
    assert validated.validated_at is not None
    with pytest.raises(Conflict):
        services.transition_article(organisation=org, actor=as_coach, article_id=article.id, state="wip")
    archived = services.transition_article(organisation=org, actor=as_coach, article_id=article.id, state="archived")
    assert archived.state == "archived"


def test_only_validated_customer_visible_articles_are_published_by_licensed_staff(org, agent, manager, article):
    as_agent, as_coach = acting(agent, org), acting(manager, org)
    with pytest.raises(PermissionDenied):
        services.publish_article(organisation=org, actor=as_agent, article_id=article.id)
    with pytest.raises(Conflict, match="only validated"):
        services.publish_article(organisation=org, actor=as_coach, article_id=article.id)
    services.transition_article(organisation=org, actor=as_coach, article_id=article.id, state="validated")
    published = services.publish_article(organisation=org, actor=as_coach, article_id=article.id)
    assert published.published
    assert published.published_at is not None
    assert services.get_portal_article(organisation=org, article_id=article.id).id == article.id
    # Back to "not validated": it leaves the portal at once.
    services.transition_article(organisation=org, actor=as_coach, article_id=article.id, state="not_validated")
    with pytest.raises(NotFound):
        services.get_portal_article(organisation=org, article_id=article.id)


def test_internal_articles_cannot_be_published(org, manager):
    as_coach = acting(manager, org)
    internal = services.create_article(organisation=org, actor=as_coach,
                                       data=PASSWORD.model_copy(update={"visibility": "internal"}))
    services.transition_article(organisation=org, actor=as_coach, article_id=internal.id, state="validated")
    with pytest.raises(Conflict) as error:
        services.publish_article(organisation=org, actor=as_coach, article_id=internal.id)
    assert error.value.field == "visibility"


def test_flag_it_or_fix_it(org, agent, manager, article):
    as_agent, as_coach = acting(agent, org), acting(manager, org)
    services.transition_article(organisation=org, actor=as_coach, article_id=article.id, state="validated")
    # A validated article: the agent may not fix it, only flag it; the flag goes to the owner.
    assert not services.may_fix(role="agent", state="validated")
    with pytest.raises(PermissionDenied):
        services.update_article(organisation=org, actor=as_agent, article_id=article.id,
                                data=PASSWORD.model_copy(update={"resolution": "changed"}))
    other_agent = MembershipFactory(organisation=org, role="agent", user=UserFactory(username="ben")).user
    flag = services.flag_article(organisation=org, actor=acting(other_agent, org), article_id=article.id,
                                 comment="The link in the email expires after an hour; say so.")
    inbox = services.list_flags_for_owner(organisation=org, user_id=agent.pk)
    assert [f.id for f in inbox] == [flag.id]
    assert inbox[0].raised_by_name == "ben"
    assert services.get_article(organisation=org, article_id=article.id).open_flags == 1
    with pytest.raises(InvalidInput):
        services.flag_article(organisation=org, actor=as_agent, article_id=article.id, comment="  ")
    # The coach is licensed to fix the validated article; it stays validated.
    fixed = services.update_article(organisation=org, actor=as_coach, article_id=article.id,
                                    data=PASSWORD.model_copy(update={"resolution": "Use the link within one hour."}))
    assert fixed.resolution == "Use the link within one hour."
    assert fixed.state == "validated"
    with pytest.raises(PermissionDenied):
        services.resolve_flag(organisation=org, actor=acting(other_agent, org), article_flag_id=flag.id)
    services.resolve_flag(organisation=org, actor=as_agent, article_flag_id=flag.id)
    assert services.list_flags_for_owner(organisation=org, user_id=agent.pk) == []


def test_capture_from_feedback_counts_first_use_and_reuse(org, agent, manager, item):
    as_agent = acting(agent, org)
    draft = services.draft_from_feedback(organisation=org, feedback_item_id=item.pk)
    assert draft.issue == item.text
    assert draft.title.startswith("My oven timer")
    created = services.create_article_from_feedback(organisation=org, actor=as_agent, feedback_item_id=item.pk,
                                                    data=draft.model_copy(update={"resolution": "Lock the timer."}))
    assert created.reuse_count == 1
    assert created.linked_case_ids == [item.pk]
    similar = FeedbackItemFactory(organisation=org, text="The oven clock resets when the door opens.")
    reused = services.link_article_to_feedback(organisation=org, actor=acting(manager, org), article_id=created.id,
                                               feedback_item_id=similar.pk)
    assert reused.reuse_count == 2
    assert reused.linked_case_ids == [item.pk, similar.pk]
    assert [link.kind for link in services.links_for_feedback(organisation=org, feedback_item_id=similar.pk)] == [
        "reused"]
    with pytest.raises(Conflict):
        services.link_article_to_feedback(organisation=org, actor=as_agent, article_id=created.id,
                                          feedback_item_id=similar.pk)


def test_another_organisations_feedback_item_cannot_be_linked(org, other_org, agent, article):
    foreign = FeedbackItemFactory(organisation=other_org)
    with pytest.raises(NotFound):
        services.link_article_to_feedback(organisation=org, actor=acting(agent, org), article_id=article.id,
                                          feedback_item_id=foreign.pk)


def test_search_finds_by_meaning_and_follows_changes(org, agent, article):
    hits = services.search_articles(organisation=org, query="I can no longer sign in to my account")
    assert hits[0].article_id == article.id
    assert hits[0].meaning_score > 0.8
    # A new article is found at once: the organisation's index refreshes when articles change.
    newer = services.create_article(organisation=org, actor=acting(agent, org), data=ArticleIn(
        title="Öffnungszeiten an Feiertagen", issue="Haben Sie an Feiertagen geöffnet?",
        resolution="An Feiertagen öffnen wir von 8 bis 12 Uhr.", language="de"))
    hits = services.search_articles(organisation=org, query="When are you open on holidays?")
    assert hits[0].article_id == newer.id
    assert [hit.article_id for hit in services.search_articles(organisation=org, query="Feiertag", language="en")] == [
        article.id]


def test_the_portal_searches_only_published_articles(org, other_org, article):
    published = ArticleFactory(organisation=org, title="Reset your password online")
    ArticleFactory(organisation=other_org, title="Reset your password online")
    found = services.search_articles(organisation=org, query="forgot password", audience="portal")
    assert [hit.article_id for hit in found] == [published.id]
    assert article.id in [h.article_id for h in services.search_articles(organisation=org, query="forgot password")]
    with pytest.raises(InvalidInput):
        services.search_articles(organisation=org, query="x", audience="everyone")


def test_suggestions_leave_out_unrelated_articles(org):
    ArticleFactory(organisation=org)  # about an oven timer
    assert services.search_articles(organisation=org, query="oven timer", suggestions_only=True)
    assert services.search_articles(organisation=org, query="Which wines go with fish?", suggestions_only=True) == []


def test_measures(org, agent, manager, customer, item):
    as_agent, as_coach = acting(agent, org), acting(manager, org)
    created = services.create_article_from_feedback(organisation=org, actor=as_agent, feedback_item_id=item.pk,
                                                    data=PASSWORD)
    reused = [FeedbackItemFactory(organisation=org) for _ in range(3)]
    for case in reused:
        services.link_article_to_feedback(organisation=org, actor=as_agent, article_id=created.id,
                                          feedback_item_id=case.pk)
    # Articles per solved case counts the cases closed in the period, not every item received.
    for case in (item, reused[0]):
        feedback_services.mark_solved(organisation=org, feedback_item_id=case.pk, outcome="Lock the timer.",
                                      user_id=agent.pk, user_name="agent")
    FeedbackItemFactory(organisation=org, status="done", received_at=timezone.now() - timedelta(days=210),
                        closed_at=timezone.now() - timedelta(days=200))
    services.transition_article(organisation=org, actor=as_coach, article_id=created.id, state="validated")
    services.publish_article(organisation=org, actor=as_coach, article_id=created.id)
    Article.objects.for_organisation(org).filter(pk=created.id).update(created_at=timezone.now() - timedelta(hours=10))
    services.review_article(organisation=org, actor=as_coach, article_id=created.id,
                            passed=["customer_words", "complete", "clear"])
    with pytest.raises(PermissionDenied):
        services.review_article(organisation=org, actor=as_agent, article_id=created.id, passed=[])
    with pytest.raises(InvalidInput):
        services.review_article(organisation=org, actor=as_coach, article_id=created.id, passed=["pretty"])
    # Self-service: one customer found the answer and did not ask; another found it and asked anyway.
    assert services.record_suggestions_shown(organisation=org, customer_id=customer.pk, query="forgot my password")
    services.vote_on_article(organisation=org, customer_id=customer.pk, article_id=created.id, helped=True)
    other = CustomerFactory(organisation=org)
    services.record_suggestions_shown(organisation=org, customer_id=other.pk, query="forgot my password")
    services.record_answered(organisation=org, customer_id=other.pk, article_id=created.id)
    feedback_services.record_feedback(organisation=org, data=FeedbackIn(text="Still cannot log in", channel="portal",
                                                                        customer_id=other.pk))
    measures = services.compute_measures(organisation=org)
    assert (measures.created_from_cases, measures.reuses, measures.links) == (1, 3, 4)
    assert measures.reuse_rate == 0.75
    assert measures.solved_cases == 2  # of 5 items received in the period (and one solved long before it)
    assert measures.articles_per_solved_case == 0.5
    assert 9.9 < measures.median_hours_to_publish < 10.1
    assert measures.quality_index == 0.5
    assert measures.reviews == 1
    assert (measures.self_service_sessions, measures.self_service_successes) == (2, 1)
    assert measures.self_service_success_rate == 0.5
    assert measures.helpful_votes == 1
    assert sum(week.created + week.reused for week in measures.weeks) == 4
    assert services.measures_chart_svg(measures=measures).startswith("<svg")


def test_review_sample_skips_recently_reviewed_and_archived(org, manager):
    fresh, reviewed = ArticleFactory(organisation=org), ArticleFactory(organisation=org)
    ArticleFactory(organisation=org, state="archived", published=False)
    services.review_article(organisation=org, actor=acting(manager, org), article_id=reviewed.pk, passed=[])
    assert [a.id for a in services.pick_review_sample(organisation=org, seed=1)] == [fresh.pk]


def test_personal_data_export_and_erasure(org, customer):
    vote = ArticleVoteFactory(organisation=org, customer=customer, query="oven timer")
    SelfServiceEventFactory(organisation=org, customer=customer)
    kept = ArticleVoteFactory(organisation=org)
    provider = next(p for p in personal_data_providers() if p.domain == "knowledge")
    exported = provider.exporter(org.pk, customer.pk)
    assert exported["article_votes"][0]["article_id"] == vote.article_id
    assert len(exported["self_service_events"]) == 1
    assert provider.eraser(org.pk, customer.pk) == 2
    assert provider.exporter(org.pk, customer.pk) == {"article_votes": [], "self_service_events": []}
    assert SelfServiceEvent.objects.for_organisation(org).count() == 0
    assert services.export_customer_data(org.pk, kept.customer_id)["article_votes"]


def test_a_withdrawn_article_leaves_the_cached_portal_index_at_once(org, manager, article):
    as_coach = acting(manager, org)
    services.transition_article(organisation=org, actor=as_coach, article_id=article.id, state="validated")
    services.publish_article(organisation=org, actor=as_coach, article_id=article.id)
    assert [h.article_id for h in services.search_articles(organisation=org, query="forgot password",
                                                           audience="portal")] == [article.id]
    services.unpublish_article(organisation=org, actor=as_coach, article_id=article.id)
    assert services.search_articles(organisation=org, query="forgot password", audience="portal") == []


def test_listing_articles_takes_the_same_queries_for_one_or_many(org, django_assert_max_num_queries):
    for article in ArticleFactory.create_batch(5, organisation=org):
        ArticleLinkFactory.create_batch(2, organisation=org, article=article)
        ArticleFlagFactory(organisation=org, article=article)
    with django_assert_max_num_queries(3):  # count, page (people and flags joined), linked cases
        page = services.list_articles(organisation=org)
    assert page.total == 5
    assert {(a.reuse_count, len(a.linked_case_ids), a.open_flags) for a in page.items} == {(2, 2, 1)}


def test_weekly_counts_put_each_link_in_its_week(org, agent, item):
    created = services.create_article_from_feedback(organisation=org, actor=acting(agent, org),
                                                    feedback_item_id=item.pk, data=PASSWORD)
    services.link_article_to_feedback(organisation=org, actor=acting(agent, org), article_id=created.id,
                                      feedback_item_id=FeedbackItemFactory(organisation=org).pk)
    reuse = ArticleLink.objects.for_organisation(org).get(kind="reused")
    ArticleLink.objects.for_organisation(org).filter(pk=reuse.pk).update(created_at=timezone.now() - timedelta(weeks=1))
    weeks = services.compute_measures(organisation=org).weeks
    assert [(w.created, w.reused) for w in weeks[-2:]] == [(0, 1), (1, 0)]
    assert sum(w.created + w.reused for w in weeks[:-2]) == 0


def test_self_service_success_asks_feedback_once_for_many_customers(org, django_assert_max_num_queries):
    now = timezone.now()
    customers = CustomerFactory.create_batch(40, organisation=org)
    for n, customer in enumerate(customers):
        SelfServiceEventFactory(organisation=org, customer=customer, kind="suggested")
        SelfServiceEventFactory(organisation=org, customer=customer, kind="answered")
        if n % 4 == 1:  # asked anyway, within the window: no success
            FeedbackItemFactory(organisation=org, customer=customer, received_at=now + timedelta(hours=2))
        elif n % 4 == 2:  # asked again only after the window: still a success
            FeedbackItemFactory(organisation=org, customer=customer, received_at=now + timedelta(hours=30))
        elif n % 4 == 3:  # had asked before finding the answer: still a success
            FeedbackItemFactory(organisation=org, customer=customer, received_at=now - timedelta(hours=1))
    SelfServiceEventFactory(organisation=org, customer=None, kind="answered")  # erased customer: kept as a success
    with django_assert_max_num_queries(11):  # the same for one customer or forty: feedback is asked once
        measures = services.compute_measures(organisation=org)
    assert measures.self_service_sessions == 41
    assert measures.self_service_successes == 40 - 10 + 1


def test_personal_data_from_the_customers_words_stops_publication(org, agent, manager):  # type: ignore[no-untyped-def]
    """Rule 1: an article drafted from a customer's message must not carry their name or contact data to the
    portal; the publisher sees what and where, fixes it, and only then publishes."""
    as_agent, as_coach = acting(agent, org), acting(manager, org)
    anna = CustomerFactory(organisation=org, display_name="Anna Bergmann", email="anna.b@example.org")
    item = FeedbackItemFactory(organisation=org, customer=anna, text=(
        "Hello, Anna Bergmann here. My oven timer resets when I open the door. "
        "Call me on 0171 2345678 or write to anna.b@example.org."))
    draft = services.draft_from_feedback(organisation=org, feedback_item_id=item.pk)
    created = services.create_article_from_feedback(
        organisation=org, actor=as_agent, feedback_item_id=item.pk,
        data=draft.model_copy(update={"title": "Oven timer resets", "resolution": "Hold the timer button.",
                                      "visibility": "public"}))
    services.transition_article(organisation=org, actor=as_coach, article_id=created.id, state="validated")
    found = services.personal_data_in_article(organisation=org, article_id=created.id)
    assert {(f.field, f.kind) for f in found} == {("issue", "name"), ("issue", "phone"), ("issue", "email")}
    with pytest.raises(Conflict) as refused:
        services.publish_article(organisation=org, actor=as_coach, article_id=created.id)
    assert refused.value.field == "issue"
    assert {e["message"] for e in refused.value.errors} >= {"phone: 0171 2345678", "email: anna.b@example.org"}
    assert not services.get_article(organisation=org, article_id=created.id).published

    # Fixed in the customer's words, without who they are: it is published.
    fixed = draft.model_copy(update={"title": "Oven timer resets", "resolution": "Hold the timer button.",
                                     "issue": "My oven timer resets when I open the door.", "visibility": "public"})
    services.update_article(organisation=org, actor=as_coach, article_id=created.id, data=fixed)
    assert services.publish_article(organisation=org, actor=as_coach, article_id=created.id).published

    # A fix to the published article may not bring the surname back; the article stays as it was.
    with pytest.raises(InvalidInput) as unsaved:
        services.update_article(organisation=org, actor=as_coach, article_id=created.id, data=fixed.model_copy(
            update={"resolution": "Mrs Bergmann found it: hold the timer button."}))
    assert unsaved.value.field == "resolution"
    assert services.get_article(organisation=org, article_id=created.id).resolution == "Hold the timer button."


def test_the_publisher_may_confirm_what_only_looks_personal(org, manager):  # type: ignore[no-untyped-def]
    as_coach = acting(manager, org)
    hotline = services.create_article(organisation=org, actor=as_coach, data=PASSWORD.model_copy(
        update={"resolution": "Call our service line 0800 123 4567 and we send a new link."}))
    services.transition_article(organisation=org, actor=as_coach, article_id=hotline.id, state="validated")
    with pytest.raises(Conflict):
        services.publish_article(organisation=org, actor=as_coach, article_id=hotline.id)
    assert services.publish_article(organisation=org, actor=as_coach, article_id=hotline.id,
                                    confirmed_not_personal=True).published
    # Later fixes keep the confirmed number; a new one needs taking the article out of the portal first.
    kept = PASSWORD.model_copy(update={"resolution": "Call our service line 0800 123 4567 (free of charge)."})
    assert services.update_article(organisation=org, actor=as_coach, article_id=hotline.id, data=kept).published
    with pytest.raises(InvalidInput):
        services.update_article(organisation=org, actor=as_coach, article_id=hotline.id, data=kept.model_copy(
            update={"cause": "Mail from lena@example.com bounced."}))


def test_erasure_removes_the_customers_name_from_articles_quoting_them(org, agent):  # type: ignore[no-untyped-def]
    """Rule 1: an article drafted from a customer's message may still quote who they are (an internal draft is
    not checked); their export lists it, and their erasure takes their name and address out of its text."""
    from eyelevel.customers import services as customer_services

    anna = CustomerFactory(organisation=org, display_name="Anna  Bergmann", email="anna.b@example.org")
    quoting = ArticleFactory(organisation=org, published=False, state="wip", visibility="internal",
                             issue="Hello, anna bergmann here. The timer resets. Write to Anna.B@example.org.")
    other = ArticleFactory(organisation=org, issue="The timer resets when I open the door.")
    exported = customer_services.export_customer_data(organisation=org, customer_id=anna.pk)
    assert [a["article_id"] for a in exported["domains"]["knowledge"]["articles_quoting_you"]] == [quoting.pk]
    customer_services.erase_customer(organisation=org, customer_id=anna.pk, requested_via="staff")
    quoting.refresh_from_db()
    assert quoting.issue == "Hello, […] here. The timer resets. Write to […]."
    other.refresh_from_db()
    assert other.issue == "The timer resets when I open the door."
    hits = services.search_articles(organisation=org, query="anna bergmann", audience="staff")
    assert all("Bergmann" not in hit.snippet for hit in hits)
