"""Sentiment and aspect models: linear models over `features`, trained with scikit-learn, stored as npz.

A model bundle holds: the IDF vector, a multinomial sentiment model, one-vs-rest aspect models plus a
"has any aspect" model, and an aspect-polarity model. Prediction is numpy and scipy only.
"""

import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from eyelevel.analysis.text import features
from eyelevel.analysis.text.language import detect_language
from eyelevel.analysis.text.urgency import detect_urgency

SENTIMENTS = ("negative", "neutral", "positive")
_ASPECT = re.compile(r"[;\s]*([^;:]+?):(negative|neutral|positive)(?=[;\s]|$)[;\s]*")
FORMAT_VERSION = 1
MODEL_FILE = "model.npz"
META_FILE = "model.json"


@dataclass(frozen=True)
class Aspect:
    label: str  # "Category" or "Category#Subcategory"
    polarity: str  # negative / neutral / positive

    def encode(self) -> str:
        return f"{self.label}:{self.polarity}"


@dataclass(frozen=True)
class Classification:
    language: str
    sentiment: str
    sentiment_confidence: float
    aspects: list[Aspect]
    urgency: str


@dataclass
class LabelledExample:
    text: str
    sentiment: str | None  # None: not labelled for sentiment
    aspects: list[Aspect] | None  # None: not labelled for aspects; []: labelled as having none


@dataclass
class _Linear:
    classes: list[str]
    weights: sparse.csr_matrix  # classes x columns
    bias: np.ndarray

    def scores(self, matrix: sparse.csr_matrix) -> np.ndarray:
        return np.asarray((matrix @ self.weights.T).todense()) + self.bias


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _sigmoid(scores: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-scores))


