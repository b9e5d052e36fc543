"""What the streams of an encoder share: linear CKA and their predictions'
agreement, against hand computations on tiny arrays."""
import numpy as np
import pytest

from halp_mmaction.evaluation import linear_cka, stream_agreement


def test_linear_cka_ignores_rotation_and_scale_and_sees_unrelated_features():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 6))
    rotation, _ = np.linalg.qr(rng.normal(size=(6, 6)))
    assert linear_cka(x, x) == pytest.approx(1.0)
    assert linear_cka(x, 3 * x @ rotation + 5) == pytest.approx(1.0)
    assert linear_cka(x, rng.normal(size=(200, 4))) < 0.1
    # By hand on three samples: centred x = [-1, 0, 1], y = [1, -2, 1]
    # are orthogonal, so nothing of one is in the other.
    assert linear_cka([[0.], [1.], [2.]], [[1.], [-2.], [1.]]) == \
        pytest.approx(0.0)
    with pytest.raises(ValueError, match='same N samples'):
        linear_cka(x, x[:10])
    with pytest.raises(ValueError, match='constant'):
        linear_cka(x, np.ones((200, 2)))


def test_stream_agreement_by_hand():
    labels = np.array([0, 1, 2, 0, 1])
    out = stream_agreement(
        dict(joint=np.array([0, 1, 0, 0, 2]),    # right on 0, 1, 3
             motion=np.array([0, 2, 2, 1, 2]),   # right on 0, 2
             bone=np.array([1, 1, 0, 0, 2])),    # right on 1, 3
        labels)
    assert out['top1'] == dict(joint=60.0, motion=40.0, bone=40.0)
    assert out['oracle_top1'] == 80.0          # sample 4 is wrong in all
    assert out['pairs']['joint/motion'] == dict(agree=40.0, both_wrong=20.0)
    assert out['pairs']['joint/bone'] == dict(agree=80.0, both_wrong=40.0)
    assert out['pairs']['motion/bone'] == dict(agree=20.0, both_wrong=20.0)
    with pytest.raises(ValueError, match='two streams or more'):
        stream_agreement(dict(joint=labels), labels)
    with pytest.raises(ValueError, match=r'bone has \(4,\) predictions'):
        stream_agreement(dict(joint=labels, bone=labels[:4]), labels)
