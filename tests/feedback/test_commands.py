"""`eyelevel feedback train|classify|retrain|escalate` with their stable file formats."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from eyelevel.feedback.models import ClassifierModel
from tests.factories.feedback import FeedbackItemFactory

LABELLED = """id\ttext\tsentiment\taspects
1\tthe train was late again\tnegative\tDelay:negative
2\tlovely friendly staff at the desk\tpositive\tStaff:positive
3\tthe train was late and the staff rude\t\tDelay:negative;Staff#Rudeness:negative
4\ttimetable changes next week\tneutral\t?
5\tder Zug kam zu spät\tnegative\tDelay:negative
6\tsehr nettes Personal\tpositive\tStaff:positive
7\thallo test\tneutral\t
8\tagain late, what a train\tnegative\tDelay:negative
9\tthe staff helped me kindly\tpositive\tStaff:positive
"""


def test_train_then_classify_files(tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.tsv"
    labelled.write_text(LABELLED, encoding="utf-8")
    call_command("feedback", "train", str(labelled), str(tmp_path / "model"), "--no-embeddings")
    assert (tmp_path / "model" / "model.npz").is_file()
    source = tmp_path / "in.csv"
    source.write_text('id,text\nx1,"the train was late, again"\nx2,friendly staff\n', encoding="utf-8")
    call_command("feedback", "classify", str(source), str(tmp_path / "out.tsv"), "--model", str(tmp_path / "model"))
    lines = (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id\tlanguage\tsentiment\taspects\turgency"
    first = dict(zip(lines[0].split("\t"), lines[1].split("\t"), strict=True))
    assert first["id"] == "x1"
    assert first["language"] == "en"
    assert first["sentiment"] == "negative"
    assert first["aspects"].startswith("Delay:")
    assert len(lines) == 3


def test_classify_embeds_only_what_the_gate_is_unsure_about(tmp_path: Path) -> None:
    import json
    import re
    from io import StringIO

    labelled = tmp_path / "labelled.tsv"
    labelled.write_text(LABELLED, encoding="utf-8")
    call_command("feedback", "train", str(labelled), str(tmp_path / "model"), stdout=StringIO())
    assert json.loads((tmp_path / "model" / "model.json").read_text(encoding="utf-8"))["gate"]["features"]
    source = tmp_path / "in.tsv"
    texts = ["the train was late again", "lovely friendly staff at the desk", "parking", "der Zug", "hallo"]
    source.write_text("id\ttext\n" + "".join(f"{i}\t{t}\n" for i, t in enumerate(texts)), encoding="utf-8")

    def embedded(*extra: str) -> int:
        out = StringIO()
        call_command("feedback", "classify", str(source), str(tmp_path / "out.tsv"), "--model",
                     str(tmp_path / "model"), *extra, stdout=out)
        assert len((tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()) == len(texts) + 1
        return int(re.search(r"(\d+) embedded", out.getvalue()).group(1))

    assert embedded() < len(texts)
    assert embedded("--embed-all") == len(texts)
    call_command("feedback", "train", str(labelled), str(tmp_path / "ungated"), "--no-gate", stdout=StringIO())
    assert "gate" not in json.loads((tmp_path / "ungated" / "model.json").read_text(encoding="utf-8"))


def test_classify_with_the_shipped_models_and_bad_training_rows(tmp_path: Path) -> None:
    source = tmp_path / "in.tsv"
    source.write_text("id\ttext\n1\tDie Klimaanlage war ausgefallen, 35 Grad im Wagen\n", encoding="utf-8")
    call_command("feedback", "classify", str(source), str(tmp_path / "out.tsv"))
    row = (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()[1].split("\t")
    assert row[1:3] == ["de", "negative"]
    assert "Komfort_und_Ausstattung" in row[3]
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\ttext\tsentiment\taspects\n1\tok\tgreat\t\n2\tok\tneutral\tFood:tasty\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 2: column sentiment.*line 3: column aspects"):
        call_command("feedback", "train", str(bad), str(tmp_path / "m"), "--no-embeddings")
    with pytest.raises(CommandError, match="header lacks"):
        call_command("feedback", "classify", str(_no_text(tmp_path)), str(tmp_path / "o.tsv"))


def _no_text(folder: Path) -> Path:
    path = folder / "no-text.tsv"
    path.write_text("id\tbody\n1\thello\n", encoding="utf-8")
    return path


def test_retrain_command_needs_corrections_first(org) -> None:  # type: ignore[no-untyped-def]
    # A successful retraining (slow: it fits every head) is proven in test_services.
    with pytest.raises(CommandError, match="no corrected labels"):
        call_command("feedback", "retrain", "--organisation", org.slug)
    with pytest.raises(CommandError, match="no organisation"):
        call_command("feedback", "retrain", "--organisation", "nobody")
    assert not ClassifierModel.objects.for_organisation(org).exists()


def test_escalate_command_runs_over_every_organisation(org) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta
    from io import StringIO

    from django.utils import timezone

    FeedbackItemFactory(organisation=org, acknowledge_due=timezone.now() - timedelta(hours=1))
    out = StringIO()
    call_command("feedback", "escalate", stdout=out)
    assert "escalated 1 item(s)" in out.getvalue()
