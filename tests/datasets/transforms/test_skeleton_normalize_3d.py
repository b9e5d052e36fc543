"""SkeletonNormalize3D against the official pre-normalisation (2s-AGCN's
``pre_normalization``, which HaLP and CMD ran to make their .npy sets),
reimplemented below as the frame-by-frame test reference, on synthetic and
real NTU data."""
import math
import pickle

import numpy as np
import pytest

from halp_mmaction.datasets.converters.ntu import convert_ntu
from halp_mmaction.datasets.converters.official_npy import \
    convert_official_npy
from halp_mmaction.datasets.transforms import SkeletonNormalize3D
from halp_mmaction.datasets.transforms.skeleton_normalize_3d import \
    pad_null_frames


# -- the reference: the official algorithm, loop by loop -----------------------
def _rotation(axis, theta):
    if np.abs(axis).sum() < 1e-6 or np.abs(theta) < 1e-6:
        return np.eye(3)
    axis = np.asarray(axis) / math.sqrt(np.dot(axis, axis))
    a = math.cos(theta / 2.0)
    b, c, d = -axis * math.sin(theta / 2.0)
    aa, bb, cc, dd = a * a, b * b, c * c, d * d
    bc, ad, ac, ab, bd, cd = b * c, a * d, a * c, a * b, b * d, c * d
    return np.array([[aa + bb - cc - dd, 2 * (bc + ad), 2 * (bd - ac)],
                     [2 * (bc - ad), aa + cc - bb - dd, 2 * (cd + ab)],
                     [2 * (bd + ac), 2 * (cd - ab), aa + dd - bb - cc]])


def _angle(v1, v2):
    if np.abs(v1).sum() < 1e-6 or np.abs(v2).sum() < 1e-6:
        return 0
    v1, v2 = v1 / np.linalg.norm(v1), v2 / np.linalg.norm(v2)
    return np.arccos(np.clip(np.dot(v1, v2), -1.0, 1.0))


def official(skeleton, zaxis=(0, 1), xaxis=(8, 4)):
    """pre_normalization on one (M, T, V, 3) sample."""
    s = skeleton.astype(np.float64).copy()
    for p, person in enumerate(s):
        if person.sum() == 0:
            continue
        if person[0].sum() == 0:
            index = person.sum(-1).sum(-1) != 0
            tmp = person[index].copy()
            person *= 0
            person[:len(tmp)] = tmp
        for f, frame in enumerate(person):
            if frame.sum() == 0 and person[f:].sum() == 0:
                rest = len(person) - f
                pad = np.concatenate([person[:f]] * int(np.ceil(rest / f)))
                s[p, f:] = pad[:rest]
                break
    _, t, v, _ = s.shape
    centre = s[0][:, 1:2].copy()
    for p, person in enumerate(s):
        if person.sum() == 0:
            continue
        mask = (person.sum(-1) != 0).reshape(t, v, 1)
        s[p] = (s[p] - centre) * mask
    for lo, hi, target in ((zaxis[0], zaxis[1], [0, 0, 1]),
                           (xaxis[1], xaxis[0], [1, 0, 0])):
        bone = s[0, 0, hi] - s[0, 0, lo]
        rot = _rotation(np.cross(bone, target), _angle(bone, target))
        for p, person in enumerate(s):
            if person.sum() == 0:
                continue
            for f, frame in enumerate(person):
                if frame.sum() == 0:
                    continue
                for j, joint in enumerate(frame):
                    s[p, f, j] = np.dot(rot, joint)
    return s


def _normalize(keypoint, **kwargs):
    return SkeletonNormalize3D(**kwargs)(dict(keypoint=keypoint.copy()))[
        'keypoint']


def _synthetic(seed=0, frames=30):
    rng = np.random.default_rng(seed)
    kp = rng.normal(size=(2, frames, 25, 3)).astype(np.float32)
    kp += rng.normal(size=(1, frames, 1, 3)).cumsum(1).astype(np.float32)
    return kp


@pytest.mark.parametrize('edit', [
    lambda kp: kp[:1],                               # one person
    lambda kp: kp,                                   # two, always there
    lambda kp: kp.__setitem__((1, slice(18, None)), 0) or kp,  # 2nd vanishes
    lambda kp: kp.__setitem__((1, slice(0, 5)), 0) or kp,      # 2nd arrives
    lambda kp: kp.__setitem__((1, [0, 7, 8]), 0) or kp,        # 2nd's gaps
    lambda kp: kp.__setitem__((0, slice(25, None)), 0) or kp,  # main leaves
    lambda kp: kp.__setitem__(1, 0) or kp,           # an absent person
])
def test_equals_the_official_preprocessing(edit):
    kp = edit(_synthetic())
    np.testing.assert_allclose(_normalize(kp), official(kp), atol=2e-5)


