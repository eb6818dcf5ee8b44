"""The search the knowledge base and the rank command share: BM25, meaning, and their fusion."""

import numpy as np
import pytest

from eyelevel.analysis.embeddings import embed_passages, embed_queries
from eyelevel.analysis.search import HybridIndex, KeywordIndex, fold, fuse, stem, tokenize, top_k

DOCUMENTS = [
    "Reset your password\nOpen the login page, choose 'forgot password' and follow the link we email you.",
    "Opening hours on public holidays\nOn public holidays the bakery opens from 8 to 12 o'clock.",
    "Rechnung herunterladen\nIm Kundenkonto unter Bestellungen finden Sie jede Rechnung als PDF.",
]


def test_tokens_are_folded_stemmed_and_without_stop_words():
    assert fold("Rückgabe Straße") == "ruckgabe strasse"
    assert stem("orders") == stem("ordering") == stem("order")
    assert stem("Rechnungen".lower()) == stem("rechnung")
    assert tokenize("Where is my order?") == [stem("order")]
    assert tokenize("Wo ist meine Rechnung?") == [stem("rechnung")]


def test_bm25_ranks_the_document_with_the_rare_query_term_first():
    index = KeywordIndex(DOCUMENTS)
    scores = index.scores(["password link", "Rechnungen"])
    assert scores.shape == (2, 3)
    assert scores[0].argmax() == 0
    assert scores[0, 1] == 0
    assert scores[1].argmax() == 2
    assert scores[1, 2] > 0


def test_bm25_of_documents_without_keywords_scores_zero():
    index = KeywordIndex(["", "the a"])
    assert index.scores(["anything"]).tolist() == [[0.0, 0.0]]
    assert KeywordIndex([]).scores(["x"]).shape == (1, 0)


@pytest.fixture(scope="module")
def index() -> HybridIndex:
    return HybridIndex(DOCUMENTS, embed_passages(DOCUMENTS))


def test_meaning_finds_a_document_that_shares_no_word_with_the_query(index):
    query = "I can no longer sign in to my account"
    assert KeywordIndex(DOCUMENTS).scores([query])[0, 0] == 0  # no shared keyword with the password article
    for mode in ("meaning", "combined"):
        hits = index.search([query], embed_queries([query]), k=3, mode=mode)[0]
        assert hits[0].position == 0, mode


def test_german_query_finds_the_german_article(index):
    query = "Wo bekomme ich meine Quittung als Datei?"
    hits = index.search([query], embed_queries([query]), k=1)[0]
    assert hits[0].position == 2


def test_allowed_mask_removes_candidates(index):
    query = "forgot password"
    allowed = np.array([False, True, True])
    hits = index.search([query], embed_queries([query]), k=3, allowed=allowed)[0]
    assert [hit.position for hit in hits] != []
    assert 0 not in [hit.position for hit in hits]
    assert len(hits) == 2


def test_fusion_lifts_a_keyword_match_between_equally_close_meanings():
    meaning = np.array([[0.80, 0.80, 0.70]], dtype=np.float32)
    keyword = np.array([[0.0, 3.0, 0.0]], dtype=np.float32)
    assert fuse(keyword, meaning).argmax() == 1


def test_top_k_is_ordered_and_skips_excluded():
    scores = np.array([0.1, 0.9, -np.inf, 0.5, 0.9])
    assert top_k(scores, 3).tolist() == [1, 4, 3]
    assert top_k(scores, 10).tolist() == [1, 4, 3, 0]
    assert top_k(np.array([-np.inf]), 2).tolist() == []


def test_unknown_mode_is_refused(index):
    with pytest.raises(ValueError, match="unknown search mode"):
        index.scores(["x"], embed_queries(["x"]), mode="magic")
