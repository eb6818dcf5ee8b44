"""The text models: language, urgency, contempt check, aspect encoding, training and the shipped defaults."""

import numpy as np
import pytest

from eyelevel.analysis.text.classifier import (
    Aspect,
    LabelledExample,
    TextModels,
    encode_aspects,
    parse_aspects,
    train,
)
from eyelevel.analysis.text.contempt import check_note
from eyelevel.analysis.text.language import detect_language
from eyelevel.analysis.text.urgency import detect_urgency


def test_language_german_and_english() -> None:
    assert detect_language("Der Zug war schon wieder zu spät und es gab keine Durchsage") == "de"
    assert detect_language("The train was late again and there was no announcement") == "en"
    assert detect_language("!!!") == ""


def test_urgency_rules() -> None:
    assert detect_urgency("Ein Mann hat mich im Zug bedroht") == "critical"
    assert detect_urgency("I was charged twice, please refund me") == "high"
    assert detect_urgency("Coffee was lukewarm", "negative") == "normal"
    assert detect_urgency("Lovely staff", "positive") == "low"


def test_contempt_check_finds_derogatory_phrases_with_suggestions() -> None:
    german = check_note("Der Kunde ist so nervig, typischer Querulant")
    assert {f.phrase.lower() for f in german} >= {"der kunde ist so nervig", "querulant"}
    assert all(f.suggestion for f in german)
    assert check_note("The customer is an idiot")[0].phrase.lower() == "idiot"
    assert check_note("Kunde wartet auf Rückruf wegen Erstattung; Ticket geprüft") == []
    assert check_note("Called the customer back, refund issued") == []


def test_aspect_cells_parse_and_encode() -> None:
    assert parse_aspects("?") is None
    assert parse_aspects("") == []
    parsed = parse_aspects("Zugfahrt#Verspätung:negative;Opening hours:positive")
    assert parsed == [Aspect("Zugfahrt#Verspätung", "negative"), Aspect("Opening hours", "positive")]
    assert encode_aspects(parsed) == "Zugfahrt#Verspätung:negative;Opening hours:positive"
    assert parse_aspects("Allgemein:neutral Zugfahrt:negative ") == [Aspect("Allgemein", "neutral"),
                                                                     Aspect("Zugfahrt", "negative")]
    with pytest.raises(ValueError, match="polarity"):
        parse_aspects("Allgemein:awful")


def _toy_examples() -> list[LabelledExample]:
    rows = []
    for i in range(12):
        rows.append(LabelledExample(f"the train was late again {i}", "negative", [Aspect("Delay", "negative")]))
        rows.append(LabelledExample(f"lovely friendly staff at the desk {i}", "positive", [Aspect("Staff", "positive")]))
        rows.append(LabelledExample(f"timetable changes next week {i}", "neutral", None))  # not labelled for aspects
        rows.append(LabelledExample(f"the staff were rude and the train late {i}", None,
                                    [Aspect("Staff", "negative"), Aspect("Delay", "negative")]))
        rows.append(LabelledExample(f"hello test {i}", "neutral", []))
    return rows


def test_training_uses_partly_labelled_rows_and_round_trips(tmp_path) -> None:  # type: ignore[no-untyped-def]
    models = train(_toy_examples(), embed=None)
    assert models.meta["sentiment_examples"] == 48
    assert models.meta["aspect_examples"] == 48
    assert models.aspect_labels == ["Delay", "Staff"]
    models.save(tmp_path / "m")
    loaded = TextModels.load(tmp_path / "m")
    late, staff, hello = loaded.classify(["the train was late", "friendly staff", "hello test"])
    assert late.sentiment == "negative"
    assert [a.label for a in late.aspects] == ["Delay"]
    assert staff.sentiment == "positive"
    assert staff.aspects[0].label == "Staff"
    assert hello.aspects == []
    original = models.classify(["the train was late"])[0]
    assert original.sentiment_confidence == pytest.approx(late.sentiment_confidence, abs=1e-5)


def test_embeddings_join_the_features() -> None:
    def embed(texts):  # type: ignore[no-untyped-def]
        return np.ones((len(texts), 384), dtype=np.float32) / np.sqrt(384)

    models = train(_toy_examples(), embed=embed)
    assert models.uses_embeddings
    assert models.classify(["the train was late"], embed)[0].sentiment == "negative"


def test_shipped_default_models_classify_german_and_english() -> None:
    from eyelevel.analysis.embeddings import embed_passages
    from eyelevel.feedback.services.classification import default_model_dir

    models = TextModels.load(default_model_dir())
    assert "Zugfahrt" in models.aspect_labels
    assert models.uses_embeddings
    delay, praise = models.classify(["Der ICE hatte schon wieder eine Stunde Verspätung, ärgerlich",
                                     "Thank you, the staff in the café car were lovely"], embed_passages)
    assert delay.language == "de"
    assert delay.sentiment == "negative"
    assert "Zugfahrt" in [a.label for a in delay.aspects]
    assert praise.language == "en"
    assert praise.sentiment == "positive"


def test_the_gate_embeds_only_the_texts_it_is_unsure_about(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from eyelevel.analysis.embeddings import embed_passages

    embedded: list[str] = []

    def embed(texts):  # type: ignore[no-untyped-def]
        embedded.extend(texts)
        return embed_passages(texts)

    models = train(_toy_examples(), embed=embed)
    assert models.gate is not None
    assert not models.gate.uses_embeddings
    models.save(tmp_path / "m")
    loaded = TextModels.load(tmp_path / "m")
    assert loaded.gate is not None
    assert (loaded.gate_confidence, loaded.gate_margin) == (models.gate_confidence, models.gate_margin)
    texts = ["the train was late again 3", "lovely friendly staff at the desk 5", "the parking lot",
             "rude train"]
    gate_alone = loaded.gate.classify(texts)

    embedded.clear()
    cascaded = loaded.classify(texts, embed)
    unsure = [text for text, result in zip(texts, cascaded, strict=True) if result.embedded]
    assert embedded == unsure
    assert 0 < len(unsure) < len(texts)
    for result, gate_result in zip(cascaded, gate_alone, strict=True):
        if not result.embedded:  # where the gate was sure, its answer stands
            assert (result.sentiment, result.aspects) == (gate_result.sentiment, gate_result.aspects)

    embedded.clear()
    assert all(result.embedded for result in loaded.classify(texts, embed, embed_all=True))
    assert embedded == texts

    embedded.clear()
    without_embedder = loaded.classify(texts)  # no embedder: the gate decides, no zero vectors
    assert embedded == []
    assert [(r.sentiment, r.aspects) for r in without_embedder] == [(r.sentiment, r.aspects) for r in gate_alone]

    ungated = train(_toy_examples(), embed=embed, gate=False)
    assert ungated.gate is None
    embedded.clear()
    ungated.classify(texts, embed)
    assert embedded == texts
