"""The label model: a context model that never reads the NER model's labels, stacked under
a vote model that reads them and the context model's probabilities."""

import json
from dataclasses import replace

from pipeline.entities import labelmodel
from pipeline.entities.labelmodel import Seen, load_label_model, name_features

TEXT = (
    "Shares in Varnholt fell on Monday. Varnholt chief executive Ida Moen said Varnholt "
    "had cut jobs. Analysts said Varnholt shares would recover."
)


def _features(labels: list[str]) -> dict[str, float]:
    starts = [i for i in range(len(TEXT)) if TEXT.startswith("Varnholt", i)]
    seen = [Seen(s, s + len("Varnholt"), lab) for s, lab in zip(starts, labels, strict=True)]
    return name_features("Varnholt", TEXT, seen)


def test_the_context_model_reads_no_votes_and_the_vote_model_reads_it():
    model = load_label_model()
    assert model.context is not None
    assert not any(f.startswith("model=") for f in model.context.features)
    assert {"context=PERSON", "context=ORG", "context=PLACE"} <= set(model.features)


def test_company_contexts_raise_the_organization_probability_the_votes_leave_open():
    model = load_label_model()
    feats = _features(["PERSON", "ORG", "PERSON", "ORG"])
    # without the context model's probabilities (its features left at 0)
    without = replace(model, context=None).probabilities(feats)
    assert model.probabilities(feats)["ORG"] > without["ORG"]


def test_the_stacked_model_survives_its_json():
    model = load_label_model()
    again = labelmodel._from_dict(json.loads(model.to_json()))
    feats = _features(["ORG", "ORG", "PERSON", "ORG"])
    assert again.probabilities(feats) == model.probabilities(feats)
