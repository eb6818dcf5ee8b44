"""Search over short documents: BM25 keywords, embedding meaning, and a fusion of both (pure functions).

The knowledge base and the `eyelevel knowledge rank` command use the same `HybridIndex`, so the
batch command measures exactly what the product does. Keyword scores find exact terms (product
names, error codes); embedding scores find documents whose words differ from the query's. The
fusion standardises the meaning scores per query (z-scores over the documents) and adds the damped
keyword score, log(1 + BM25), with a weight: a document both methods like rises above one only one
likes, and a long keyword match cannot drown the meaning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from threadpoolctl import ThreadpoolController

from eyelevel.analysis.embeddings import DIMENSIONS, embed_queries

# Weight of log(1 + BM25) against the meaning z-score; chosen on requests of the support data sets
# that the benchmark does not query with (benchmarks/knowledge_retrieval.py reports all three methods).
KEYWORD_WEIGHT = 0.3
MODES = ("combined", "keyword", "meaning")

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "how", "i", "i'm", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "please", "so", "that", "the", "their", "them", "then", "there", "this", "to", "was", "we", "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your", "yours", "am", "im", "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis", "bitte", "da", "das", "dass", "dem", "den", "der", "des", "die", "doch", "du", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "für", "hat", "habe", "haben", "ich", "ihr", "im", "in", "ist", "ja", "kann", "können", "mein", "meine", "meinen", "meiner", "mich", "mir", "mit", "nach", "nicht", "noch", "nur", "oder", "sie", "sind", "so", "um", "und", "uns", "von", "vom", "war", "was", "wie", "wir", "wo", "zu", "zum", "zur"]
)
_SUFFIXES = ("ungen", "ing", "ung", "en", "er", "ed", "es", "s", "e")


def fold(text: str) -> str:
    """Lower case without accents (Rückgabe -> ruckgabe, ß -> ss), so spelling variants meet."""
    text = text.lower().replace("ß", "ss")
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


def stem(token: str) -> str:
    """Strip common English and German inflection suffixes (a deliberately light stemmer).

    Stripping repeats, so that the forms of a word meet: orders -> order -> ord, ordering -> order -> ord.
    """
    for _round in range(3):
        for suffix in _SUFFIXES:
            if token.endswith(suffix) and len(token) - len(suffix) >= 3 and not token.endswith("ss"):
                token = token[: -len(suffix)]
                break
        else:
            return token
    return token


def tokenize(text: str) -> list[str]:
    """Keyword tokens: folded words without stop words, lightly stemmed."""
    return [stem(word) for word in _TOKEN.findall(fold(text)) if len(word) > 1 and word not in _STOPWORDS]


class KeywordIndex:
    """Okapi BM25 over a fixed set of documents, as one sparse term-by-document weight matrix."""

    def __init__(self, texts: Sequence[str], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(texts)
        self._vectorizer = CountVectorizer(tokenizer=tokenize, lowercase=False, token_pattern=None,
                                           dtype=np.float32)
        try:
            counts = self._vectorizer.fit_transform(texts).tocsr()
        except ValueError:  # no document has a single keyword (or there are no documents)
            self._vectorizer = None
            self._weights = sparse.csr_matrix((0, self.size), dtype=np.float32)
            return
        documents = counts.shape[0]
        frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log1p((documents - frequency + 0.5) / (frequency + 0.5)).astype(np.float32)
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        average = float(lengths.mean()) or 1.0
        rows = np.repeat(np.arange(documents), np.diff(counts.indptr))
        tf = counts.data
        counts.data = idf[counts.indices] * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[rows] / average))
        self._weights = counts.T.tocsr()  # terms x documents: a query sums the rows of its terms

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for every query (queries x documents)."""
        if self._vectorizer is None or not len(queries):
            return np.zeros((len(queries), self.size), dtype=np.float32)
        terms = self._vectorizer.transform(queries)
        terms.data[:] = 1.0  # each query term counts once
        return np.asarray((terms @ self._weights).toarray(), dtype=np.float32)


def standardise(scores: np.ndarray) -> np.ndarray:
    """Z-scores per row (per query), so that different score scales can be added."""
    mean = scores.mean(axis=1, keepdims=True)
    spread = scores.std(axis=1, keepdims=True)
    return (scores - mean) / np.maximum(spread, 1e-6)


