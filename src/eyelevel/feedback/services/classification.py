"""Classification of feedback: the shipped default models or the organisation's retrained ones.

The text models (numpy, scipy, scikit-learn: about two seconds) are imported when first used, not when Django
starts: every process loads this package through the feedback providers, and most never classify.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from eyelevel.core.errors import InvalidInput, NotFound
from eyelevel.core.models import Organisation
from eyelevel.feedback.models import AspectCategory, ClassifierModel, FeedbackItem, LabelCorrection, Sentiment
from eyelevel.feedback.schemas import AspectOut, ClassificationOut

if TYPE_CHECKING:
    from eyelevel.analysis.text.classifier import Classification, LabelledExample, TextModels
    from eyelevel.analysis.text.features import Embedder

DEFAULT_MODEL_PACKAGE = "eyelevel.analysis.artefacts.feedback"


def default_model_dir() -> Path:
    """Where the shipped default models lie inside the package."""
    return Path(str(resources.files(DEFAULT_MODEL_PACKAGE))) / "default"


@lru_cache(maxsize=1)
def default_models() -> TextModels:
    """The shipped default models (loaded once per process)."""
    from eyelevel.analysis.text.classifier import TextModels

    return TextModels.load(default_model_dir())


@lru_cache(maxsize=32)
def _organisation_models(model_id: int) -> TextModels:
    from eyelevel.analysis.text.classifier import TextModels

    return TextModels.from_bytes(bytes(ClassifierModel.objects.unscoped().get(pk=model_id).bundle))


def models_for(organisation: Organisation | int) -> tuple[TextModels, str]:
    """The organisation's newest retrained models, else the shipped defaults; with which one it is."""
    newest = (ClassifierModel.objects.for_organisation(organisation).filter(active=True)
              .values_list("pk", flat=True).first())
    if newest is None:
        return default_models(), "default"
    return _organisation_models(newest), "organisation"


def embedder() -> Embedder:
    """Passage embeddings from the shared multilingual model."""
    from eyelevel.analysis.embeddings import embed_passages

    return embed_passages


def to_schema(result: Classification, model: str) -> ClassificationOut:
    return ClassificationOut(
        language=result.language, sentiment=result.sentiment, sentiment_confidence=result.sentiment_confidence,
        aspects=[AspectOut(label=a.label, polarity=a.polarity) for a in result.aspects],
        urgency=result.urgency, model=model,
    )


def classify_texts(*, organisation: Organisation | int, texts: list[str]) -> list[ClassificationOut]:
    """Language, sentiment, aspects and urgency of each text, by the organisation's models."""
    models, which = models_for(organisation)
    return [to_schema(result, which) for result in models.classify(texts, embedder())]


def classify_text(*, organisation: Organisation | int, text: str) -> ClassificationOut:
    """Language, sentiment, aspects and urgency of one text (used for free-text survey answers too)."""
    if not text.strip():
        raise InvalidInput(_("the text is empty"), field="text")
    return classify_texts(organisation=organisation, texts=[text])[0]


def seed_embedding_path() -> Path:
    """Embeddings of the project's own examples, shipped so that retraining embeds only the corrections."""
    return Path(str(resources.files(DEFAULT_MODEL_PACKAGE))) / "seed_embeddings.npz"


def _base_embedder() -> Embedder:
    from eyelevel.analysis.text.features import CachedEmbedder

    return CachedEmbedder(seed_embedding_path())


def base_examples() -> list[LabelledExample]:
    """The project's own labelled examples that every model starts from."""
    from eyelevel.analysis.text.classifier import LabelledExample, parse_aspects
    from eyelevel.analysis.text.seed import seed_rows

    return [LabelledExample(text, sentiment or None, parse_aspects(aspects)) for _id, text, sentiment, aspects
            in seed_rows()]


def train_default_models(*, embed: Embedder | None = None) -> TextModels:
    """Train the shipped default models from the project's own examples."""
    from eyelevel.analysis.text.classifier import train

    # The examples are mostly opinions; balanced class weights keep the model from calling plain news negative.
    return train(base_examples(), embed=embed or _base_embedder(), sentiment_class_weight="balanced",
                 meta={"name": "default", "training_data": "eyelevel seed examples (project-written, de/en)"})


