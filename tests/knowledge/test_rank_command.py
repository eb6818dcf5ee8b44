"""`eyelevel knowledge rank ARTICLES QUERIES OUTPUT --k 5`: the product's search over CSV files."""

import csv

import pytest
from django.core.management import CommandError, call_command

from eyelevel.knowledge import services
from tests.factories.knowledge import ArticleFactory

ARTICLES = [
    {"id": "pw", "title": "Reset a forgotten password", "body": "Choose 'forgot password' on the login page.",
     "language": "en"},
    {"id": "hours", "title": "Opening hours", "body": "We are open Monday to Saturday, 7 to 18 o'clock.",
     "language": "en"},
    {"id": "rechnung", "title": "Rechnung herunterladen", "body": "Jede Rechnung finden Sie im Kundenkonto als PDF.",
     "language": "de"},
]
QUERIES = [{"id": "q1", "text": "I can no longer sign in to my account"},
           {"id": "q2", "text": "Wo finde ich meine Quittung?"}]


def _write(path, rows, columns):  # type: ignore[no-untyped-def]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_rank_writes_the_top_k_per_query(tmp_path):
    articles = _write(tmp_path / "articles.csv", ARTICLES, ["id", "title", "body", "language"])
    queries = _write(tmp_path / "queries.csv", QUERIES, ["id", "text"])
    output = tmp_path / "out" / "ranked.csv"
    call_command("knowledge", "rank", str(articles), str(queries), str(output), "--k", "2", "--no-progress")
    with output.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["query_id", "rank", "article_id", "score"]
    assert [(r["query_id"], r["rank"]) for r in rows] == [("q1", "1"), ("q1", "2"), ("q2", "1"), ("q2", "2")]
    assert rows[0]["article_id"] == "pw"
    assert rows[2]["article_id"] == "rechnung"
    assert float(rows[0]["score"]) >= float(rows[1]["score"])


def test_rank_matches_the_products_search(org, tmp_path):
    for row in ARTICLES:
        ArticleFactory(organisation=org, title=row["title"], issue=row["body"], environment="", resolution="",
                       cause="", language=row["language"])
    product = [hit.title for hit in services.search_articles(organisation=org, query=QUERIES[0]["text"], k=3)]
    articles = _write(tmp_path / "a.csv", ARTICLES, ["id", "title", "body", "language"])
    queries = _write(tmp_path / "q.csv", QUERIES[:1], ["id", "text"])
    call_command("knowledge", "rank", str(articles), str(queries), str(tmp_path / "o.csv"), "--k", "3",
                 "--no-progress")
    with (tmp_path / "o.csv").open(encoding="utf-8") as handle:
        ranked = [row["article_id"] for row in csv.DictReader(handle)]
    titles = {row["id"]: row["title"] for row in ARTICLES}
    assert len(product) == 3
    assert [titles[article_id] for article_id in ranked] == product


@pytest.mark.parametrize(("rows", "columns", "message"), [
    ([{"id": "a", "title": "t"}], ["id", "title"], "lacks the column(s) body"),
    ([{"id": "a", "title": "t", "body": "b"}, {"id": "a", "title": "u", "body": "c"}], ["id", "title", "body"],
     "row 3, field id: 'a' repeats row 2"),
    ([{"id": "a", "title": "", "body": ""}], ["id", "title", "body"], "row 2, fields title and body: both empty"),
    ([{"id": "a", "title": "t", "body": "b", "language": "fr"}], ["id", "title", "body", "language"],
     "row 2, field language"),
])
def test_bad_articles_name_row_and_field_and_write_nothing(tmp_path, rows, columns, message):
    articles = _write(tmp_path / "a.csv", rows, columns)
    queries = _write(tmp_path / "q.csv", QUERIES, ["id", "text"])
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("knowledge", "rank", str(articles), str(queries), str(tmp_path / "o.csv"), "--no-progress")
    assert not (tmp_path / "o.csv").exists()


def test_empty_query_text_is_refused(tmp_path):
    articles = _write(tmp_path / "a.csv", ARTICLES, ["id", "title", "body", "language"])
    queries = _write(tmp_path / "q.csv", [{"id": "q", "text": " "}], ["id", "text"])
    with pytest.raises(CommandError, match="row 2, field text: empty"):
        call_command("knowledge", "rank", str(articles), str(queries), str(tmp_path / "o.csv"), "--no-progress")


def test_repeated_queries_are_embedded_once_and_ranked_alike(tmp_path):
    from io import StringIO

    articles = _write(tmp_path / "articles.csv", ARTICLES, ["id", "title", "body", "language"])
    repeated = [*QUERIES, {"id": "q3", "text": QUERIES[0]["text"]}]
    queries = _write(tmp_path / "queries.csv", repeated, ["id", "text"])
    out = StringIO()
    call_command("knowledge", "rank", str(articles), str(queries), str(tmp_path / "o.csv"), "--k", "3",
                 "--no-progress", stdout=out)
    assert "3 queries (2 distinct texts)" in out.getvalue()
    with (tmp_path / "o.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_query: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        by_query.setdefault(row["query_id"], []).append((row["article_id"], row["score"]))
    assert by_query["q3"] == by_query["q1"]
    assert by_query["q1"][0][0] == "pw"
