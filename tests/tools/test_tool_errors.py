"""What the command-line tools say when a checkpoint is foreign, corrupt or
has NaN weights: one line naming the file (and what to do), nothing run."""
import importlib.util
import shutil
import sys

import pytest
import torch
from conftest import REPO_ROOT, tiny_demo_cfg
from mmengine.runner import Runner

from halp_mmaction.engine.checkpoint import (CheckpointError,
                                             load_from_local)

TOOLS = REPO_ROOT / 'tools'


def _tool(path):
    file = TOOLS / path
    sys.path.insert(0, str(file.parent))
    try:
        spec = importlib.util.spec_from_file_location(
            f'{file.stem}_errors', file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(file.parent))
    return module


def _run(tool, argv):
    """The tool as ``python tools/...`` runs it: main() through its
    __main__ guard's error handling."""
    from halp_mmaction.engine.checkpoint import exit_on_checkpoint_error
    module = _tool(tool)
    if tool == 'train.py':
        return module.main(argv)
    return exit_on_checkpoint_error(module.main, argv)


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """Two epochs of the tiny demo config: its config file, work dir and
    checkpoints epoch_1.pth, epoch_2.pth."""
    work = tmp_path_factory.mktemp('trained')
    cfg = tiny_demo_cfg(work, max_epochs=2, warmup_samples=0)
    torch.set_num_threads(1)
    Runner.from_cfg(cfg).train()
    path = work / 'tiny_demo.py'
    cfg.dump(str(path))
    return path, work


def test_a_corrupt_checkpoint_is_one_line_naming_it(trained, tmp_path,
                                                    capsys):
    config, work = trained
    cases = dict(empty=b'', garbage=b'not a checkpoint at all',
                 truncated=(work / 'epoch_2.pth').read_bytes()[:2000])
    for name, data in cases.items():
        bad = tmp_path / f'{name}.pth'
        bad.write_bytes(data)
        with pytest.raises(CheckpointError, match=f'{bad} cannot be read'):
            load_from_local(str(bad))
        for tool in ('test.py', 'eval/knn.py', 'eval/linear_probe.py'):
            argv = [str(config), str(bad)]
            if tool == 'test.py':
                argv += ['--work-dir', str(tmp_path / 'test')]
            with pytest.raises(SystemExit) as info:
                _run(tool, argv)
            message = str(info.value.code)
            assert message.startswith(f'error: checkpoint {bad} cannot be '
                                      'read'), (tool, message)
            assert '\n' not in message and 'truncated' in message
    with pytest.raises(CheckpointError, match='does not exist'):
        load_from_local(str(tmp_path / 'nothing.pth'))


def test_test_py_refuses_a_checkpoint_of_another_model(trained, tmp_path):
    config, work = trained
    state = torch.load(work / 'epoch_2.pth', weights_only=False)
    # Another architecture: a wider first block.
    foreign = dict(state_dict={
        k: (torch.zeros(*v.shape[:-1], v.shape[-1] + 1)
            if k == 'backbone.gcn.0.gcn.conv.weight' else v)
        for k, v in state['state_dict'].items()})
    torch.save(foreign, tmp_path / 'foreign.pth')
    # No encoder at all (e.g. a detector's checkpoint).
    torch.save(dict(state_dict=dict(roi_head=torch.zeros(3))),
               tmp_path / 'other.pth')
    out = tmp_path / 'test'
    with pytest.raises(SystemExit) as info:
        _run('test.py', [str(config), str(tmp_path / 'foreign.pth'),
                         '--work-dir', str(out)])
    assert 'does not match the model\'s "backbone.*" weights: 0 missing ' \
        '(), 0 unexpected (), 1 of another shape (gcn.0.gcn.conv.weight)' \
        in str(info.value.code)
    with pytest.raises(SystemExit) as info:
        _run('test.py', [str(config), str(tmp_path / 'other.pth'),
                         '--work-dir', str(out)])
    assert "has no \"backbone.*\" weights; its top-level prefixes are " \
        "['roi_head.']" in str(info.value.code)
    # The checkpoint that fits runs, and gives the kNN of the trained model.
    metrics = _run('test.py', [str(config), str(work / 'epoch_2.pth'),
                               '--work-dir', str(out)])
    assert 0 <= metrics['knn/top1'] <= 100


def test_resume_onto_a_truncated_checkpoint_names_an_older_one(trained,
                                                               tmp_path):
    config, work = trained
    copy = tmp_path / 'work'
    shutil.copytree(work, copy)
    last = copy / 'epoch_2.pth'
    (copy / 'last_checkpoint').write_text(str(last))
    last.write_bytes(last.read_bytes()[:1000])  # an interrupted save
    with pytest.raises(SystemExit) as info:
        _run('train.py', [str(config), '--work-dir', str(copy), '--resume',
                          '--cfg-options', 'train_cfg.max_epochs=3'])
    message = str(info.value.code)
    assert message.startswith(f'error: checkpoint {last} cannot be read')
    assert f'Resume from an older one instead: --resume ' \
        f'{copy / "epoch_1.pth"}' in message


def test_nan_weights_give_a_clear_error_in_the_feature_tools(trained,
                                                             tmp_path):
    config, work = trained
    state = torch.load(work / 'epoch_2.pth', weights_only=False)
    key = 'backbone.gcn.0.gcn.conv.weight'
    state['state_dict'][key] = torch.full_like(state['state_dict'][key],
                                               float('nan'))
    torch.save(state, tmp_path / 'nan.pth')
    for tool in ('eval/knn.py', 'eval/linear_probe.py'):
        with pytest.raises(ValueError, match=r'non-finite features for 36 '
                           r'of 36 samples \(S0'):
            _run(tool, [str(config), str(tmp_path / 'nan.pth')])