def apply_labels(item: FeedbackItem, result: ClassificationOut) -> None:
    """Copy the models' labels onto an (unsaved) item; a language given at intake is kept."""
    item.language = item.language or result.language
    item.sentiment = result.sentiment
    item.sentiment_confidence = result.sentiment_confidence
    item.aspects = [a.dict() for a in result.aspects]
    item.urgency = result.urgency


def list_aspect_labels(*, organisation: Organisation | int) -> list[str]:
    """Aspect labels staff can choose: the models' labels and the organisation's own categories."""
    models, _which = models_for(organisation)
    own = AspectCategory.objects.for_organisation(organisation).values_list("label", flat=True)
    return sorted(set(models.aspect_labels) | set(own))


def define_aspect(*, organisation: Organisation, label: str, description: str = "") -> str:
    """Add an organisation-defined aspect category (trained once items carry it)."""
    label = label.strip()
    if not label or ":" in label or ";" in label:
        raise InvalidInput(_("an aspect label is non-empty and has no ':' or ';'"), field="label")
    AspectCategory.objects.for_organisation(organisation).get_or_create(
        organisation=organisation, label=label, defaults={"description": description})
    return label


@transaction.atomic
def correct_label(*, organisation: Organisation | int, feedback_item_id: int, user_id: int | None,
                  sentiment: str | None = None, aspects: list[AspectOut] | None = None) -> None:
    """Correct an item's sentiment or aspects; the correction is kept as training data."""
    from eyelevel.core.tenancy import get_scoped

    item = get_scoped(FeedbackItem, organisation=organisation, pk=feedback_item_id)
    if sentiment is not None:
        if sentiment not in Sentiment.values:
            raise InvalidInput(_("unknown sentiment %(sentiment)s") % {"sentiment": repr(sentiment)}, field="sentiment")
        LabelCorrection.objects.create(organisation_id=item.organisation_id, item=item, field="sentiment",
                                       old_value=item.sentiment, new_value=sentiment, corrected_by_id=user_id)
        item.sentiment = sentiment
        item.sentiment_confidence = 1.0
    if aspects is not None:
        for aspect in aspects:
            if aspect.polarity not in Sentiment.values or not aspect.label or ":" in aspect.label:
                raise InvalidInput(_("aspect %(label)s:%(polarity)s is not valid") % {
                    "label": repr(aspect.label), "polarity": repr(aspect.polarity)}, field="aspects")
        new = [a.dict() for a in aspects]
        LabelCorrection.objects.create(organisation_id=item.organisation_id, item=item, field="aspects",
                                       old_value=item.aspects, new_value=new, corrected_by_id=user_id)
        item.aspects = new
    item.labels_corrected = True
    item.save(update_fields=["sentiment", "sentiment_confidence", "aspects", "labels_corrected"])


def corrected_examples(*, organisation: Organisation | int) -> list[LabelledExample]:
    """The organisation's corrected items as training rows (a label not corrected stays unlabelled)."""
    from eyelevel.analysis.text.classifier import Aspect, LabelledExample

    latest: dict[int, dict[str, object]] = {}
    corrections = LabelCorrection.objects.for_organisation(organisation).order_by("corrected_at", "id")
    for correction in corrections.select_related("item"):
        latest.setdefault(correction.item_id, {"text": correction.item.text})[correction.field] = correction.new_value
    examples = []
    for labels in latest.values():
        aspects = labels.get("aspects")
        examples.append(LabelledExample(
            str(labels["text"]), labels.get("sentiment") or None,  # type: ignore[arg-type]
            None if aspects is None else [Aspect(a["label"], a["polarity"]) for a in aspects]))  # type: ignore[union-attr]
    return examples


def retrain_organisation(*, organisation: Organisation, embed: Embedder | None = None) -> dict:
    """Retrain the organisation's models from the shipped base data plus its corrections; returns a summary."""
    from eyelevel.analysis.text.classifier import train

    own = corrected_examples(organisation=organisation)
    if not own:
        raise NotFound(_("there are no corrected labels to learn from yet"), field="corrections")
    models = train(base_examples() + own, embed=embed or _base_embedder(),
                   meta={"name": f"organisation {organisation.slug}", "corrections": len(own)})
    summary = {"corrections": len(own), "examples": models.meta["examples"], "aspect_labels": models.aspect_labels}
    with transaction.atomic():
        ClassifierModel.objects.for_organisation(organisation).update(active=False)
        ClassifierModel.objects.create(organisation=organisation, bundle=models.to_bytes(), summary=summary)
    return summary
