"""MMAction2's PoseDataset that checks what it loads and says what to do."""
import os.path as osp
import time
from typing import Dict, List, Optional, Sequence

import mmengine
import numpy as np
from mmaction.datasets import PoseDataset
from mmaction.registry import DATASETS
from mmengine.dataset import Compose
from mmengine.logging import print_log

PREPARE_HINT = (
    'Prepare it from the raw dataset with the converters in tools/data/ '
    '(e.g. `python tools/data/ntu/convert.py --data-root RAW_DIR --dataset '
    'ntu60 --out data/skeleton/ntu60_3d.pkl`; see "Data preparation" in the '
    'README), or put an existing MMAction2 skeleton pickle at that path '
    '(a symbolic link will do), or point each dataset of the config at it, '
    'e.g. `--cfg-options train_dataloader.dataset.ann_file=PKL '
    'val_dataloader.dataset.bank.ann_file=PKL '
    'val_dataloader.dataset.query.ann_file=PKL` for a pretraining config.')
MAX_LISTED = 5
# Sets at least this large log the progress of their preprocessing.
PROGRESS_FROM = 5000


def check_annotations(annotations: List[Dict], source: str,
                      num_joints: Optional[int]) -> None:
    """Check every sample's keypoints once, at load time.

    Each ``keypoint`` must be a 4-D (M, T, V, C) float array with M, T >= 1,
    C 2 or 3, V ``num_joints`` (or, with None, the same V in every sample),
    every value finite, and ``total_frames`` (if given) equal to T.

    Args:
        annotations (list[dict]): The samples.
        source (str): Where they come from, for the error.
        num_joints (int, optional): The layout's joint count.

    Raises:
        ValueError: naming the samples (``frame_dir``) and what is wrong.
    """
    problems = []
    expected_v = num_joints
    for index, ann in enumerate(annotations):
        name = ann.get('frame_dir', ann.get('filename', f'#{index}'))
        keypoint = ann.get('keypoint')
        if keypoint is None:
            problem = 'no "keypoint"'
        elif not isinstance(keypoint, np.ndarray) or keypoint.ndim != 4 or \
                not np.issubdtype(keypoint.dtype, np.floating):
            problem = ('"keypoint" must be a float array (M, T, V, C), got '
                       f'{getattr(keypoint, "dtype", type(keypoint))} '
                       f'{getattr(keypoint, "shape", "")}')
        else:
            m, t, v, c = keypoint.shape
            if expected_v is None:
                expected_v = v
            if m < 1 or t < 1:
                problem = f'empty keypoint {keypoint.shape} (no person or ' \
                    'no frame)'
            elif c not in (2, 3):
                problem = f'keypoint {keypoint.shape}: C must be 2 or 3'
            elif v != expected_v:
                why = 'the layout has' if num_joints else \
                    'the first sample has'
                problem = f'keypoint {keypoint.shape} has {v} joints; ' \
                    f'{why} {expected_v}'
            elif not np.isfinite(keypoint).all():
                bad = np.argwhere(~np.isfinite(keypoint))
                where = tuple(int(i) for i in bad[0])
                problem = (f'{len(bad)} non-finite keypoint values, the first '
                           f'{keypoint[where]} at (person, frame, joint, '
                           f'coordinate) {where}')
            elif ann.get('total_frames', t) != t:
                problem = f'total_frames is {ann["total_frames"]} but ' \
                    f'keypoint has {t} frames'
            else:
                continue
        problems.append(f'{name}: {problem}')
    if problems:
        more = len(problems) - MAX_LISTED
        raise ValueError(
            f'{source}: {len(problems)} invalid sample(s): '
            + '; '.join(problems[:MAX_LISTED])
            + (f'; ... and {more} more' if more > 0 else '')
            + '. Re-convert the raw data (the converters refuse such files '
            'or skip them with --skip-invalid), or remove these samples.')