def fuse(keyword: np.ndarray, meaning: np.ndarray, weight: float = KEYWORD_WEIGHT) -> np.ndarray:
    """The combined ranking score: meaning z-score plus weight * log(1 + BM25)."""
    return standardise(meaning) + weight * np.log1p(keyword)


@dataclass(frozen=True)
class Hit:
    """One found document: its position in the index, the fused score and both parts."""

    position: int
    score: float
    keyword: float
    meaning: float


class HybridIndex:
    """Keyword and meaning search over the same documents, fused into one ranking."""

    def __init__(self, texts: Sequence[str], vectors: np.ndarray, *, keyword_weight: float = KEYWORD_WEIGHT) -> None:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1) if len(texts) else np.zeros(
            (0, DIMENSIONS), dtype=np.float32)
        self.size = len(texts)
        self.keyword_weight = keyword_weight
        self._keywords = KeywordIndex(texts)
        self._vectors = vectors

    def score_parts(self, queries: Sequence[str], query_vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(keyword BM25 scores, meaning cosine similarities), each queries x documents."""
        keyword = self._keywords.scores(queries)
        meaning = np.asarray(query_vectors, dtype=np.float32) @ self._vectors.T if self.size else np.zeros(
            (len(queries), 0), dtype=np.float32)
        return keyword, meaning

    def scores(self, queries: Sequence[str], query_vectors: np.ndarray, *, mode: str = "combined") -> np.ndarray:
        """Ranking scores (queries x documents) by the combined search, or one method alone."""
        return self._ranking(*self.score_parts(queries, query_vectors), mode)

    def _ranking(self, keyword: np.ndarray, meaning: np.ndarray, mode: str) -> np.ndarray:
        if mode == "keyword":
            return keyword
        if mode == "meaning":
            return meaning
        if mode != "combined":
            raise ValueError(f"unknown search mode {mode!r}; use one of {MODES}")
        return fuse(keyword, meaning, self.keyword_weight)

    def search(self, queries: Sequence[str], query_vectors: np.ndarray, *, k: int, mode: str = "combined",
               allowed: np.ndarray | None = None) -> list[list[Hit]]:
        """The top k documents per query, best first; `allowed` (a boolean mask) limits the candidates."""
        if not len(queries):
            return []
        keyword, meaning = self.score_parts(queries, query_vectors)
        ranking = self._ranking(keyword, meaning, mode).copy()  # masked below; keep the parts intact
        if allowed is not None:
            ranking[:, ~np.asarray(allowed, dtype=bool)] = -np.inf
        results = []
        for row in range(len(queries)):
            for_row = top_k(ranking[row], k)
            results.append([Hit(int(p), float(ranking[row, p]), float(keyword[row, p]), float(meaning[row, p]))
                            for p in for_row])
        return results


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest finite scores, best first (ties: lower position first)."""
    finite = np.flatnonzero(np.isfinite(scores))
    if k <= 0 or not len(finite):
        return np.zeros(0, dtype=np.int64)
    candidates = finite if len(finite) <= k else finite[np.argpartition(-scores[finite], k - 1)[:k]]
    return candidates[np.lexsort((candidates, -scores[candidates]))]


EMBEDDED_CHARACTERS = 2000  # the model reads about 512 tokens; the beginning of a document carries its topic


def document_text(title: str, body: str) -> str:
    """The text a document is found by: its title, then its body."""
    return f"{title.strip()}\n{body.strip()}".strip()


def embedding_text(text: str) -> str:
    """The part of a document's text that is embedded."""
    return text[:EMBEDDED_CHARACTERS]


_threads: ThreadpoolController | None = None


def one_thread() -> Any:
    """A context in which BLAS runs on one thread: for the single texts of interactive requests.

    A single text is a few small matrix products; spreading them over threads that a busy web server
    already uses costs more than it saves (on a loaded 2-core machine: about 30 ms instead of 300 ms).
    Batches (the rank command) keep every thread.
    """
    global _threads
    if _threads is None:
        _threads = ThreadpoolController()
    return _threads.limit(limits=1)


def search_one(index: HybridIndex, query: str, *, k: int, allowed: np.ndarray | None = None) -> list[Hit]:
    """One interactive search: embed the query and rank, on one BLAS thread."""
    with one_thread():
        return index.search([query], embed_queries([query]), k=k, allowed=allowed)[0]
