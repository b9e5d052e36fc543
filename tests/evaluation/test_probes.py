"""The benchmark's probes against scikit-learn and brute force, on small
random features."""
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import LeaveOneGroupOut, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from halp_mmaction.datasets import subject_of, view_of
from halp_mmaction.evaluation import knn_top1, linear_probe


def _blobs(n, dim=6, classes=3, seed=0, spread=1.5):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(classes, dim)) * 2
    y = np.arange(n) % classes
    return (centres[y] + rng.normal(size=(n, dim)) * spread).astype(
        np.float32), y


def test_knn_top1_is_the_cosine_nearest_neighbour():
    train_x, train_y = _blobs(40)
    test_x, test_y = _blobs(25, seed=1)
    cos = (test_x / np.linalg.norm(test_x, axis=1, keepdims=True)) @ (
        train_x / np.linalg.norm(train_x, axis=1, keepdims=True)).T
    expected = (train_y[cos.argmax(1)] == test_y).mean() * 100
    assert knn_top1(train_x, train_y, test_x, test_y) == pytest.approx(
        expected)
    # Scaling a feature row does not change a cosine neighbour.
    assert knn_top1(train_x * 3, train_y, test_x, test_y) == pytest.approx(
        expected)


def test_linear_probe_picks_c_by_leave_one_group_out_as_sklearn():
    train_x, train_y = _blobs(60)
    test_x, test_y = _blobs(30, seed=1)
    groups = np.arange(60) // 20
    cs = (0.01, 1.0)
    top1, details = linear_probe(train_x, train_y, test_x, test_y,
                                 groups=groups, cs=cs)

    def model(c):
        return make_pipeline(StandardScaler(),
                             LogisticRegression(C=c, max_iter=5000))

    cv = {c: cross_val_score(model(c), train_x, train_y, groups=groups,
                             cv=LeaveOneGroupOut()).mean() for c in cs}
    best = max(cs, key=lambda c: (cv[c], -cs.index(c)))
    assert details['logreg_C'] == best
    assert details['logreg_cv_top1'] == pytest.approx(cv[best] * 100,
                                                      abs=0.01)
    expected = model(best).fit(train_x, train_y).score(test_x, test_y)
    assert top1 == pytest.approx(expected * 100)
    assert details['feature_dim'] == 6
    with pytest.raises(ValueError, match='needs >= 2 groups'):
        linear_probe(train_x, train_y, test_x, test_y, groups=[0] * 60)


def test_subjects_and_views_from_sample_names():
    assert subject_of('a13_s09_e02') == 9
    assert subject_of('a02_s04_e01_v03') == 4
    assert view_of('a02_s04_e01_v03') == 3
    assert subject_of('S001C002P015R001A034') == 15
    assert view_of('S001C002P015R001A034') == 2
    with pytest.raises(ValueError, match='single view'):
        view_of('a13_s09_e02')
    with pytest.raises(ValueError, match='known sample names'):
        subject_of('video_7')


def test_score_ensemble_averages_the_streams_probabilities_as_sklearn():
    from halp_mmaction.evaluation import (fit_linear_probe,
                                          score_ensemble_top1)
    train = [_blobs(45, seed=s, spread=3.0) for s in (0, 2)]
    test = [_blobs(30, seed=s + 1, spread=3.0) for s in (0, 2)]
    # One label vector: each "stream" sees other features of the samples.
    y_train, y_test = train[0][1], test[0][1]
    searches = [fit_linear_probe(x, y_train, cs=(1.0, )) for x, _ in train]
    proba = sum(
        make_pipeline(StandardScaler(), LogisticRegression(
            C=1.0, max_iter=5000)).fit(x, y_train).predict_proba(xt)
        for (x, _), (xt, _) in zip(train, test)) / 2
    expected = (proba.argmax(1) == y_test).mean() * 100
    assert score_ensemble_top1(searches, [x for x, _ in test],
                               y_test) == pytest.approx(expected)
