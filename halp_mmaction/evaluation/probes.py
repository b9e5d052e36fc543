"""Probes of frozen features: 1-NN and a linear (logistic-regression) probe.

The two numbers skeleton self-supervised papers report for a frozen
encoder, computed here in seconds on a CPU so that a benchmark can probe
many encoders: the cosine 1-NN of :func:`knn_predict` (the function behind
``KNNMetric``), and a multinomial logistic regression on standardised
features, a fast and deterministic stand-in for the SGD-trained linear layer
of the official protocol (``tools/eval/train_classifier.py`` runs that one).
``tools/eval/linear_probe.py`` and ``tools/benchmarks/real_data.py`` use
these functions.
"""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import torch

from .metrics.knn_metric import knn_predict

LOGREG_CS = (0.01, 0.1, 1.0, 10.0, 100.0)


def knn_top1(train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray,
             test_y: np.ndarray, num_neighbors: int = 1) -> float:
    """Top-1 (%) of the cosine kNN classifier of ``test_x`` against the
    labelled ``train_x``."""
    pred = knn_predict(torch.from_numpy(np.asarray(train_x)).float(),
                       torch.from_numpy(np.asarray(train_y)),
                       torch.from_numpy(np.asarray(test_x)).float(),
                       num_neighbors)
    return float((pred.numpy() == np.asarray(test_y)).mean() * 100)


def fit_linear_probe(train_x: np.ndarray,
                     train_y: np.ndarray,
                     groups: Optional[Sequence] = None,
                     cs: Sequence[float] = LOGREG_CS,
                     max_iter: int = 5000):
    """A logistic regression on standardised features, its inverse
    regularisation ``C`` chosen from ``cs`` by leave-one-group-out
    cross-validation on the training samples (groups: the protocol's unit,
    e.g. subjects for a cross-subject split, views for a cross-view one), so
    no method sees the test split before its C is fixed; without groups,
    5-fold stratified cross-validation.

    Returns:
        sklearn.model_selection.GridSearchCV: fitted (refit on all of
        ``train_x`` with the best C).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import (GridSearchCV, LeaveOneGroupOut,
                                         StratifiedKFold)
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if groups is not None and len(set(groups)) < 2:
        raise ValueError('linear_probe: leave-one-group-out needs >= 2 '
                         f'groups, got {sorted(set(groups))}')
    cv = LeaveOneGroupOut() if groups is not None else StratifiedKFold(5)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=max_iter)),
        {'logisticregression__C': list(cs)}, cv=cv)
    search.fit(train_x, train_y, groups=groups)
    return search


def probe_details(search, train_x: np.ndarray) -> Dict:
    """``logreg_C``, ``logreg_cv_top1`` and ``feature_dim`` of a fitted
    :func:`fit_linear_probe`."""
    return dict(
        logreg_C=search.best_params_['logisticregression__C'],
        logreg_cv_top1=round(float(search.best_score_) * 100, 2),
        feature_dim=int(np.shape(train_x)[1]))


def linear_probe(train_x: np.ndarray,
                 train_y: np.ndarray,
                 test_x: np.ndarray,
                 test_y: np.ndarray,
                 groups: Optional[Sequence] = None,
                 cs: Sequence[float] = LOGREG_CS,
                 max_iter: int = 5000) -> Tuple[float, Dict]:
    """Top-1 (%) of the logistic regression of :func:`fit_linear_probe`.

    Args:
        train_x, train_y: (N, C) features and (N, ) labels to fit.
        test_x, test_y: the split to score.
        groups (Sequence, optional): (N, ) group of each training sample.
        cs (Sequence[float]): Candidate C values. Defaults to
            :data:`LOGREG_CS`.
        max_iter (int): lbfgs iterations. Defaults to 5000.

    Returns:
        tuple[float, dict]: the test top-1 and :func:`probe_details`.
    """
    search = fit_linear_probe(train_x, train_y, groups, cs, max_iter)
    top1 = float(search.score(test_x, test_y) * 100)
    return top1, probe_details(search, train_x)


def score_ensemble_top1(searches: Sequence, test_xs: Sequence[np.ndarray],
                        test_y: np.ndarray) -> float:
    """Top-1 (%) of several fitted probes (one per stream, each on its own
    features) voting by their averaged class probabilities: the ensemble of
    the streams' classifier scores."""
    classes = [tuple(s.classes_) for s in searches]
    if len(set(classes)) != 1:
        raise ValueError('score_ensemble_top1: the probes were fitted on '
                         'different classes')
    proba = np.mean([s.predict_proba(x) for s, x in zip(searches, test_xs)],
                    axis=0)
    pred = np.asarray(classes[0])[proba.argmax(axis=1)]
    return float((pred == np.asarray(test_y)).mean() * 100)
