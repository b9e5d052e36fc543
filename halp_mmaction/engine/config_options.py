"""``--cfg-options`` that the tools build for a config: a config read with
``KEY=VALUE`` overrides, and every dataset of a config pointed at one
pickle."""
import argparse
from typing import List, Sequence

from mmengine.config import Config, DictAction


def merged_config(config: str, cfg_options: Sequence[str] = ()) -> Config:
    """A config file read with tools/train.py-style ``KEY=VALUE`` overrides."""
    cfg = Config.fromfile(config)
    if cfg_options:
        parser = argparse.ArgumentParser()
        parser.add_argument('--o', nargs='+', action=DictAction)
        cfg.merge_from_dict(parser.parse_args(['--o', *cfg_options]).o)
    return cfg


def ann_file_options(cfg: Config, ann_file: str) -> List[str]:
    """``KEY=ann_file`` for every ``ann_file`` in a config's dataloaders
    (through wrappers such as ``LabelledSubsetDataset`` and the bank and
    query of a ``KNNEvalDataset``), so that every dataset reads one pickle.
    """
    options = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == 'ann_file':
                    options.append(f'{path}.ann_file={ann_file}')
                else:
                    walk(value, f'{path}.{key}')

    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(loader):
            walk(cfg[loader], loader)
    return options
