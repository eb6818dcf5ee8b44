"""Staff and portal pages of the knowledge base; the outsider sees 404 everywhere."""

import pytest

from eyelevel.knowledge import services
from eyelevel.knowledge.models import Article, ArticleLink, EventKind, SelfServiceEvent
from tests.conftest import portal_client_for
from tests.factories.customers import CustomerFactory
from tests.factories.feedback import FeedbackItemFactory
from tests.factories.knowledge import ArticleFactory, ArticleFlagFactory

FORM = {"title": "Oven timer resets", "issue": "The timer goes back to zero when I open the door.",
        "environment": "Oven B-200", "resolution": "Hold the timer button for three seconds.", "cause": "",
        "language": "en", "visibility": "customers"}


def test_staff_list_shows_articles_and_my_flags(org, agent, agent_client, outsider_client):
    mine = ArticleFactory(organisation=org, title="Oven timer resets", owner=agent)
    ArticleFlagFactory(organisation=org, article=mine, comment="Mention model B-300 too")
    response = agent_client.get("/staff/knowledge/")
    assert response.status_code == 200
    assert b"Oven timer resets" in response.content
    assert b"Mention model B-300 too" in response.content
    assert b"Oven timer resets" not in outsider_client.get("/staff/knowledge/").content


def test_agent_creates_an_article_and_sees_a_named_error(org, agent_client):
    response = agent_client.post("/staff/knowledge/new/", {**FORM, "issue": ""})
    assert response.status_code == 200
    assert b"issue" in response.content
    assert not Article.objects.for_organisation(org).exists()
    response = agent_client.post("/staff/knowledge/new/", FORM)
    article = Article.objects.for_organisation(org).get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/knowledge/{article.pk}/"
    assert article.state == "wip"
    assert article.author.username == "agent"


def test_detail_offers_what_the_role_may_do(org, agent_client, manager_client, outsider_client):
    article = ArticleFactory(organisation=org, state="not_validated", published=False)
    as_agent = agent_client.get(f"/staff/knowledge/{article.pk}/").content.decode()
    as_coach = manager_client.get(f"/staff/knowledge/{article.pk}/").content.decode()
    assert 'value="validated"' not in as_agent
    assert "Flag it" in as_agent
    assert 'value="validated"' in as_coach
    assert outsider_client.get(f"/staff/knowledge/{article.pk}/").status_code == 404


def test_coach_validates_and_publishes(org, agent_client, manager_client, outsider_client):
    article = ArticleFactory(organisation=org, state="not_validated", published=False)
    assert agent_client.post(f"/staff/knowledge/{article.pk}/state/", {"state": "validated"}).status_code == 403
    assert outsider_client.post(f"/staff/knowledge/{article.pk}/state/", {"state": "validated"}).status_code == 404
    manager_client.post(f"/staff/knowledge/{article.pk}/state/", {"state": "validated"})
    assert manager_client.post(f"/staff/knowledge/{article.pk}/publish/", {"action": "publish"}).status_code == 302
    article.refresh_from_db()
    assert article.state == "validated"
    assert article.published


def test_agent_flags_what_they_may_not_fix(org, agent_client):
    article = ArticleFactory(organisation=org)
    assert agent_client.get(f"/staff/knowledge/{article.pk}/edit/").content.count(b"Fix article") >= 1
    assert agent_client.post(f"/staff/knowledge/{article.pk}/edit/", FORM).status_code == 403
    agent_client.post(f"/staff/knowledge/{article.pk}/flag/", {"comment": "Outdated"})
    assert article.flags.get().comment == "Outdated"


def test_from_feedback_searches_first_then_reuses_or_creates(org, agent_client, outsider_client):
    existing = ArticleFactory(organisation=org, title="Oven timer resets when the door opens")
    item = FeedbackItemFactory(organisation=org, text="Whenever I open the oven the countdown is gone")
    page = agent_client.get(f"/staff/knowledge/from-feedback/{item.pk}/")
    assert page.status_code == 200
    assert b"Oven timer resets when the door opens" in page.content
    assert b"Whenever I open the oven the countdown is gone</textarea>" in page.content  # the draft's issue
    agent_client.post(f"/staff/knowledge/from-feedback/{item.pk}/", {"action": "link", "article_id": existing.pk})
    assert ArticleLink.objects.for_organisation(org).get().kind == "created"
    other = FeedbackItemFactory(organisation=org, text="A completely new problem with the oven light")
    agent_client.post(f"/staff/knowledge/from-feedback/{other.pk}/", {**FORM, "action": "create",
                                                                      "title": "Oven light stays off"})
    created = Article.objects.for_organisation(org).get(title="Oven light stays off")
    assert list(created.links.values_list("feedback_item_id", flat=True)) == [other.pk]
    assert outsider_client.get(f"/staff/knowledge/from-feedback/{item.pk}/").status_code == 404


