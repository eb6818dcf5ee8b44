"""Search by meaning and keywords over an organisation's articles, from an in-process index.

Each process keeps one `HybridIndex` per organisation and rebuilds it when the organisation's
articles change (their count or latest change differ from the index's). Embeddings are stored with
the articles, so a rebuild reads vectors instead of computing them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max

from eyelevel.analysis.embeddings import DIMENSIONS
from eyelevel.analysis.search import HybridIndex, search_one
from eyelevel.core.errors import InvalidInput
from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import organisation_id_of
from eyelevel.knowledge.models import Article, State
from eyelevel.knowledge.schemas import SearchHitOut
from eyelevel.knowledge.services.articles import (
    PORTAL_VISIBILITIES,
    PUBLIC_VISIBILITIES,
    article_text,
    embed_articles,
)

AUDIENCES = ("staff", "portal", "public")  # public: anyone, without logging in
MAX_QUERY = 1000
# A suggestion must share a keyword with the query or be close in meaning (cosine of e5 vectors);
# unrelated texts score about 0.70-0.75 with this model.
SUGGESTION_MIN_MEANING = 0.80


@dataclass
class _OrganisationIndex:
    stamp: tuple
    ids: np.ndarray
    titles: list[str]
    snippets: list[str]
    states: np.ndarray
    languages: np.ndarray
    portal: np.ndarray
    public: np.ndarray
    index: HybridIndex


_indexes: dict[int, _OrganisationIndex] = {}
_lock = threading.Lock()


def forget_indexes() -> None:
    """Drop every cached index (tests; a process that wants its memory back)."""
    with _lock:
        _indexes.clear()


def _stamp(organisation_id: int) -> tuple:
    figures = Article.objects.for_organisation(organisation_id).aggregate(
        count=Count("id"), latest=Max("updated_at"), last=Max("id"))
    return (figures["count"], figures["latest"], figures["last"])


def _snippet(text: str, length: int = 180) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + " …"


def _build(organisation_id: int, stamp: tuple) -> _OrganisationIndex:
    articles = list(Article.objects.for_organisation(organisation_id).order_by("id"))
    stale = embed_articles(articles)  # stored without a vector (e.g. bulk-loaded): compute it once, store it
    if stale:  # bulk_update leaves updated_at alone, so the stamp taken above stays right
        Article.objects.for_organisation(organisation_id).bulk_update(stale, ["embedding", "embedded_text_hash"])
    vectors = (np.vstack([np.frombuffer(bytes(a.embedding), dtype=np.float32) for a in articles])
               if articles else np.zeros((0, DIMENSIONS), dtype=np.float32))
    return _OrganisationIndex(
        stamp=stamp,
        ids=np.array([a.pk for a in articles], dtype=np.int64),
        titles=[a.title for a in articles],
        snippets=[_snippet(a.issue + " " + a.resolution) for a in articles],
        states=np.array([a.state for a in articles], dtype=object),
        languages=np.array([a.language for a in articles], dtype=object),
        portal=np.array([a.state == State.VALIDATED and a.published and a.visibility in PORTAL_VISIBILITIES
                         for a in articles], dtype=bool),
        public=np.array([a.state == State.VALIDATED and a.published and a.visibility in PUBLIC_VISIBILITIES
                         for a in articles], dtype=bool),
        index=HybridIndex([article_text(a) for a in articles], vectors),
    )


def _index_for(organisation_id: int) -> _OrganisationIndex:
    stamp = _stamp(organisation_id)
    with _lock:
        cached = _indexes.get(organisation_id)
        if cached is not None and cached.stamp == stamp:
            return cached
    built = _build(organisation_id, stamp)
    with _lock:
        _indexes[organisation_id] = built
    return built


def search_articles(*, organisation: Organisation | int, query: str, audience: str = "staff", k: int = 5,
                    language: str = "", suggestions_only: bool = False) -> list[SearchHitOut]:
    """The best articles for a query, by meaning and keywords; the portal sees published ones only, and the
    public (no login) published ones visible to the public."""
    if audience not in AUDIENCES:
        raise InvalidInput(f"unknown audience {audience!r}", field="audience")
    if not 1 <= k <= 50:
        raise InvalidInput("k must be between 1 and 50", field="k")
    query = query.strip()[:MAX_QUERY]
    if not query:
        return []
    cached = _index_for(organisation_id_of(organisation))
    if not len(cached.ids):
        return []
    if audience == "staff":
        allowed = cached.states != State.ARCHIVED
    else:
        allowed = (cached.portal if audience == "portal" else cached.public).copy()
    if language:
        allowed &= cached.languages == language
    if not allowed.any():
        return []
    hits = search_one(cached.index, query, k=k, allowed=allowed)
    if suggestions_only:
        hits = [hit for hit in hits if hit.keyword > 0 or hit.meaning >= SUGGESTION_MIN_MEANING]
    return [
        SearchHitOut(article_id=int(cached.ids[hit.position]), title=cached.titles[hit.position],
                     snippet=cached.snippets[hit.position], language=str(cached.languages[hit.position]),
                     state=str(cached.states[hit.position]), score=round(hit.score, 4),
                     keyword_score=round(hit.keyword, 4), meaning_score=round(hit.meaning, 4))
        for hit in hits
    ]
