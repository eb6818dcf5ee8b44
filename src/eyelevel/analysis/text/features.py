"""Features of a text: hashed TF-IDF of character and word n-grams, beside a multilingual sentence embedding.

Hashing keeps the vocabulary out of the model (no state to grow, streaming stays flat); the embedding
carries meaning across wording and language. Both are L2-normalised and stacked side by side.
"""

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

HASH_BITS = 20
N_HASHED = 2 * (1 << HASH_BITS)  # characters, then words
EMBEDDING_DIMENSIONS = 384

Embedder = Callable[[Sequence[str]], np.ndarray]

_CHARS = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=1 << HASH_BITS,
                           alternate_sign=False, norm=None, lowercase=True)
_WORDS = HashingVectorizer(analyzer="word", ngram_range=(1, 2), n_features=1 << HASH_BITS,
                           token_pattern=r"(?u)\b\w+\b",  # noqa: S106 (a regular expression, not a password)
                           alternate_sign=False, norm=None, lowercase=True)


def _l2_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ matrix


def term_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """Sublinear term frequencies of character and word n-grams, one row per text."""
    counts = sparse.hstack([_CHARS.transform(texts), _WORDS.transform(texts)], format="csr", dtype=np.float32)
    counts.data = 1.0 + np.log(counts.data)
    return counts


def fit_idf(counts: sparse.csr_matrix) -> np.ndarray:
    """Smoothed inverse document frequency per hashed column."""
    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    return (np.log((1.0 + counts.shape[0]) / (1.0 + document_frequency)) + 1.0).astype(np.float32)


def tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """TF-IDF rows, each block (characters, words) normalised on its own."""
    weighted = counts @ sparse.diags(idf)
    half = 1 << HASH_BITS
    return sparse.hstack([_l2_rows(weighted[:, :half]), _l2_rows(weighted[:, half:])], format="csr")


def combine(weighted: sparse.csr_matrix, embeddings: np.ndarray | None, embedding_weight: float) -> sparse.csr_matrix:
    """The model's input: TF-IDF columns, then the (weighted) embedding columns when the model uses them."""
    if embeddings is None or embedding_weight == 0:
        return weighted
    return sparse.hstack([weighted, sparse.csr_matrix(embeddings * embedding_weight)], format="csr")


class CachedEmbedder:
    """Embeds passages once per distinct text, keeping the vectors in an optional npz cache file."""

    def __init__(self, cache_path: Path | None = None, progress: Callable[[int], None] | None = None) -> None:
        self.cache_path = cache_path
        self.progress = progress
        self.vectors: dict[str, np.ndarray] = {}
        self.dirty = False
        if cache_path and cache_path.exists():
            with np.load(cache_path) as stored:
                self.vectors = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))

    @staticmethod
    def key(text: str) -> str:
        """The cache key of a text."""
        return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        from eyelevel.analysis.embeddings import embed_passages

        keys = [self.key(text) for text in texts]
        missing = list(dict.fromkeys(key for key in keys if key not in self.vectors))
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            fresh = embed_passages([by_key[key] for key in missing], progress=self.progress)
            self.vectors.update(zip(missing, fresh, strict=True))
            self.dirty = bool(self.cache_path)
        if not keys:
            return np.zeros((0, EMBEDDING_DIMENSIONS), dtype=np.float32)
        return np.vstack([self.vectors[key] for key in keys]).astype(np.float32)

    def save(self) -> None:
        """Write the cache file when vectors were added."""
        if self.cache_path and self.dirty:
            keys = np.array(list(self.vectors), dtype="U40")
            np.savez(self.cache_path, keys=keys, vectors=np.vstack(list(self.vectors.values())))
            self.dirty = False