def test_staff_suggestions_use_the_typed_text(org, agent_client):
    ArticleFactory(organisation=org, title="Oven timer resets when the door opens")
    response = agent_client.get("/staff/knowledge/suggest/", {"suggest_query": "", "answer": "the oven timer reset"},
                                HTTP_HX_REQUEST="true")
    assert b"Oven timer resets when the door opens" in response.content
    assert b"Oven timer" not in agent_client.get("/staff/knowledge/suggest/", {"answer": ""}).content


def test_measures_page_has_figures_and_a_chart(org, analyst_client, outsider_client):
    ArticleFactory(organisation=org)
    response = analyst_client.get("/staff/knowledge/measures/")
    assert response.status_code == 200
    assert b"<svg" in response.content
    assert b"Reuse rate" in response.content
    assert outsider_client.get("/staff/knowledge/quality/").status_code == 200
    assert analyst_client.get("/staff/knowledge/quality/").status_code == 403


def test_coach_reviews_against_the_checklist(org, manager_client):
    article = ArticleFactory(organisation=org)
    assert b"customer" in manager_client.get(f"/staff/knowledge/{article.pk}/review/").content
    manager_client.post(f"/staff/knowledge/{article.pk}/review/", {"passed": ["customer_words", "complete", "clear"]})
    assert article.reviews.get().score == 0.5


@pytest.fixture
def published(org):  # type: ignore[no-untyped-def]
    return ArticleFactory(organisation=org, title="Oven timer resets when the door opens")


def test_portal_search_and_article_with_did_this_help(org, customer, customer_client, published):
    hidden = ArticleFactory(organisation=org, title="Internal: oven timer firmware", visibility="internal",
                            published=False)
    response = customer_client.get("/portal/knowledge/", {"q": "my countdown vanishes when I open the oven"},
                                   HTTP_HX_REQUEST="true")
    assert b"Oven timer resets when the door opens" in response.content
    assert b"firmware" not in response.content
    assert customer_client.get(f"/portal/knowledge/{hidden.pk}/").status_code == 404
    page = customer_client.get(f"/portal/knowledge/{published.pk}/")
    assert page.status_code == 200
    assert b"Did this help?" in page.content
    customer_client.post(f"/portal/knowledge/{published.pk}/vote/", {"helped": "yes"})
    assert published.votes.get().helped is True
    kinds = set(SelfServiceEvent.objects.for_organisation(org).values_list("kind", flat=True))
    assert kinds == {EventKind.VIEWED, EventKind.ANSWERED}


def test_portal_suggestions_before_feedback(org, customer_client, published):
    response = customer_client.get("/portal/knowledge/suggest/", {"text": "The timer of my oven resets itself"})
    assert b"These articles may answer your question" in response.content
    assert b"Oven timer resets when the door opens" in response.content
    assert SelfServiceEvent.objects.for_organisation(org).get().kind == EventKind.SUGGESTED


def test_portal_suggestions_are_labelled_as_automatic(customer_client, published):
    response = customer_client.get("/portal/knowledge/suggest/", {"text": "The timer of my oven resets itself"})
    assert b"Suggested automatically from what you wrote" in response.content


def test_another_organisations_customer_sees_nothing(other_org, published):
    stranger = portal_client_for(CustomerFactory(organisation=other_org))
    assert stranger.get(f"/portal/knowledge/{published.pk}/").status_code == 404
    assert stranger.post(f"/portal/knowledge/{published.pk}/vote/", {"helped": "yes"}).status_code == 404
    assert b"Oven timer" not in stranger.get("/portal/knowledge/", {"q": "oven timer"}).content
    assert services.search_articles(organisation=other_org, query="oven timer", audience="portal") == []


def test_public_articles_are_read_without_logging_in(org, other_org, client, published):
    public = ArticleFactory(organisation=org, title="Descaling the coffee machine", visibility="public",
                            issue="White crust in the water tank.", resolution="Run the descaling programme monthly.")
    draft = ArticleFactory(organisation=org, title="Descaling: draft", visibility="public", state="not_validated",
                           published=False)
    foreign = ArticleFactory(organisation=other_org, title="Descaling elsewhere", visibility="public")
    home = client.get("/p/knowledge/", {"org": org.slug})
    assert home.status_code == 200
    listed = home.content.decode()
    assert "Descaling the coffee machine" in listed
    assert published.title not in listed  # for customers only: in the portal, after logging in
    assert "draft" not in listed
    found = client.get("/p/knowledge/", {"org": org.slug, "q": "limescale in my espresso maker"}).content.decode()
    assert f'/p/knowledge/{public.pk}/?org={org.slug}' in found  # by meaning: no word of the title
    assert f"/p/knowledge/{published.pk}/" not in found
    page = client.get(f"/p/knowledge/{public.pk}/", {"org": org.slug})
    assert page.status_code == 200
    assert "Run the descaling programme monthly." in page.content.decode()
    assert b"Did this help?" not in page.content  # votes come from customers in the portal
    for hidden in (published, draft, foreign):
        assert client.get(f"/p/knowledge/{hidden.pk}/", {"org": org.slug}).status_code == 404
    assert client.get("/p/knowledge/").status_code == 404
    assert [h.article_id for h in services.search_articles(organisation=org, query="oven timer",
                                                           audience="public")] == [public.pk]
    client.cookies["django_language"] = "de"
    assert "Hilfeartikel von Acme Bakery" in client.get("/p/knowledge/", {"org": org.slug}).content.decode()


