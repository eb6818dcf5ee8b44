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
from typing import Any

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
HEADS = ("sentiment", "aspects", "has_aspect", "polarity")
GATE_PREFIX = "gate_"


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
    embedded: bool = False  # True when the sentence embedding took part in the decision


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
class _Decisions:
    """What one bundle decided for a batch of texts, and where it was unsure."""

    sentiments: list[str]
    confidences: np.ndarray
    aspect_sets: list[list[Aspect]]
    unsure: np.ndarray  # bool per text: a decision lies close to its threshold


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
    # The gate: the same heads fitted on the TF-IDF features alone. Embedding a text costs about a thousand
    # times more than its TF-IDF features, so the gate decides the texts it is sure about and only the rest
    # are embedded (the cascade of issue 4's throughput goal; docs/models.md has the measured effect).
    gate: "TextModels | None" = None
    gate_confidence: float = 0.7  # the gate decides a text's sentiment only when at least this sure
    gate_margin: float = 0.1  # ... and when no aspect probability lies within this of its threshold

    @property
    def uses_embeddings(self) -> bool:
        return self.embedding_weight > 0

    @property
    def aspect_labels(self) -> list[str]:
        return self.aspects.classes if self.aspects else []

    def matrix(self, texts: Sequence[str], embed: features.Embedder | None) -> sparse.csr_matrix:
        """The model's input for the texts (embeds them when the model uses embeddings)."""
        return self._with_embeddings(texts, features.tfidf(features.term_counts(texts), self.idf), embed)

    def _with_embeddings(self, texts: Sequence[str], weighted: sparse.csr_matrix,
                         embed: features.Embedder | None) -> sparse.csr_matrix:
        if not self.uses_embeddings:
            return weighted
        vectors = embed(texts) if embed is not None else None
        if vectors is None:
            vectors = np.zeros((len(texts), features.EMBEDDING_DIMENSIONS), dtype=np.float32)
        return features.combine(weighted, vectors, self.embedding_weight)

    def _decide(self, matrix: sparse.csr_matrix, *, confidence: float, margin: float) -> _Decisions:
        n = matrix.shape[0]
        unsure = np.zeros(n, dtype=bool)
        if self.sentiment:
            probabilities = _softmax(self.sentiment.scores(matrix))
            best = probabilities.argmax(axis=1)
            sentiments = [self.sentiment.classes[i] for i in best]
            confidences = probabilities[np.arange(n), best]
            unsure |= confidences < confidence
        else:
            sentiments, confidences = ["neutral"] * n, np.zeros(n)
        aspect_sets: list[list[Aspect]] = [[] for _ in range(n)]
        if self.aspects:
            aspect_probabilities = _sigmoid(self.aspects.scores(matrix))
            any_probability = (_sigmoid(self.has_aspect.scores(matrix))[:, 0] if self.has_aspect
                               else aspect_probabilities.max(axis=1))
            unsure |= (np.abs(aspect_probabilities - self.aspect_threshold) < margin).any(axis=1)
            unsure |= np.abs(any_probability - self.has_aspect_threshold) < margin
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
        return _Decisions(sentiments, np.asarray(confidences, dtype=float), aspect_sets, unsure)

    def classify(self, texts: Sequence[str], embed: features.Embedder | None = None, *,
                 embed_all: bool = False) -> list[Classification]:
        """Language, sentiment, aspects with polarity, and urgency for each text.

        With a gate, only the texts the gate is unsure about are embedded (all of them with embed_all);
        without an embedder, the gate decides every text.
        """
        if not texts:
            return []
        weighted = features.tfidf(features.term_counts(texts), self.idf)
        embedded = np.zeros(len(texts), dtype=bool)
        if self.uses_embeddings and self.gate is not None and not (embed_all and embed is not None):
            decisions = self.gate._decide(weighted, confidence=self.gate_confidence, margin=self.gate_margin)
            rows = np.flatnonzero(decisions.unsure) if embed is not None else np.zeros(0, dtype=np.int64)
            if rows.size:
                subset = [texts[i] for i in rows]
                closer = self._decide(self._with_embeddings(subset, weighted[rows], embed), confidence=0, margin=0)
                for position, row in enumerate(rows):
                    decisions.sentiments[row] = closer.sentiments[position]
                    decisions.confidences[row] = closer.confidences[position]
                    decisions.aspect_sets[row] = closer.aspect_sets[position]
                embedded[rows] = True
        else:
            decisions = self._decide(self._with_embeddings(texts, weighted, embed), confidence=0, margin=0)
            embedded[:] = self.uses_embeddings and embed is not None
        return [
            Classification(language=detect_language(text), sentiment=decisions.sentiments[i],
                           sentiment_confidence=float(decisions.confidences[i]), aspects=decisions.aspect_sets[i],
                           urgency=detect_urgency(text, decisions.sentiments[i]), embedded=bool(embedded[i]))
            for i, text in enumerate(texts)
        ]

    # storage -------------------------------------------------------------------------------
    def _head_arrays(self, prefix: str) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
        arrays: dict[str, np.ndarray] = {}
        heads = {}
        for name in HEADS:
            head: _Linear | None = getattr(self, name)
            if head is None:
                continue
            heads[name] = head.classes
            weights = head.weights.tocsr()
            arrays[f"{prefix}{name}_data"] = weights.data.astype(np.float32)
            arrays[f"{prefix}{name}_indices"] = weights.indices.astype(np.int32)
            arrays[f"{prefix}{name}_indptr"] = weights.indptr.astype(np.int64)
            arrays[f"{prefix}{name}_shape"] = np.array(weights.shape, dtype=np.int64)
            arrays[f"{prefix}{name}_bias"] = head.bias.astype(np.float32)
        return arrays, heads

    @staticmethod
    def _read_heads(stored: Any, prefix: str, names: dict[str, list[str]]) -> dict[str, "_Linear | None"]:
        heads: dict[str, _Linear | None] = {}
        for name in HEADS:
            if name not in names:
                heads[name] = None
                continue
            shape = tuple(stored[f"{prefix}{name}_shape"].tolist())
            weights = sparse.csr_matrix((stored[f"{prefix}{name}_data"], stored[f"{prefix}{name}_indices"],
                                         stored[f"{prefix}{name}_indptr"]), shape=shape)
            heads[name] = _Linear(names[name], weights, stored[f"{prefix}{name}_bias"])
        return heads

    def to_bytes(self) -> bytes:
        """The bundle as one npz file's bytes."""
        arrays, heads = self._head_arrays("")
        arrays["idf"] = self.idf
        meta = dict(self.meta, format=FORMAT_VERSION, heads=heads, embedding_weight=self.embedding_weight,
                    aspect_threshold=self.aspect_threshold, has_aspect_threshold=self.has_aspect_threshold)
        meta.pop("gate", None)
        if self.gate is not None:
            gate_arrays, gate_heads = self.gate._head_arrays(GATE_PREFIX)
            arrays.update(gate_arrays)
            meta["gate"] = {"heads": gate_heads, "confidence": self.gate_confidence, "margin": self.gate_margin}
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
            thresholds = {"aspect_threshold": meta["aspect_threshold"],
                          "has_aspect_threshold": meta.get("has_aspect_threshold", 0.3)}
            gate, gate_settings = None, {}
            if "gate" in meta:
                gate = cls(idf=stored["idf"], embedding_weight=0.0, **thresholds,
                           **cls._read_heads(stored, GATE_PREFIX, meta["gate"]["heads"]))
                gate_settings = {"gate_confidence": meta["gate"]["confidence"],
                                 "gate_margin": meta["gate"]["margin"]}
            return cls(idf=stored["idf"], embedding_weight=meta["embedding_weight"], meta=meta, gate=gate,
                       **thresholds, **gate_settings, **cls._read_heads(stored, "", meta["heads"]))

    def save(self, directory: Path) -> None:
        """Write model.npz and a readable model.json into the directory."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / MODEL_FILE).write_bytes(self.to_bytes())
        readable = dict(self.meta, embedding_weight=self.embedding_weight, aspect_threshold=self.aspect_threshold,
                        sentiment_classes=self.sentiment.classes if self.sentiment else [],
                        aspect_labels=self.aspect_labels)
        readable.pop("gate", None)
        if self.gate is not None:
            readable["gate"] = {"features": "TF-IDF only", "confidence": self.gate_confidence,
                                "margin": self.gate_margin}
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


def _logistic(matrix: sparse.csr_matrix, targets: Sequence[Any] | np.ndarray, regularisation: float,
              class_weight: str | None) -> tuple[list[str], sparse.csr_matrix, np.ndarray]:
    """A logistic regression on the columns the rows use: classes, weights in the full width, biases."""
    used = _used_columns(matrix)  # hashed columns never seen carry no weight: fit without them (much faster)
    model = LogisticRegression(C=regularisation, max_iter=1000, solver="lbfgs", class_weight=class_weight)
    model.fit(matrix[:, used], np.asarray(targets))
    return ([str(c) for c in model.classes_], _expand(model.coef_, used, matrix.shape[1]),
            model.intercept_.astype(np.float32))


def _fit(matrix: sparse.csr_matrix, targets: Sequence[str] | np.ndarray, regularisation: float,
         class_weight: str | None = None) -> _Linear | None:
    if len(set(targets)) < 2:
        return None
    classes, weights, bias = _logistic(matrix, targets, regularisation, class_weight)
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: expand to one row per class
        weights = sparse.vstack([-weights / 2, weights / 2], format="csr")
        bias = np.array([-bias[0] / 2, bias[0] / 2], dtype=np.float32)
    return _Linear(classes, weights, bias)


def _fit_binary(matrix: sparse.csr_matrix, positive: np.ndarray, regularisation: float) -> tuple[sparse.csr_matrix, float]:
    _classes, weights, bias = _logistic(matrix, positive.astype(int), regularisation, "balanced")
    return weights, float(bias[0])


def _fit_heads(matrix: sparse.csr_matrix, examples: Sequence[LabelledExample], *, sentiment_c: float,
               aspect_c: float, min_aspect_examples: int, sentiment_class_weight: str | None,
               step: Callable[[str], None]) -> dict[str, _Linear | None]:
    """Every head the labels allow: sentiment on rows with a sentiment, aspects on rows labelled for aspects."""
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
    return {"sentiment": sentiment, "aspects": aspects, "has_aspect": has_aspect, "polarity": polarity}


def train(examples: Sequence[LabelledExample], *, embed: features.Embedder | None, embedding_weight: float = 1.0,
          sentiment_c: float = 4.0, aspect_c: float = 4.0, aspect_threshold: float = 0.4,
          min_aspect_examples: int = 2, progress: Callable[[str], None] | None = None,
          sentiment_class_weight: str | None = None, meta: dict | None = None, gate: bool = True) -> TextModels:
    """Train every head the labels allow; with embeddings, also the TF-IDF-only gate (unless gate=False)."""
    step = progress or (lambda _label: None)
    texts = [example.text for example in examples]
    counts = features.term_counts(texts)
    idf = features.fit_idf(counts)
    weighted = features.tfidf(counts, idf)
    vectors = None
    if embed is not None and embedding_weight > 0:
        step("embedding")
        vectors = embed(texts)
    else:
        embedding_weight = 0.0
    settings = {"sentiment_c": sentiment_c, "aspect_c": aspect_c, "min_aspect_examples": min_aspect_examples,
                "sentiment_class_weight": sentiment_class_weight}
    heads = _fit_heads(features.combine(weighted, vectors, embedding_weight), examples, step=step, **settings)
    gate_models = None
    if gate and embedding_weight > 0:
        gate_heads = _fit_heads(weighted, examples, step=lambda label: step(f"gate: {label}"), **settings)
        gate_models = TextModels(idf=idf, embedding_weight=0.0, aspect_threshold=aspect_threshold, **gate_heads)
    info = dict(meta or {}, examples=len(examples),
                sentiment_examples=sum(1 for e in examples if e.sentiment),
                aspect_examples=sum(1 for e in examples if e.aspects is not None))
    return TextModels(idf=idf, embedding_weight=embedding_weight, aspect_threshold=aspect_threshold, meta=info,
                      gate=gate_models, **heads)


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
