"""``tools/train.py CONFIG`` and ``tools/test.py CONFIG CKPT`` on every
config, as a user types them (no --seed), far enough to build the Runner and
its data: tiny pickles stand in for the datasets at the paths the configs
read, in a scratch working directory."""
import json
import pickle
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO_ROOT
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.runner import Runner

CONFIG_DIR = REPO_ROOT / 'configs'
CONFIGS = sorted(p for p in CONFIG_DIR.rglob('*.py')
                 if p.relative_to(CONFIG_DIR).parts[0] != '_base_')
PROTOCOLS = ('xsub', 'xview', 'xset')


def _id(path: Path) -> str:
    return str(path.relative_to(CONFIG_DIR))


def _tool(name: str):
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        f'{name}_tool', REPO_ROOT / 'tools' / f'{name}.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pickles(folder: Path) -> None:
    """Every pickle a config reads, with every split it uses: 4 classes,
    400 training samples (the 1 % semi-supervised subset keeps one per
    class), 12 val samples, 1-2 persons, 8-19 frames."""
    rng = np.random.default_rng(0)
    annotations, split = [], {}
    for p, protocol in enumerate(PROTOCOLS):
        for part, size in (('train', 400), ('val', 12)):
            names = []
            for i in range(size):
                name = f'S00{p + 1}C001P{i + 1:03d}R00{len(split) + 1}A{i:03d}'
                persons, frames = 1 + i % 2, 8 + i % 12
                annotations.append(dict(
                    frame_dir=name, label=i % 4, total_frames=frames,
                    keypoint=rng.normal(size=(persons, frames, 25, 3)).astype(
                        np.float32)))
                names.append(name)
            split[f'{protocol}_{part}'] = names
    folder.mkdir(parents=True, exist_ok=True)
    used = {line.split("'")[1] for path in CONFIG_DIR.rglob('*.py')
            for line in path.read_text().splitlines()
            if line.startswith('ann_file = ')}
    for name in used:
        with open(folder / Path(name).name, 'wb') as f:
            pickle.dump(dict(split=split, annotations=annotations), f)


@pytest.fixture(scope='module')
def scratch(tmp_path_factory):
    root = tmp_path_factory.mktemp('cli')
    _pickles(root / 'data' / 'skeleton')
    return root


@pytest.fixture
def stop_after_build(monkeypatch):
    """Runner.train / Runner.test build their loop and its data, then stop;
    they return the runner."""
    built = []

    def train(self):
        self._train_loop = self.build_train_loop(self._train_loop)
        assert len(self.train_dataloader.dataset) > 0
        built.append(self)

    def test(self):
        self._test_loop = self.build_test_loop(self._test_loop)
        assert len(self.test_dataloader.dataset) > 0
        built.append(self)

    monkeypatch.setattr(Runner, 'train', train)
    monkeypatch.setattr(Runner, 'test', test)
    # yapf-formatting the config for the log is 2/3 of the time; the plain
    # text logs the same settings.
    monkeypatch.setattr(Config, 'pretty_text', property(lambda c: c.text))
    # The configs hold a handful of distinct models (a full-size BiGRU takes
    # seconds): each is built once, and a config that differs from a built
    # one only by its data preprocessor (a stream's) gets that rebuilt.
    build_model = Runner.build_model

    def cached_build_model(self, model):
        rest = dict(model)
        preprocessor = rest.pop('data_preprocessor', None)
        key = json.dumps([rest, preprocessor is None], sort_keys=True,
                         default=str)
        if key not in _MODELS:
            _MODELS[key] = build_model(self, model)
        elif preprocessor is not None:
            _MODELS[key].data_preprocessor = MODELS.build(preprocessor)
        return _MODELS[key]

    monkeypatch.setattr(Runner, 'build_model', cached_build_model)
    return built


_MODELS = {}


@pytest.mark.parametrize('config', CONFIGS, ids=_id)
def test_train_and_test_commands_build_every_config(config, scratch,
                                                    monkeypatch,
                                                    stop_after_build):
    monkeypatch.chdir(scratch)
    monkeypatch.setattr(sys, 'argv', ['tools/train.py'])
    _tool('train').main([str(config)])
    runner = stop_after_build[-1]
    # No seed in the config or on the command line: mmengine drew one.
    assert isinstance(runner.seed, int)
    assert Path(runner.work_dir).parent == scratch / 'work_dirs'

    # tools/test.py: the checkpoint check itself is tested on real
    # checkpoints elsewhere; here a stand-in accepts the file.
    test_tool = _tool('test')
    monkeypatch.setattr(test_tool, 'check_checkpoint_fits',
                        lambda model, ckpt: 1)
    test_tool.main([str(config), 'checkpoint.pth'])
    assert stop_after_build[-1].cfg.load_from == 'checkpoint.pth'


def test_the_missing_data_hint_works_as_written(scratch, tmp_path,
                                                monkeypatch, stop_after_build):
    """Without the pickle the command stops with the hint; the hint's
    --cfg-options then run it on a pickle kept elsewhere."""
    import re

    from halp_mmaction.datasets.skeleton_pose_dataset import PREPARE_HINT
    monkeypatch.chdir(tmp_path)  # no data/ here
    config = str(CONFIG_DIR / 'halp_stgcn_ntu60.py')
    with pytest.raises(FileNotFoundError, match='convert.py'):
        _tool('train').main([config])
    options = re.search(r'--cfg-options (.*?)` for', PREPARE_HINT)[1]
    pkl = str(scratch / 'data' / 'skeleton' / 'ntu60_3d.pkl')
    _tool('train').main([config, '--cfg-options',
                         *options.replace('PKL', pkl).split()])
    runner = stop_after_build[-1]
    assert runner.train_dataloader.dataset.ann_file == pkl