def test_pages_speak_german(org, customer_client, published, manager_client):
    customer_client.cookies["django_language"] = "de"
    assert "Hat das geholfen?" in customer_client.get(f"/portal/knowledge/{published.pk}/").content.decode()
    manager_client.cookies["django_language"] = "de"
    assert "Wissensdatenbank" in manager_client.get("/staff/knowledge/").content.decode()


def test_dashboard_counts_validated_articles(org, owner_client, outsider_client):
    ArticleFactory.create_batch(2, organisation=org)
    ArticleFactory(organisation=org, state="wip", published=False)
    assert b"Validated articles" in owner_client.get("/staff/").content
    assert services.count_articles(organisation_id=org.pk, state="validated") == 2
    assert services.count_articles(organisation_id=org.pk) == 3
    assert outsider_client.get("/staff/knowledge/").status_code == 200


def test_suggestion_slots_render_for_other_domains_pages(org):
    from django.template.loader import render_to_string

    staff = render_to_string("knowledge/_staff_suggest.html", {"suggest_query": "oven timer"})
    assert "/staff/knowledge/suggest/?suggest_query=oven%20timer" in staff
    assert 'hx-include="textarea"' in staff
    portal = render_to_string("knowledge/_portal_suggest.html", {"suggest_fields": "#feedback-text"})
    assert "/portal/knowledge/suggest/" in portal
    assert 'hx-include="#feedback-text"' in portal
    assert "load," not in portal  # nothing typed yet: wait for the customer


def test_reusing_an_article_can_solve_the_item(org, agent_client, customer):
    from eyelevel.feedback import services as feedback

    article = ArticleFactory(organisation=org, resolution="Hold the timer button for three seconds.")
    item = FeedbackItemFactory(organisation=org, customer=customer, text="The oven timer resets")
    agent_client.post(f"/staff/knowledge/from-feedback/{item.pk}/",
                      {"action": "link", "article_id": article.pk, "solve": "on"})
    actions = feedback.list_actions(organisation=org, feedback_item_id=item.pk)
    assert [(a.status, a.outcome) for a in actions] == [("done", "Hold the timer button for three seconds.")]


def test_an_action_is_answered_with_one_article_for_all_its_items(org, agent_client, outsider_client):
    from tests.factories.feedback import ActionFactory

    article = ArticleFactory(organisation=org, title="Oven timer resets when the door opens")
    items = FeedbackItemFactory.create_batch(2, organisation=org)
    action = ActionFactory(organisation=org, title="Explain how to lock the oven timer", items=items)
    page = agent_client.get(f"/staff/knowledge/from-action/{action.pk}/")
    assert page.status_code == 200
    assert b"Oven timer resets when the door opens" in page.content
    agent_client.post(f"/staff/knowledge/from-action/{action.pk}/", {"article_id": article.pk})
    assert services.get_article(organisation=org, article_id=article.pk).reuse_count == 2
    assert outsider_client.get(f"/staff/knowledge/from-action/{action.pk}/").status_code == 404
    assert outsider_client.post(f"/staff/knowledge/from-action/{action.pk}/", {"article_id": article.pk}).status_code == 404


def test_publishing_shows_personal_data_and_asks_for_confirmation(org, manager_client, agent_client):  # type: ignore[no-untyped-def]
    article = ArticleFactory(organisation=org, state="validated", published=False, visibility="customers",
                             resolution="Write to us at help@shop.example or call 0800 123 4567.")
    page = manager_client.get(f"/staff/knowledge/{article.pk}/").content.decode()
    assert 'data-testid="personal-data"' in page
    assert "resolution: email address “help@shop.example”" in page
    assert 'data-testid="personal-data"' not in agent_client.get(f"/staff/knowledge/{article.pk}/").content.decode()
    refused = manager_client.post(f"/staff/knowledge/{article.pk}/publish/", {"action": "publish"}, follow=True)
    assert refused.redirect_chain[-1][0] == f"/staff/knowledge/{article.pk}/"
    assert "not published: the resolution contains what looks like personal data" in refused.content.decode()
    article.refresh_from_db()
    assert not article.published
    confirmed = manager_client.post(f"/staff/knowledge/{article.pk}/publish/", {"action": "publish", "not_personal": "1"})
    assert confirmed.status_code == 302
    article.refresh_from_db()
    assert article.published