def test_pad_null_frames():
    kp = np.zeros((2, 7, 1, 3), np.float32)
    kp[0, :, 0, 0] = np.arange(1, 8)
    kp[1, 2:5, 0, 0] = [1, 2, 3]  # arrives late, leaves early, no gaps
    kp[0, 3] = 0                  # a gap in the middle: stays a gap
    out = pad_null_frames(kp)[..., 0, 0]
    assert out[0].tolist() == [1, 2, 3, 0, 5, 6, 7]
    assert out[1].tolist() == [1, 2, 3, 1, 2, 3, 1]
    assert not pad_null_frames(np.zeros((1, 4, 2, 3))).any()


def test_spine_at_the_origin_bones_aligned_absent_persons_zero():
    kp = _synthetic()
    kp[1] = 0
    out = _normalize(kp)
    assert np.abs(out[0, :, 1]).max() < 1e-5          # spine, every frame
    assert not out[1].any()                           # absent: zero
    shoulders = out[0, 0, 8] - out[0, 0, 4]
    assert shoulders[0] > 0 and np.abs(shoulders[1:]).max() < 1e-4
    spine_only = _normalize(kp, xaxis=None)
    bone = spine_only[0, 0, 1] - spine_only[0, 0, 0]
    assert bone[2] > 0 and np.abs(bone[:2]).max() < 1e-5
    # No frame is dropped, the dtype is float32, the input is untouched.
    assert out.shape == kp.shape and out.dtype == np.float32
    assert kp[1].sum() == 0 and np.abs(kp[0, :, 1]).max() > 0.1


def test_options():
    kp = _synthetic()[:1]
    first = _normalize(kp, centre_per_frame=False, zaxis=None, xaxis=None)
    np.testing.assert_allclose(first, kp - kp[:, :1, 1:2], atol=1e-6)
    scaled = _normalize(kp, centre_joint=0, zaxis=None, xaxis=None,
                        unit_scale=True)
    assert np.linalg.norm(scaled[0], axis=-1).mean() == pytest.approx(1)
    mean = _normalize(kp, align_frames='all', xaxis=None)
    bone = (mean[0, :, 1] - mean[0, :, 0]).mean(0)
    assert np.abs(bone[:2]).max() < 1e-4 and bone[2] > 0
    with pytest.raises(ValueError, match="align_frames must be 'first'"):
        SkeletonNormalize3D(align_frames='last')
    with pytest.raises(ValueError, match='zaxis must be None or two joint'):
        SkeletonNormalize3D(zaxis=(0, ))
    with pytest.raises(ValueError, match='joint 20 .* does not exist'):
        _normalize(kp[:, :, :17], xaxis=None, zaxis=(0, 20))


def test_real_ntu_files_and_the_official_npy_path(tmp_path, shared_data):
    """Raw NTU files converted and normalised in the pipeline equal the same
    arrays put through the official route: padded to 300 frames as
    ntu_gendata writes them, pre-normalised, and imported with our
    official_npy converter."""
    raw = shared_data / 'ntu_raw'
    convert_ntu(raw, tmp_path / 'raw.pkl', dataset='ntu120', progress=False)
    with open(tmp_path / 'raw.pkl', 'rb') as f:
        annotations = pickle.load(f)['annotations']
    names, frames, data = [], [], np.zeros(
        (len(annotations), 3, 300, 25, 2), np.float32)
    for i, ann in enumerate(annotations):
        kp = ann['keypoint']
        t = kp.shape[1]
        padded = np.zeros((2, 300, 25, 3), np.float32)
        padded[:len(kp), :t] = kp
        data[i] = official(padded).transpose(3, 1, 2, 0)
        names.append(ann['frame_dir'] + '.skeleton')
        frames.append(t)
    folder = tmp_path / 'xsub'
    folder.mkdir()
    np.save(folder / 'train_data_joint.npy', data)
    np.save(folder / 'train_num_frame.npy', np.array(frames))
    with open(folder / 'train_label.pkl', 'wb') as f:
        pickle.dump((names, [a['label'] for a in annotations]), f)
    convert_official_npy(folder, tmp_path / 'npy.pkl', parts=['train'],
                         progress=False)
    with open(tmp_path / 'npy.pkl', 'rb') as f:
        imported = {a['frame_dir']: a for a in pickle.load(f)['annotations']}
    two_person = 0
    for ann in annotations:
        ours = _normalize(ann['keypoint'])
        theirs = imported[ann['frame_dir']]['keypoint']
        ours = ours[np.abs(ours).reshape(len(ours), -1).any(1)]
        two_person += len(ours) == 2
        np.testing.assert_allclose(ours, theirs, atol=1e-4)
        assert np.abs(ours[0, :, 1]).max() < 1e-5
    assert two_person >= 1  # S001C003P008R002A058
