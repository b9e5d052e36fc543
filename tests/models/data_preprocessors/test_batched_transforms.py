"""The batched view transforms against their per-sample references: given
the per-sample transform's own draws, each batched op gives its output; and
the batched draws follow the per-sample distributions."""
import numpy as np
import pytest
import torch
from mmaction.registry import TRANSFORMS

from halp_mmaction.models.data_preprocessors import build_batched_transform
from halp_mmaction.models.data_preprocessors.batched_transforms import (
    apply_linear, batched_views)

LENGTHS = (37, 80, 64, 120, 51)
V = 25


def _samples():
    """(M=2, L, 25, 3) skeletons; the second person is absent in odd ones,
    and one joint is absent throughout sample 0."""
    rng = np.random.default_rng(0)
    samples = []
    for i, length in enumerate(LENGTHS):
        kp = rng.normal(0, 0.5, (2, length, V, 3)).astype(np.float32)
        if i % 2:
            kp[1] = 0
        samples.append(kp)
    samples[0][:, :, 3] = 0
    return samples


def _padded(samples):
    """The (N, M, T_max, V, C) zero-padded batch and its lengths."""
    t_max = max(s.shape[1] for s in samples)
    batch = np.zeros((len(samples), 2, t_max, V, 3), np.float32)
    for i, s in enumerate(samples):
        batch[i, :, :s.shape[1]] = s
    return torch.from_numpy(batch), torch.tensor([s.shape[1]
                                                  for s in samples])


def _per_sample(cfg, samples, seed, draw):
    """Each sample through the per-sample transform, and the same sample's
    draws (``draw(transform, keypoint)`` right after the same seed)."""
    transform = TRANSFORMS.build(cfg)
    outputs, draws = [], []
    for i, kp in enumerate(samples):
        np.random.seed(seed + i)
        results = dict(keypoint=kp.copy(), total_frames=kp.shape[1])
        outputs.append(transform(results)['keypoint'])
        np.random.seed(seed + i)
        draws.append(draw(transform, kp))
    return transform, outputs, draws


def _check_equal(out, lengths, outputs):
    for i, expected in enumerate(outputs):
        frames = expected.shape[1]
        np.testing.assert_allclose(out[i, :, :frames].numpy(), expected,
                                   rtol=1e-5, atol=1e-5)
        # Padding stays zero.
        assert not out[i, :, frames:].any()


@pytest.mark.parametrize('center', [False, True])
def test_temporal_crop_resize_matches_per_sample(center):
    samples = _samples()
    ratio = 0.8 if center else (0.1, 1.0)
    cfg = dict(type='TemporalCropResize', clip_len=32, crop_ratio=ratio,
               min_crop_len=16, center=center)
    transform, outputs, draws = _per_sample(
        cfg, samples, 10, lambda t, kp: t._crop_window(kp.shape[1]))
    x, lengths = _padded(samples)
    op = build_batched_transform(cfg)
    start, length = (torch.tensor(d) for d in zip(*draws))
    out, out_len = op.augment(x, lengths, start=start, length=length)
    assert out.shape == (len(samples), 2, 32, V, 3)
    assert out_len.tolist() == [32] * len(samples)
    _check_equal(out, lengths, outputs)
    # Absent persons and joints stay zero.
    assert not out[1, 1].any() and not out[0, :, :, 3].any()


