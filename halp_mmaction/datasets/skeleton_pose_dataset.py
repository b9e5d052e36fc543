"""MMAction2's PoseDataset with errors that say what to do."""
import os.path as osp
from typing import Dict, List

import mmengine
from mmaction.datasets import PoseDataset
from mmaction.registry import DATASETS

PREPARE_HINT = (
    'Prepare it from the raw dataset with the converters in tools/data/ '
    '(e.g. `python tools/data/ntu/convert.py --data-root RAW_DIR --dataset '
    'ntu60 --out data/skeleton/ntu60_3d.pkl`; see "Data preparation" in the '
    'README), or point `ann_file` at an existing MMAction2 skeleton pickle '
    "(e.g. --cfg-options ann_file=... in the config's data section).")


@DATASETS.register_module()
class SkeletonPoseDataset(PoseDataset):
    """:class:`mmaction.datasets.PoseDataset` with actionable errors.

    Same arguments and pickle schema as ``PoseDataset`` (skeleton pickles
    only: no video ``data_prefix``). The file is read once. A missing
    annotation file raises ``FileNotFoundError`` that says how to prepare
    it, and an unknown ``split`` lists the splits the file has.
    """

    def load_data_list(self) -> List[Dict]:
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'Skeleton annotation file "{self.ann_file}" does not exist. '
                + PREPARE_HINT)
        data = mmengine.load(self.ann_file)
        annotations = data['annotations']
        if self.split is None:
            return annotations
        splits = data.get('split', {})
        if self.split not in splits:
            raise KeyError(f'split "{self.split}" is not in {self.ann_file}; '
                           f'it has {sorted(splits)}')
        names = set(splits[self.split])
        key = 'filename' if annotations and 'filename' in annotations[0] \
            else 'frame_dir'
        return [ann for ann in annotations if ann[key] in names]
