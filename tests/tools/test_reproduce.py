"""tools/reproduce.py: the whole chain (MoCo, HaLP resuming it, kNN, linear,
semi-supervised, transfer) on the demo data with a tiny BiGRU and tiny
epochs, killed in stage 2 and run again: it picks up where it stopped."""
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import REPO_ROOT

LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
NO_WORKERS = [f'{loader}.{key}' for loader in LOADERS
              for key in ('num_workers=0', 'persistent_workers=False')]
PRETRAIN = ['model.backbone.hidden_channels=16', 'model.neck.in_channels=32',
            'model.neck.hid_channels=32', 'model.queue_len=64',
            'model.halp_head.num_keys=32', 'train_dataloader.batch_size=32',
            *NO_WORKERS]
EVAL = ['model.backbone.hidden_channels=16', 'model.cls_head.in_channels=32',
        'train_dataloader.batch_size=32', *NO_WORKERS]


def _command(data, work_dir):
    return [sys.executable, str(REPO_ROOT / 'tools' / 'reproduce.py'),
            '--encoder', 'bigru', '--dataset', 'ntu60', '--split', 'xsub',
            '--data', str(data), '--transfer-data', str(data),
            '--work-dir', str(work_dir), '--epochs', '2', '6',
            '--eval-epochs', '2', '--semi-uniform',
            '--pretrain-options', *PRETRAIN, '--eval-options', *EVAL]


@pytest.fixture(scope='module')
def demo_pickle(tmp_path_factory):
    out = tmp_path_factory.mktemp('demo') / 'demo_3d.pkl'
    subprocess.check_call([
        sys.executable, str(REPO_ROOT / 'tools' / 'data' / 'demo' /
                            'generate_demo_data.py'), '--out', str(out)])
    return out


def test_the_chain_runs_and_resumes_after_a_kill(demo_pickle, tmp_path):
    work = tmp_path / 'reproduce'
    env = dict(os.environ, OMP_NUM_THREADS='1')
    proc = subprocess.Popen(_command(demo_pickle, work), cwd=REPO_ROOT,
                            env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    # Kill the whole chain once stage 2 has saved its first checkpoint.
    deadline = time.time() + 600
    while not (work / 'stage2' / 'epoch_4.pth').exists():
        assert proc.poll() is None, proc.stdout.read()
        assert time.time() < deadline
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (work / 'stage2' / 'epoch_6.pth').exists()

    out = subprocess.run(_command(demo_pickle, work), cwd=REPO_ROOT,
                         env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout
    assert '1/6 stage1: done already' in lines
    assert '2/6 stage2: configs/halp/halp_bigru_moco-200e-resume_1xb64-450e' \
        '_ntu60-xsub.py' in lines
    stage2_log = (work / 'stage2.log').read_text()
    # The first run resumed stage 1 at epoch 2; the second its own epoch 4.
    assert 'resumed epoch: 2' in stage2_log
    assert 'resumed epoch: 4' in stage2_log
    for step in ('3/6 knn', '4/6 linear', '5/6 semi', '6/6 transfer'):
        assert step in lines
    table = (work / 'table.md').read_text()
    assert table in lines
    assert '| linear top-1, best (as the official script) |' in table
    assert '| 79.7 |' in table  # the paper's figure beside ours
    for name in ('knn/knn.json', 'linear/test_metrics.json',
                 'semi_1p/semi_supervised.json',
                 'semi_20p/semi_supervised.json',
                 'transfer/test_metrics.json'):
        assert (work / name).is_file(), name

    # A third run finds everything done and only prints the table.
    again = subprocess.run(_command(demo_pickle, work), cwd=REPO_ROOT,
                           env=env, capture_output=True, text=True)
    assert again.returncode == 0
    assert again.stdout.count('done already') == 9
    assert (work / 'table.md').read_text() == table