def test_temporal_crop_resize_draws_per_sample_windows():
    op = build_batched_transform(
        dict(type='TemporalCropResize', clip_len=8, crop_ratio=(0.1, 1.0),
             min_crop_len=8))
    num = 4000
    lengths = torch.tensor([5, 100] * (num // 2))
    torch.manual_seed(0)
    params = op.draw(torch.zeros(num, 1, 100, V, 3), lengths)
    start, length = params['start'], params['length']
    # Short sequences are taken whole; long ones get floor(L * r) >= 8.
    assert (length[0::2] == 5).all() and (start[0::2] == 0).all()
    long_len, long_start = length[1::2], start[1::2]
    assert long_len.min() >= 10 - 2 and long_len.max() <= 100
    assert (long_start >= 0).all() and (long_start + long_len <= 100).all()
    # r ~ U(0.1, 1): the mean crop is ~55 frames; crops differ per sample.
    assert abs(long_len.double().mean().item() - 55) < 2
    assert len(set(zip(long_start.tolist(), long_len.tolist()))) > 500
    # The start is uniform over its slots: mean (L - len) / 2.
    slack = (100 - long_len).double()
    assert abs((long_start.double() - slack / 2).mean().item()) < 1


def _linear_case(cfg_type, kwargs, draw, to_params):
    samples = _samples()
    cfg = dict(type=cfg_type, **kwargs)
    _, outputs, draws = _per_sample(cfg, samples, 20, draw)
    x, lengths = _padded(samples)
    op = build_batched_transform(cfg)
    out, _ = op.augment(x, lengths, **to_params(draws))
    _check_equal(out, lengths, outputs)
    assert not out[1, 1].any() and not out[0, :, :, 3].any()


def test_shear_matches_per_sample():
    _linear_case(
        'RandomShear', dict(beta=0.7), lambda t, kp: t._shear_matrix(),
        lambda d: dict(matrix=torch.from_numpy(np.stack(d)).float()
                       .transpose(1, 2)))


def test_rotation_matches_per_sample():
    _linear_case(
        'RandomRotation', dict(max_angle=(0.3, 1.0, 0.5)),
        lambda t, kp: t._rotation(),
        lambda d: dict(matrix=torch.from_numpy(np.stack(d)).transpose(1, 2)))


def test_joint_corruption_matches_per_sample():
    def to_params(draws):
        joints = torch.zeros(len(draws), V, dtype=torch.bool)
        for i, (_, picked, _) in enumerate(draws):
            joints[i, torch.from_numpy(picked)] = True
        # Zeroing is mixing by the zero matrix.
        return dict(joints=joints, matrix=torch.stack([
            torch.zeros(3, 3) if zero else torch.from_numpy(mix)
            for zero, _, mix in draws]))

    _linear_case('JointCorruption', dict(num_joints=9, p_zero=0.5),
                 lambda t, kp: t._draw(kp.shape[2]), to_params)


def test_linear_map_of_some_joints_leaves_the_others_exactly():
    """The selected joints become x @ A; the others keep their values
    exactly (the identity they are mapped by), absent joints included."""
    x = torch.randn(3, 2, 5, V, 3)
    x[0, :, :, 4] = 0
    matrix = torch.randn(3, 3, 3)
    joints = torch.rand(3, V) < 0.5
    joints[0, 4] = False
    out = apply_linear(x, joints, matrix)
    mapped = torch.einsum('nmtvi,nij->nmtvj', x.double(), matrix.double())
    keep = ~joints.view(3, 1, 1, V, 1).expand_as(x)
    assert torch.equal(out[keep], x[keep])
    torch.testing.assert_close(out[~keep].double(), mapped[~keep],
                               rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(apply_linear(x, None, matrix).double(), mapped,
                               rtol=1e-5, atol=1e-5)


def test_joint_corruption_draws_distinct_joints():
    op = build_batched_transform(dict(type='JointCorruption', num_joints=9))
    torch.manual_seed(0)
    params = op.draw(torch.zeros(3000, 1, 4, V, 3), torch.full((3000, ), 4))
    joints, matrix = params['joints'], params['matrix']
    assert (joints.sum(1) == 9).all()
    # Every joint is picked with probability 9 / 25; half the samples zero.
    assert torch.allclose(joints.double().mean(0),
                          torch.full((V, ), 9 / 25, dtype=torch.float64),
                          atol=0.04)
    zeroed = (matrix == 0).flatten(1).all(1)
    assert abs(zeroed.double().mean().item() - 0.5) < 0.04
    mixed = matrix[~zeroed]
    assert mixed.abs().max() <= 1
    assert abs(mixed.std().item() - 1 / 3**0.5) < 0.02
    with pytest.raises(ValueError, match='num_joints=9 exceeds the 5 joints'):
        op.draw(torch.zeros(2, 1, 4, 5, 3), torch.full((2, ), 4))


def test_lr_flip_matches_per_sample():
    samples = _samples()
    cfg = dict(type='RandomLRFlip', p=0.5)
    _, outputs, draws = _per_sample(cfg, samples, 30,
                                    lambda t, kp: np.random.rand() < t.p)
    assert 0 < sum(draws) < len(draws)
    x, lengths = _padded(samples)
    out, _ = build_batched_transform(cfg).augment(
        x, lengths, flip=torch.tensor(draws))
    _check_equal(out, lengths, outputs)
    # Absent joints stay +0.0 (no -0.0 from the negated x).
    assert not torch.signbit(out[1, 1]).any()


def test_scale_and_jitter_match_per_sample():
    for isotropic in (False, True):
        _linear_case(
            'RandomScale', dict(scale=(0.5, 1.5), isotropic=isotropic),
            lambda t, kp: t._factors(kp.shape[-1]),
            lambda d: dict(factors=torch.from_numpy(np.stack(d))))
    samples = _samples()
    t_max = max(LENGTHS)

    def noise(t, kp):
        full = np.zeros((2, t_max, V, 3))
        full[:, :kp.shape[1]] = np.random.normal(0, t.std, kp.shape)
        return full

    cfg = dict(type='GaussianJitter', std=0.05)
    _, outputs, draws = _per_sample(cfg, samples, 40, noise)
    x, lengths = _padded(samples)
    out, _ = build_batched_transform(cfg).augment(
        x, lengths, noise=torch.from_numpy(np.stack(draws)))
    _check_equal(out, lengths, outputs)
    assert not out[1, 1].any() and not out[0, :, :, 3].any()


def test_random_choice_keeps_each_samples_branch():
    cfg = dict(type='RandomChoice',
               transforms=[[dict(type='RandomScale', scale=2.0)],
                           [dict(type='RandomScale', scale=3.0)],
                           [dict(type='RandomScale', scale=5.0)]],
               prob=[0.2, 0.3, 0.5])
    op = build_batched_transform(cfg)
    torch.manual_seed(0)
    x = torch.ones(6000, 1, 2, 3, 3)
    branch = op.draw(x, torch.full((6000, ), 2))['branch']
    freq = torch.bincount(branch, minlength=3).double() / 6000
    assert torch.allclose(freq, torch.tensor([0.2, 0.3, 0.5],
                                             dtype=torch.float64), atol=0.03)
    out, _ = op.augment(x, torch.full((6000, ), 2), branch=branch)
    factor = torch.tensor([2.0, 3.0, 5.0])[branch]
    assert torch.equal(out, factor.view(-1, 1, 1, 1, 1).expand_as(x))


def test_unsupported_and_incomplete_views_fail_clearly():
    with pytest.raises(ValueError, match='VectorizedPreNormalize3D has no '
                       'on-device counterpart'):
        build_batched_transform(dict(type='VectorizedPreNormalize3D'))
    crop = dict(type='TemporalCropResize', clip_len=8, min_crop_len=8)
    shear = dict(type='RandomShear')
    for views in ([shear], [shear, crop]):
        with pytest.raises(ValueError,
                           match='must start with a TemporalCropResize'):
            batched_views(views)
    with pytest.raises(ValueError, match='beta must be >= 0'):
        build_batched_transform(dict(type='RandomShear', beta=-1))


def test_rotation_and_shear_draws():
    from halp_mmaction.datasets.transforms.random_rotation import \
        rotation_matrix
    from halp_mmaction.models.data_preprocessors.batched_transforms import \
        batched_rotation_matrix
    angles = torch.tensor([[0.1, -0.2, 0.3], [1.0, 0.5, -2.0]],
                          dtype=torch.float64)
    for a, rot in zip(angles, batched_rotation_matrix(angles)):
        np.testing.assert_allclose(rot.numpy(), rotation_matrix(a.numpy()),
                                   atol=1e-12)
    x, lengths = torch.zeros(2000, 1, 1, V, 3), torch.ones(2000)
    torch.manual_seed(0)
    rot = build_batched_transform(
        dict(type='RandomRotation', max_angle=0.3)).draw(x, lengths)['matrix']
    eye = torch.eye(3, dtype=rot.dtype).expand_as(rot)
    assert torch.allclose(rot @ rot.transpose(1, 2), eye, atol=1e-6)
    # Angles |a| <= 0.3 about each axis: every diagonal entry is at least
    # cos(0.3)^2 - sin(0.3)^3, and some come near it.
    diag = rot.diagonal(dim1=1, dim2=2)
    assert diag.min() > np.cos(0.3)**2 - np.sin(0.3)**3 - 1e-6
    assert diag.min() < np.cos(0.3)**2 + 0.02
    shear = build_batched_transform(
        dict(type='RandomShear', beta=0.5)).draw(x, lengths)['matrix']
    assert (shear.diagonal(dim1=1, dim2=2) == 1).all()
    off = shear[:, ~torch.eye(3, dtype=torch.bool)]
    assert off.abs().max() <= 0.5
    assert abs(off.std().item() - 1 / 12**0.5) < 0.01


def test_a_choice_of_linear_maps_is_one_product_with_each_samples_draws():
    """The merged choice of shear or corruption gives, sample by sample,
    what the branch it drew gives with the same draws."""
    cfg = dict(type='RandomChoice',
               transforms=[[dict(type='JointCorruption', num_joints=7)],
                           [dict(type='RandomShear', beta=0.5)]])
    op = build_batched_transform(cfg)
    assert op.linear
    x, lengths = _padded(_samples())
    x = x[:, :, :32]
    state = torch.get_rng_state()
    out, _ = op(x, lengths)
    torch.set_rng_state(state)
    branch = op.draw(x, lengths)['branch']
    after_branch = torch.get_rng_state()
    corruption = op.branches[0].transforms[0].draw(x, lengths)
    shear = op.branches[1].transforms[0].draw(x, lengths)
    expected = torch.where(
        (branch == 0).view(-1, 1, 1, 1, 1),
        op.branches[0].transforms[0].augment(x, lengths, **corruption)[0],
        op.branches[1].transforms[0].augment(x, lengths, **shear)[0])
    torch.testing.assert_close(out, expected)
    # The general path (every branch on the whole batch) agrees.
    torch.set_rng_state(after_branch)
    general, _ = op.augment(x, lengths, branch)
    torch.testing.assert_close(general, out)
