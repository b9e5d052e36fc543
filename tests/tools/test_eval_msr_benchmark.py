"""The MSR Action3D benchmark's data steps and raw-pose baseline; the real
recordings in ../shared/data (skipped when absent)."""
import importlib.util

import numpy as np
import pytest
from conftest import REPO_ROOT


def _benchmark():
    path = REPO_ROOT / 'tools' / 'benchmarks' / 'msr_action3d.py'
    spec = importlib.util.spec_from_file_location('msr_benchmark', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hip_normalise_centres_every_frame_and_fixes_the_scale():
    bench = _benchmark()
    rng = np.random.default_rng(0)
    kp = rng.normal(size=(1, 6, 25, 3)) + np.arange(6)[None, :, None, None]
    kp[0, 2] = 0  # an untracked frame
    out = bench.hip_normalise(kp * 3.0)
    tracked = [0, 1, 3, 4, 5]
    assert np.allclose(out[0, :, bench.HIP], 0)
    assert np.abs(out[0, 2]).max() == 0  # stays untracked
    dist = np.linalg.norm(out[0, tracked], axis=-1)
    assert dist.mean() == pytest.approx(1.0, rel=1e-5)
    # Translation and scale do not change it.
    np.testing.assert_allclose(out, bench.hip_normalise(kp), atol=1e-5)


def test_subject_of():
    assert _benchmark().subject_of('a13_s09_e02') == 9


def test_raw_pose_baseline_reproduces_the_reference_1nn(shared_data,
                                                        tmp_path):
    """../shared/data/README.md: raw poses, 32 frames, hip-centred,
    scale-normalised: 1-NN 70.2 % on the cross-subject split."""
    bench = _benchmark()
    raw = bench.convert(shared_data / 'msr_action3d', str(tmp_path))
    ann_file = bench.normalise(raw, str(tmp_path))
    train_x, train_y, subjects = bench.raw_pose_features(ann_file,
                                                         'xsub_train')
    test_x, test_y, test_subjects = bench.raw_pose_features(ann_file,
                                                            'xsub_val')
    assert train_x.shape == (291, 32 * 25 * 3) and len(test_y) == 275
    assert set(subjects) == {1, 3, 5, 7, 9}
    assert set(test_subjects) == {2, 4, 6, 8, 10}
    import torch

    from halp_mmaction.evaluation import knn_predict
    pred = knn_predict(torch.from_numpy(train_x), torch.from_numpy(train_y),
                       torch.from_numpy(test_x)).numpy()
    assert (pred == test_y).mean() * 100 == pytest.approx(70.2, abs=1.0)


def test_cfg_options_reach_both_pretraining_configs():
    bench = _benchmark()
    options = ['model.backbone.base_channels=48', 'model.neck.in_channels=96']
    for name in ('halp', 'moco'):
        cfg = bench.merged_config(bench.CONFIGS[name], options)
        assert cfg.model.backbone.base_channels == 48
        assert cfg.model.neck.in_channels == 96
    args = bench.parse_args(['--data-root', 'd', '--work-dir', 'w', '--out',
                             'o.json', '--methods', 'halp'])
    assert args.methods == ['halp'] and args.cfg_options == []
    with pytest.raises(SystemExit):
        bench.parse_args(['--data-root', 'd', '--work-dir', 'w', '--out',
                          'o.json', '--methods', 'simclr'])
