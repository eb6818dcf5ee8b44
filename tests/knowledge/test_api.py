"""Articles and search over the API; another organisation's token gets 404."""

from tests.factories.knowledge import ArticleFactory

ARTICLE = {"title": "Reset a forgotten password", "issue": "I forgot my password.",
           "resolution": "Use 'forgot password' on the login page.", "language": "en", "visibility": "customers"}


def test_create_get_update_and_list(org, api_client, outsider_api_client):
    created = api_client.post("/api/v1/knowledge/articles", ARTICLE, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["state"] == "wip"
    assert body["reuse_count"] == 0
    assert body["author_name"] == ""
    article_id = body["id"]
    assert api_client.get(f"/api/v1/knowledge/articles/{article_id}").json()["title"] == ARTICLE["title"]
    assert outsider_api_client.get(f"/api/v1/knowledge/articles/{article_id}").status_code == 404
    changed = api_client.put(f"/api/v1/knowledge/articles/{article_id}", {**ARTICLE, "cause": "Hashing"},
                             content_type="application/json")
    assert changed.status_code == 200
    assert changed.json()["cause"] == "Hashing"
    assert outsider_api_client.put(f"/api/v1/knowledge/articles/{article_id}", ARTICLE,
                                   content_type="application/json").status_code == 404
    listed = api_client.get("/api/v1/knowledge/articles", {"state": "wip"}).json()
    assert [item["id"] for item in listed["items"]] == [article_id]
    assert outsider_api_client.get("/api/v1/knowledge/articles").json()["total"] == 0


def test_validated_articles_are_not_changed_by_integrations(org, api_client):
    article = ArticleFactory(organisation=org)
    response = api_client.put(f"/api/v1/knowledge/articles/{article.pk}", ARTICLE, content_type="application/json")
    assert response.status_code == 403


def test_bad_input_names_the_field(api_client):
    response = api_client.post("/api/v1/knowledge/articles", {**ARTICLE, "language": "fr"},
                               content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "language"


def test_search_by_meaning(org, api_client, outsider_api_client):
    article = ArticleFactory(organisation=org, title="Reset a forgotten password", issue="I forgot my password.",
                             resolution="Use 'forgot password' on the login page.")
    ArticleFactory(organisation=org, title="Opening hours", issue="When are you open?",
                   resolution="Monday to Saturday, 7 to 18 o'clock.")
    hits = api_client.get("/api/v1/knowledge/search", {"q": "I can no longer sign in to my account", "k": 1}).json()
    assert [hit["article_id"] for hit in hits] == [article.pk]
    assert hits[0]["meaning_score"] > 0
    assert outsider_api_client.get("/api/v1/knowledge/search", {"q": "forgot password"}).json() == []
    assert api_client.get("/api/v1/knowledge/search", {"q": "x", "audience": "all"}).status_code == 422