@DATASETS.register_module()
class SkeletonPoseDataset(PoseDataset):
    """:class:`mmaction.datasets.PoseDataset` that checks its data.

    Same arguments and pickle schema as ``PoseDataset`` (skeleton pickles
    only: no video ``data_prefix``), plus ``num_joints``. The file is read
    once and every sample is checked at load time
    (:func:`check_annotations`: shape, joint count, finite values, frame
    count), so a bad value stops the run before the first step instead of
    turning the loss into NaN. A missing annotation file raises
    ``FileNotFoundError`` that says how to prepare it, an unknown ``split``
    lists the splits the file has, and an error in the pipeline names the
    sample it happened on.

    ``preprocess`` runs deterministic transforms (the normalisation) once
    per sample, when the set is loaded, instead of in every epoch's
    pipeline: on NTU the normalisation is most of what the workers do
    (``tools/benchmarks/view_throughput.py``), and its result never
    changes. The preprocessed samples are checked again, and a transform
    that gives two different results for the same sample (a random one,
    which belongs in ``pipeline``) is refused.

    Args:
        num_joints (int, optional): Joints per person of the layout, 25 for
            the NTU layout every converter here writes; None accepts any
            count shared by all samples. Defaults to 25.
        preprocess (list[dict], optional): Transforms applied once to every
            sample at load time, before ``pipeline``. Defaults to None.
        **kwargs: See :class:`mmaction.datasets.PoseDataset`.
    """

    def __init__(self, *args, num_joints: Optional[int] = 25,
                 preprocess: Optional[Sequence[dict]] = None,
                 **kwargs) -> None:
        self.num_joints = num_joints
        if preprocess is not None and not isinstance(preprocess,
                                                     (list, tuple)):
            raise TypeError(f'{type(self).__name__}: preprocess must be a '
                            'list of transform configs, got '
                            f'{preprocess!r}')
        self.preprocess = Compose(list(preprocess or []))
        super().__init__(*args, **kwargs)

    def read_annotations(self) -> List[Dict]:
        """The samples of ``self.split`` (all with ``split=None``)."""
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

    def load_data_list(self) -> List[Dict]:
        annotations = self.read_annotations()
        source = f'{self.ann_file or type(self).__name__}' + (
            f' (split {self.split})' if self.split else '')
        check_annotations(annotations, source, self.num_joints)
        if self.preprocess.transforms and annotations:
            annotations = self.preprocess_all(annotations, source)
            check_annotations(annotations, f'{source} after preprocess',
                              self.num_joints)
        return annotations

    def preprocess_all(self, annotations: List[Dict],
                       source: str) -> List[Dict]:
        """Every sample through ``self.preprocess``, once, in place (the raw
        keypoints are freed as it goes); an error names the sample."""
        tic, total = time.perf_counter(), len(annotations)
        for index, ann in enumerate(annotations):
            try:
                result = self.preprocess(dict(ann))
                if result is None:
                    raise ValueError('a transform returned None (it would '
                                     'drop the sample)')
                if index == 0 and not np.array_equal(
                        result['keypoint'],
                        self.preprocess(dict(ann))['keypoint'],
                        equal_nan=True):
                    raise ValueError(
                        f'{self.preprocess} gives two different results for '
                        'the same sample: it draws random numbers. Put random '
                        'transforms in the pipeline, which runs every epoch.')
            except Exception as err:
                raise self._named(err, ann, index,
                                  f'{source}, preprocess') from err
            annotations[index] = result
            if total >= PROGRESS_FROM and (index + 1) % (total // 10) == 0:
                print_log(f'{source}: preprocessed {index + 1} / {total} '
                          'samples', logger='current')
        if total >= PROGRESS_FROM:
            print_log(f'{source}: preprocessed {total} samples in '
                      f'{time.perf_counter() - tic:.0f} s', logger='current')
        return annotations

    @staticmethod
    def _named(err: Exception, info: Dict, index: int,
               where: str) -> Exception:
        """``err`` again, its message naming the sample it happened on."""
        name = info.get('frame_dir', info.get('filename', index))
        msg = f'sample {name} (index {index} of {where}): ' \
            f'{type(err).__name__}: {err}'
        try:
            wrapped = type(err)(msg)
        except Exception:  # an exception type with other arguments
            wrapped = RuntimeError(msg)
        return wrapped

    def prepare_data(self, idx: int):
        """The pipeline's output for sample ``idx``; an error in the pipeline
        is raised again naming the sample."""
        try:
            return super().prepare_data(idx)
        except Exception as err:
            raise self._named(err, self.get_data_info(idx), idx,
                              self.ann_file or type(self).__name__) from err
