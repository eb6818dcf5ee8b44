"""Turning survey questions into form fields and posted forms into answers (shared by every audience's page)."""

from typing import Any

from django.utils.translation import gettext as _

from eyelevel.surveys.schemas import AnswerIn, SurveyOut


def _options(instrument: str, low: int | None, high: int | None) -> list[tuple[int, str]]:
    if instrument == "superior":
        return [(1, _("Yes")), (0, _("No"))]
    if low is None or high is None:
        return []
    return [(value, str(value)) for value in range(low, high + 1)]


def _ends(instrument: str) -> tuple[str, str]:
    return {
        "nps": (_("not at all likely"), _("extremely likely")),
        "csat": (_("very dissatisfied"), _("very satisfied")),
        "ces": (_("very difficult"), _("very easy")),
        "rating": (_("strongly disagree"), _("strongly agree")),
    }.get(instrument, ("", ""))


def question_fields(survey: SurveyOut, posted: Any = None) -> list[dict[str, Any]]:
    """Each question with its answer options and what was posted (to show a form again after an error)."""
    fields = []
    for question in survey.questions:
        name = f"q{question.id}"
        low_label, high_label = _ends(question.instrument)
        fields.append({
            "question": question, "name": name,
            "options": _options(question.instrument, question.scale_min, question.scale_max),
            "low_label": low_label, "high_label": high_label,
            "current": posted.get(name, "") if posted is not None else "",
        })
    return fields


def answers_from_post(survey: SurveyOut, posted: Any) -> tuple[list[AnswerIn], list[str]]:
    """The answers in a posted survey form, and the errors naming each question at fault."""
    answers, errors = [], []
    for question in survey.questions:
        raw = posted.get(f"q{question.id}", "").strip()
        if not raw:
            continue
        if question.instrument == "text":
            answers.append(AnswerIn(question_id=question.id, text=raw[:5000]))
            continue
        try:
            answers.append(AnswerIn(question_id=question.id, value=float(int(raw))))
        except ValueError:
            errors.append(_("“%(question)s”: choose one of the offered answers.") % {"question": question.text})
    return answers, errors
