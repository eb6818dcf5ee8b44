"""Running totals of answers (count, sum, sum of squares) that the gap report reads instead of every answer."""

from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import organisation_id_of
from eyelevel.surveys.models import Answer, AnswerTotal, Instrument

KEY = ("survey_id", "touchpoint_key", "dimension", "audience", "team", "location", "served_by", "kind")


def _key(answer: Answer) -> tuple:
    kind = "superior" if answer.instrument == Instrument.SUPERIOR else "score"
    return (answer.survey_id, answer.touchpoint_ref or 0, answer.dimension, answer.audience, answer.team,
            answer.location, answer.served_by, kind)


def _value(answer: Answer) -> float | None:
    return answer.raw_value if answer.instrument == Instrument.SUPERIOR else answer.score


def apply_answers(organisation_id: int, answers: list[Answer], sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) answers from the running totals."""
    cells: dict[tuple, list[float]] = {}
    for answer in answers:
        value = _value(answer)
        if value is None:
            continue
        cell = cells.setdefault(_key(answer), [0, 0.0, 0.0])
        cell[0] += 1
        cell[1] += value
        cell[2] += value * value
    totals = AnswerTotal.objects.for_organisation(organisation_id)
    for key, (n, total, total_sq) in cells.items():
        lookup = dict(zip(KEY, key, strict=True))
        changes = {"n": F("n") + sign * n, "total": F("total") + sign * total,
                   "total_sq": F("total_sq") + sign * total_sq}
        if totals.filter(**lookup).update(**changes) or sign < 0:
            continue
        try:
            with transaction.atomic():
                AnswerTotal.objects.create(organisation_id=organisation_id, n=n, total=total, total_sq=total_sq,
                                           **lookup)
        except IntegrityError:  # another request created the cell a moment ago
            totals.filter(**lookup).update(**changes)
    if sign < 0:
        totals.filter(n__lte=0).delete()


def remove_responses(organisation_id: int, response_ids: list[int]) -> None:
    """Take the answers of responses about to be deleted out of the totals."""
    if response_ids:
        answers = list(Answer.objects.for_organisation(organisation_id).filter(response_id__in=response_ids))
        apply_answers(organisation_id, answers, -1)


@transaction.atomic
def rebuild_answer_totals(*, organisation: Organisation | int) -> int:
    """Recompute the organisation's totals from its answers (after bulk loads); returns the number of cells."""
    AnswerTotal.objects.for_organisation(organisation).delete()
    organisation_id = organisation_id_of(organisation)
    answers = Answer.objects.for_organisation(organisation)
    cells = []
    for kind, value, rows in (
        ("score", "score", answers.filter(score__isnull=False)),
        ("superior", "raw_value", answers.filter(instrument=Instrument.SUPERIOR, raw_value__isnull=False)),
    ):
        grouped = (rows.values("survey_id", "touchpoint_ref", "dimension", "audience", "team", "location", "served_by")
                   .annotate(total=Sum(value), total_sq=Sum(F(value) * F(value)), n=Sum(1)).order_by())
        cells += [AnswerTotal(organisation_id=organisation_id, survey_id=row["survey_id"],
                              touchpoint_key=row["touchpoint_ref"] or 0, dimension=row["dimension"],
                              audience=row["audience"], team=row["team"], location=row["location"],
                              served_by=row["served_by"], kind=kind,
                              n=row["n"], total=row["total"], total_sq=row["total_sq"]) for row in grouped]
    AnswerTotal.objects.bulk_create(cells, batch_size=2000)
    return len(cells)
