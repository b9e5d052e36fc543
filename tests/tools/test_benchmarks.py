"""The speed benchmarks through tools/benchmarks/gpu_check.sh in its
smallest form on the CPU: every script runs, and one JSON gathers their
figures."""
import json
import os
import subprocess
import sys

from conftest import REPO_ROOT


def test_gpu_check_in_its_smallest_form_on_the_cpu(tmp_path):
    out = tmp_path / 'gpu_check.json'
    env = dict(os.environ, PYTHON=sys.executable)
    proc = subprocess.run(
        ['bash', str(REPO_ROOT / 'tools' / 'benchmarks' / 'gpu_check.sh'),
         '--device', 'cpu', '--small', '--out', str(out)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    figures = json.loads(out.read_text())
    views, speed, bigru = (figures[k] for k in ('views', 'speed', 'bigru'))
    for name in ('device_views_samples_per_s',
                 'per_sample_views_samples_per_s',
                 'per_sample_pipeline_samples_per_s',
                 'device_loader_samples_per_s',
                 'device_loader_pseudo_collate_samples_per_s',
                 'preprocess_ms_per_sample'):
        assert views[name] > 0, name
    assert views['device'] == 'cpu' and views['batch_size'] == 8
    assert speed['moco_step_s'] > 0 and speed['halp_over_moco'] > 0
    assert speed['kmeans_s'] > 0 and 0 < speed['kmeans_objective'] <= 1
    # Both BiGRU sides compute the same features.
    assert bigru['max_abs_diff'] < 1e-4 and bigru['speedup'] > 0
    demo = figures['demo']
    assert not demo['stopped_by_time_limit'] and not demo['amp']
    assert list(demo['knn_top1_by_epoch']) == ['1']
    assert figures['ddp_nccl_test'] == 'skipped'  # no GPU here


def test_gpu_check_rejects_unknown_options():
    proc = subprocess.run(
        ['bash', str(REPO_ROOT / 'tools' / 'benchmarks' / 'gpu_check.sh'),
         '--fast'], cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and 'unknown option --fast' in proc.stderr