@dataclass
class TextModels:
    idf: np.ndarray
    embedding_weight: float
    sentiment: _Linear | None
    aspects: _Linear | None  # one row per aspect label (binary, one-vs-rest)
    has_aspect: _Linear | None  # one row: "the text has at least one aspect"
    polarity: _Linear | None
    aspect_threshold: float = 0.4
    has_aspect_threshold: float = 0.3
    meta: dict = field(default_factory=dict)

    @property
    def uses_embeddings(self) -> bool:
        return self.embedding_weight > 0

    @property
    def aspect_labels(self) -> list[str]:
        return self.aspects.classes if self.aspects else []

    def matrix(self, texts: Sequence[str], embed: features.Embedder | None) -> sparse.csr_matrix:
        """The model's input for the texts (embeds them when the model uses embeddings)."""
        weighted = features.tfidf(features.term_counts(texts), self.idf)
        vectors = embed(texts) if (self.uses_embeddings and embed is not None) else None
        if self.uses_embeddings and vectors is None:
            vectors = np.zeros((len(texts), features.EMBEDDING_DIMENSIONS), dtype=np.float32)
        return features.combine(weighted, vectors, self.embedding_weight)

    def classify(self, texts: Sequence[str], embed: features.Embedder | None = None) -> list[Classification]:
        """Language, sentiment, aspects with polarity, and urgency for each text."""
        if not texts:
            return []
        matrix = self.matrix(texts, embed)
        n = len(texts)
        if self.sentiment:
            probabilities = _softmax(self.sentiment.scores(matrix))
            best = probabilities.argmax(axis=1)
            sentiments = [self.sentiment.classes[i] for i in best]
            confidences = probabilities[np.arange(n), best]
        else:
            sentiments, confidences = ["neutral"] * n, np.zeros(n)
        aspect_sets: list[list[Aspect]] = [[] for _ in range(n)]
        if self.aspects:
            aspect_probabilities = _sigmoid(self.aspects.scores(matrix))
            any_probability = (_sigmoid(self.has_aspect.scores(matrix))[:, 0] if self.has_aspect
                               else aspect_probabilities.max(axis=1))
            polarity = (_softmax(self.polarity.scores(matrix)) if self.polarity else None)
            for row in range(n):
                if any_probability[row] < self.has_aspect_threshold:
                    continue
                chosen = np.flatnonzero(aspect_probabilities[row] >= self.aspect_threshold)
                if chosen.size == 0:
                    chosen = np.array([aspect_probabilities[row].argmax()])
                polarity_label = (self.polarity.classes[int(polarity[row].argmax())] if polarity is not None
                                  else sentiments[row])
                order = chosen[np.argsort(-aspect_probabilities[row][chosen])]
                aspect_sets[row] = [Aspect(self.aspects.classes[i], polarity_label) for i in order]
        return [
            Classification(language=detect_language(text), sentiment=sentiments[i],
                           sentiment_confidence=float(confidences[i]), aspects=aspect_sets[i],
                           urgency=detect_urgency(text, sentiments[i]))
            for i, text in enumerate(texts)
        ]

    # storage -------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The bundle as one npz file's bytes."""
        arrays: dict[str, np.ndarray] = {"idf": self.idf}
        heads = {}
        for name in ("sentiment", "aspects", "has_aspect", "polarity"):
            head: _Linear | None = getattr(self, name)
            if head is None:
                continue
            heads[name] = head.classes
            weights = head.weights.tocsr()
            arrays[f"{name}_data"] = weights.data.astype(np.float32)
            arrays[f"{name}_indices"] = weights.indices.astype(np.int32)
            arrays[f"{name}_indptr"] = weights.indptr.astype(np.int64)
            arrays[f"{name}_shape"] = np.array(weights.shape, dtype=np.int64)
            arrays[f"{name}_bias"] = head.bias.astype(np.float32)
        meta = dict(self.meta, format=FORMAT_VERSION, heads=heads, embedding_weight=self.embedding_weight,
                    aspect_threshold=self.aspect_threshold, has_aspect_threshold=self.has_aspect_threshold)
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, payload: bytes) -> "TextModels":
        """Load a bundle written by to_bytes."""
        with np.load(io.BytesIO(payload), allow_pickle=False) as stored:
            meta = json.loads(stored["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != FORMAT_VERSION:
                raise ValueError(f"unsupported model format {meta.get('format')!r}")
            heads: dict[str, _Linear | None] = {}
            for name in ("sentiment", "aspects", "has_aspect", "polarity"):
                if name not in meta["heads"]:
                    heads[name] = None
                    continue
                shape = tuple(stored[f"{name}_shape"].tolist())
                weights = sparse.csr_matrix((stored[f"{name}_data"], stored[f"{name}_indices"],
                                             stored[f"{name}_indptr"]), shape=shape)
                heads[name] = _Linear(meta["heads"][name], weights, stored[f"{name}_bias"])
            return cls(idf=stored["idf"], embedding_weight=meta["embedding_weight"],
                       aspect_threshold=meta["aspect_threshold"],
                       has_aspect_threshold=meta.get("has_aspect_threshold", 0.3), meta=meta, **heads)

    def save(self, directory: Path) -> None:
        """Write model.npz and a readable model.json into the directory."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / MODEL_FILE).write_bytes(self.to_bytes())
        readable = dict(self.meta, embedding_weight=self.embedding_weight, aspect_threshold=self.aspect_threshold,
                        sentiment_classes=self.sentiment.classes if self.sentiment else [],
                        aspect_labels=self.aspect_labels)
        (directory / META_FILE).write_text(json.dumps(readable, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "TextModels":
        """Read a model directory written by save."""
        path = directory / MODEL_FILE
        if not path.is_file():
            raise FileNotFoundError(f"no {MODEL_FILE} in {directory}")
        return cls.from_bytes(path.read_bytes())


def _used_columns(matrix: sparse.csr_matrix) -> np.ndarray:
    return np.unique(matrix.indices)


def _expand(weights: np.ndarray, used: np.ndarray, width: int, keep: float = 1e-5) -> sparse.csr_matrix:
    """Weights fitted on the used columns only, placed back into the full (hashed) column space."""
    rows, cols = np.nonzero(np.abs(weights) >= keep)
    return sparse.csr_matrix((weights[rows, cols].astype(np.float32), (rows, used[cols])),
                             shape=(weights.shape[0], width))


def _fit(matrix: sparse.csr_matrix, targets: Sequence[str] | np.ndarray, regularisation: float,
         class_weight: str | None = None) -> _Linear | None:
    classes = sorted(set(targets))
    if len(classes) < 2:
        return None
    used = _used_columns(matrix)  # hashed columns never seen carry no weight: fit without them (much faster)
    model = LogisticRegression(C=regularisation, max_iter=1000, solver="lbfgs", class_weight=class_weight)
    model.fit(matrix[:, used], np.asarray(targets))
    coefficients = model.coef_
    bias = model.intercept_
    if len(model.classes_) == 2:  # scikit-learn keeps one row for two classes: expand to one row per class
        coefficients = np.vstack([-coefficients[0] / 2, coefficients[0] / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2])
    return _Linear([str(c) for c in model.classes_], _expand(coefficients, used, matrix.shape[1]),
                   bias.astype(np.float32))


def _fit_binary(matrix: sparse.csr_matrix, positive: np.ndarray, regularisation: float) -> tuple[sparse.csr_matrix, float]:
    used = _used_columns(matrix)
    model = LogisticRegression(C=regularisation, max_iter=1000, solver="lbfgs", class_weight="balanced")
    model.fit(matrix[:, used], positive.astype(int))
    return _expand(model.coef_, used, matrix.shape[1]), float(model.intercept_[0])


def train(examples: Sequence[LabelledExample], *, embed: features.Embedder | None, embedding_weight: float = 1.0,
          sentiment_c: float = 4.0, aspect_c: float = 4.0, aspect_threshold: float = 0.4,
          min_aspect_examples: int = 2, progress: Callable[[str], None] | None = None,
          sentiment_class_weight: str | None = None, meta: dict | None = None) -> TextModels:
    """Train every head the labels allow: sentiment on rows with a sentiment, aspects on rows labelled for aspects."""
    step = progress or (lambda _label: None)
    texts = [example.text for example in examples]
    counts = features.term_counts(texts)
    idf = features.fit_idf(counts)
    vectors = None
    if embed is not None and embedding_weight > 0:
        step("embedding")
        vectors = embed(texts)
    else:
        embedding_weight = 0.0
    matrix = features.combine(features.tfidf(counts, idf), vectors, embedding_weight)

    step("sentiment")
    sentiment_rows = [i for i, e in enumerate(examples) if e.sentiment]
    sentiment = _fit(matrix[sentiment_rows], [examples[i].sentiment for i in sentiment_rows], sentiment_c,
                     sentiment_class_weight) if sentiment_rows else None

    step("aspects")
    aspect_rows = [i for i, e in enumerate(examples) if e.aspects is not None]
    aspects = has_aspect = polarity = None
    if aspect_rows:
        aspect_matrix = matrix[aspect_rows]
        label_counts: dict[str, int] = {}
        for i in aspect_rows:
            for label in {a.label for a in examples[i].aspects or []}:
                label_counts[label] = label_counts.get(label, 0) + 1
        labels = sorted(label for label, count in label_counts.items() if count >= min_aspect_examples)
        if labels:
            rows, biases = [], []
            for label in labels:
                positive = np.array([any(a.label == label for a in examples[i].aspects or []) for i in aspect_rows])
                if positive.all():  # every row carries the label: a constant, no model needed
                    rows.append(sparse.csr_matrix((1, matrix.shape[1]), dtype=np.float32))
                    biases.append(10.0)
                    continue
                weights, bias = _fit_binary(aspect_matrix, positive, aspect_c)
                rows.append(weights)
                biases.append(bias)
            aspects = _Linear(labels, sparse.vstack(rows, format="csr"), np.array(biases, dtype=np.float32))
            has_any = np.array([bool(examples[i].aspects) for i in aspect_rows])
            if has_any.all():
                has_aspect = _Linear(["yes"], sparse.csr_matrix((1, matrix.shape[1]), dtype=np.float32),
                                     np.array([10.0], dtype=np.float32))
            elif has_any.any():
                weights, bias = _fit_binary(aspect_matrix, has_any, aspect_c)
                has_aspect = _Linear(["yes"], weights, np.array([bias], dtype=np.float32))
            pair_rows = [i for i in aspect_rows for _aspect in (examples[i].aspects or [])]
            pair_targets = [a.polarity for i in aspect_rows for a in (examples[i].aspects or [])]
            if pair_rows:
                polarity = _fit(matrix[pair_rows], pair_targets, sentiment_c)
    info = dict(meta or {}, examples=len(examples), sentiment_examples=len(sentiment_rows),
                aspect_examples=len(aspect_rows))
    return TextModels(idf=idf, embedding_weight=embedding_weight, sentiment=sentiment,
                      aspects=aspects, has_aspect=has_aspect, polarity=polarity,
                      aspect_threshold=aspect_threshold, meta=info)


def parse_aspects(cell: str) -> list[Aspect] | None:
    """Aspects from 'Cat#Sub:polarity;Cat:polarity' (also space-separated); '?' = not labelled, '' = none."""
    cell = cell.strip()
    if cell == "?":
        return None
    if not cell:
        return []
    aspects, position = [], 0
    for match in _ASPECT.finditer(cell):
        if match.start() != position:
            break
        aspects.append(Aspect(match.group(1).strip(), match.group(2)))
        position = match.end()
    if position != len(cell) or not aspects:
        raise ValueError(f"aspects {cell!r}: expected 'Category:polarity' items joined by ';' "
                         f"with polarity {'/'.join(SENTIMENTS)}")
    return aspects


def encode_aspects(aspects: Sequence[Aspect]) -> str:
    """The ';'-joined encoding of aspects."""
    return ";".join(aspect.encode() for aspect in aspects)
