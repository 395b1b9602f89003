"""The fitted model that weighs a pair's evidence into the probability that the two
articles report one happening.

A logistic regression over the standardised :data:`~pipeline.stories.events.FEATURES`,
calibrated by Platt scaling on cross-validated decision values (scikit-learn's
``CalibratedClassifierCV(method="sigmoid", ensemble=False)``), stored as plain numbers in
JSON: loading it executes nothing. ``python -m bench train-events`` fits it on the labelled
pairs of the dev sets and writes ``pipeline/stories/data/event_model.json`` and its card,
``docs/models/events.md``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

from pipeline.stories.events import FEATURES

MODEL_FILE = "event_model.json"


@dataclass(frozen=True)
class EventModel:
    """Weights of the pair model, and the probability an event group must reach on
    average (chosen on held-out documents by the training command)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    slope: float  # Platt scaling: p = 1 / (1 + exp(slope * decision + offset))
    offset: float
    threshold: float
    # Yes/no evidence the training pairs showed (almost) never true of one happening:
    # where one holds, the probability is 0.
    vetoes: tuple[str, ...] = ()
    # The probability a pair of a dated and an undated article must reach (chosen on a
    # dated stream with its dates hidden): the undated one's day cannot be compared.
    undated_threshold: float = 0.0
    # The share of one happening among the training pairs of two undated articles: the
    # base rate their probabilities are calibrated at (ECB+'s, nearly all of them).
    undated_share: float = 0.0
    # What the stage's estimate of that share (eventgroups.estimated_share) gives on the
    # training pairs' held-out probabilities: a corpus estimated lower is lowered.
    undated_reference: float = 0.0

    def probability(self, x: np.ndarray) -> np.ndarray:
        """The calibrated probability of one happening for each row of ``x`` (columns in
        the order of ``features``); 0 where a veto holds."""
        if x.shape[1] != len(self.features):
            raise ValueError(
                f"the event model expects {len(self.features)} features, got {x.shape[1]}"
            )
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        decision = z @ np.asarray(self.coef) + self.intercept
        p = 1.0 / (1.0 + np.exp(self.slope * decision + self.offset))
        return np.where(vetoed(x, self.vetoes), 0.0, p)

    def to_json(self) -> str:
        """The model as JSON (what :func:`load_event_model` reads), numbers to 10
        significant digits. Refits agree in the weights; the Platt calibration's
        ``slope`` and ``offset`` vary in about the 9th digit (its solver), which moves no
        probability by more than 1e-8."""

        def rounded(v: object) -> object:
            if isinstance(v, float):
                return float(f"{v:.10g}")
            return [rounded(x) for x in v] if isinstance(v, tuple) else v

        return json.dumps({k: rounded(v) for k, v in asdict(self).items()}, indent=1) + "\n"


def vetoed(x: np.ndarray, vetoes: tuple[str, ...]) -> np.ndarray:
    """Whether one of the yes/no features ``vetoes`` holds, for each row of ``x``."""
    cols = [FEATURES.index(name) for name in vetoes]
    return (x[:, cols] >= 0.5).any(axis=1) if cols else np.zeros(len(x), bool)


def load_event_model(path: Path | None = None) -> EventModel:
    """The model in ``path``, or the one shipped with the package; its features must be
    the ones this version computes.

    Raises:
        ValueError: the file's features are not :data:`FEATURES` (retrain it).
    """
    if path is None:
        return _shipped()
    return _parse(Path(path).read_text(encoding="utf-8"), str(path))


@cache
def _shipped() -> EventModel:
    text = resources.files("pipeline.stories").joinpath("data", MODEL_FILE).read_text("utf-8")
    return _parse(text, MODEL_FILE)


def _parse(text: str, where: str) -> EventModel:
    raw = json.loads(text)
    model = EventModel(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
    if model.features != FEATURES:
        raise ValueError(
            f"{where}: its features are not the ones this version computes; "
            "retrain it with `python -m bench train-events`"
        )
    return model


def fit_event_model(
    x: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    threshold: float,
    weights: np.ndarray | None = None,
    vetoes: tuple[str, ...] = (),
    seed: int = 0,
) -> EventModel:
    """Fit the pair model on the labelled pairs ``x``/``y`` (each with its ``weights``)
    that no veto decides; the calibration reads decision values of pairs held out by
    ``groups`` (a topic, a corpus), five folds."""
    keep = ~vetoed(x, vetoes)
    x, y, groups = x[keep], y[keep], groups[keep]
    weights = None if weights is None else weights[keep]
    scaler = StandardScaler().fit(x)
    folds = list(GroupKFold(n_splits=min(5, len(np.unique(groups)))).split(x, y, groups))
    calibrated = CalibratedClassifierCV(
        LogisticRegression(C=1.0, max_iter=2000, random_state=seed),
        method="sigmoid",
        cv=folds,
        ensemble=False,
    )
    calibrated.fit(scaler.transform(x), y, sample_weight=weights)
    (fitted,) = calibrated.calibrated_classifiers_
    (sigmoid,) = fitted.calibrators
    return EventModel(
        features=FEATURES,
        mean=tuple(float(v) for v in scaler.mean_),
        scale=tuple(float(v) for v in scaler.scale_),
        coef=tuple(float(v) for v in fitted.estimator.coef_[0]),
        intercept=float(fitted.estimator.intercept_[0]),
        slope=float(sigmoid.a_),
        offset=float(sigmoid.b_),
        threshold=threshold,
        vetoes=vetoes,
    )
