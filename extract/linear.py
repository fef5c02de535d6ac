"""Small linear models over named, sparse features, stored as plain JSON.

The extractor's learned decisions (:mod:`lgkg.extract.decisions`) are
logistic regressions: a weight per (class, feature name) and a bias per
class. They are fitted with scikit-learn (``lgkg train``, which needs the
``train`` extra) and shipped as JSON, so reading them needs nothing but
Python, and a person can open the file and see which words weigh for what.

>>> m = LinearModel(("no", "yes"), {"w:share": (-1.0, 1.0)}, (0.5, -0.5))
>>> round(m.probabilities({"w:share": 1.0})["yes"], 3)
0.731
>>> m.probabilities({"w:unknown": 1.0})["no"] > 0.5
True

A model with one class name in ``classes`` and a single weight column is
binary: its one score is the log-odds of that class against its absence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Features = Mapping[str, float]


@dataclass(frozen=True)
class LinearModel:
    """Weights per feature name, one per class (or one for a binary model), and biases."""

    classes: tuple[str, ...]
    weights: Mapping[str, tuple[float, ...]]
    bias: tuple[float, ...]

    @property
    def binary(self) -> bool:
        return len(self.bias) == 1

    def scores(self, features: Features) -> list[float]:
        out = list(self.bias)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                for i, w in enumerate(row):
                    out[i] += w * value
        return out

    def probabilities(self, features: Features) -> dict[str, float]:
        """Each class's probability (a binary model: its class and ``"not"``)."""
        scores = self.scores(features)
        if self.binary:
            p = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, scores[0]))))
            return {self.classes[0]: p, "not": 1.0 - p}
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}

    def best(self, features: Features, allowed: Sequence[str] | None = None) -> tuple[str, float]:
        """The most probable class (among ``allowed`` when given) and its probability."""
        probs = self.probabilities(features)
        pool = [c for c in self.classes if allowed is None or c in allowed] or list(self.classes)
        name = max(pool, key=lambda c: (probs[c], -self.classes.index(c)))
        return name, probs[name]

    def to_json(self) -> dict:
        """A plain dict (rounded weights; features sorted) for ``json.dump``."""
        return {
            "classes": list(self.classes),
            "bias": [round(b, 6) for b in self.bias],
            "weights": {
                name: [round(w, 6) for w in row]
                for name, row in sorted(self.weights.items())
                if any(abs(w) >= 1e-6 for w in row)
            },
        }

    @classmethod
    def from_json(cls, data: Mapping) -> LinearModel:
        return cls(
            tuple(data["classes"]),
            {k: tuple(v) for k, v in data["weights"].items()},
            tuple(data["bias"]),
        )


def fit(
    rows: Sequence[Features], labels: Sequence[str], *, c: float = 1.0, binary_class: str = ""
) -> LinearModel:
    """Fit a logistic regression (scikit-learn, L2, liblinear/lbfgs with fixed settings).

    ``binary_class``: fit one log-odds score for that label against the rest.
    Deterministic for the same rows in the same order.
    """
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as err:  # pragma: no cover - the train extra is missing
        raise RuntimeError("training needs scikit-learn: pip install 'lgkg[train]'") from err
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform([dict(r) for r in rows]).tocsr()
    matrix.indices = matrix.indices.astype("int32")  # liblinear takes 32-bit indices only
    matrix.indptr = matrix.indptr.astype("int32")
    names = vectorizer.get_feature_names_out()
    if binary_class:
        target = [1 if y == binary_class else 0 for y in labels]
        if len(set(target)) < 2:  # never (or always) seen: a constant score
            return LinearModel((binary_class,), {}, (-10.0 if not any(target) else 10.0,))
        model = LogisticRegression(C=c, solver="liblinear", max_iter=1000)
        model.fit(matrix, target)
        weights = {n: (float(w),) for n, w in zip(names, model.coef_[0], strict=True)}
        return LinearModel((binary_class,), weights, (float(model.intercept_[0]),))
    classes = sorted(set(labels))
    if len(classes) == 1:
        return LinearModel((classes[0], "-"), {}, (10.0, -10.0))
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=2000)
    model.fit(matrix, list(labels))
    learned = [str(k) for k in model.classes_]
    coef = model.coef_
    bias = model.intercept_
    if len(learned) == 2:  # scikit-learn keeps one row for two classes: spell out both
        weights = {n: (-float(w) / 2, float(w) / 2) for n, w in zip(names, coef[0], strict=True)}
        return LinearModel(tuple(learned), weights, (-float(bias[0]) / 2, float(bias[0]) / 2))
    weights = {
        n: tuple(float(coef[k][j]) for k in range(len(learned))) for j, n in enumerate(names)
    }
    return LinearModel(tuple(learned), weights, tuple(float(b) for b in bias))
