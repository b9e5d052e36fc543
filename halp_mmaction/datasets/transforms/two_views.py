import copy
from typing import Callable, Dict, List, Union

import numpy as np
from mmcv.transforms import BaseTransform, Compose

from mmaction.registry import TRANSFORMS


@TRANSFORMS.register_module()
class TwoViews(BaseTransform):
    """Make the two augmented views of a contrastive pair from one sample.

    The sub-pipeline runs twice, each time on an independent deep copy of the
    results dict and with its own random draws, so the views never alias each
    other or the input (the input dict is left untouched). Both views must
    end with the same keypoint shape ``(M, T, V, C)``, e.g. by a
    :class:`TemporalCropResize`. They are concatenated along time, following
    MMAction2's multi-clip convention: with ``num_clips = 2`` a following
    ``FormatGCNInput`` gives ``(2, M, T, V, C)`` and ``PackActionInputs``
    batches ``(N, 2, M, T, V, C)``; view 0 is the query, view 1 the key.

    Required Keys:

        - keypoint
        - whatever the sub-transforms require

    Modified Keys:

        - keypoint (M, 2 * T, V, C): view 0's frames, then view 1's
        - keypoint_score (optional, concatenated like ``keypoint``)
        - every other key, taken from view 0 (e.g. ``total_frames`` is the
          length of one view)

    Added Keys:

        - num_clips (2)
        - clip_len (T, the frames of one view)

    Args:
        transforms (list[dict | callable]): The sub-transforms, as configs
            (built from MMAction2's ``TRANSFORMS``) or transform objects.
    """

    def __init__(self, transforms: List[Union[Dict, Callable]]) -> None:
        if not isinstance(transforms, (list, tuple)) or not transforms:
            raise ValueError('TwoViews: transforms must be a non-empty list '
                             'of transform configs or objects, got '
                             f'{transforms!r}')
        # Build with MMAction2's registry so our transforms resolve without a
        # default scope; mmcv's own transforms are found through its parent.
        self.transforms = Compose([
            TRANSFORMS.build(t) if isinstance(t, dict) else t
            for t in transforms
        ])

    def transform(self, results: Dict) -> Dict:
        """The transform function of :class:`TwoViews`.

        Args:
            results (dict): The result dict.

        Returns:
            dict: A new result dict holding both views.
        """
        views = [self.transforms(copy.deepcopy(results)) for _ in range(2)]
        if any(view is None for view in views):
            raise ValueError('TwoViews: a sub-transform returned None '
                             '(dropped the sample)')
        query, key = views
        num_clips = (query.get('num_clips', 1), key.get('num_clips', 1))
        if num_clips != (1, 1):
            raise ValueError('TwoViews: each view must be one clip, got '
                             f'num_clips={num_clips}')
        names = ['keypoint'] + ['keypoint_score'] * ('keypoint_score' in query)
        for name in names:
            shapes = (np.shape(query.get(name)), np.shape(key.get(name)))
            if shapes[0] != shapes[1] or len(shapes[0]) < 2:
                raise ValueError(
                    f'TwoViews: both views must end with the same {name} '
                    f'shape (end the sub-pipeline with a fixed-length step '
                    f'such as TemporalCropResize), got {shapes[0]} and '
                    f'{shapes[1]}')
            query[name] = np.concatenate([query[name], key[name]], axis=1)
        query['clip_len'] = np.shape(key['keypoint'])[1]
        query['num_clips'] = 2
        return query

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(transforms={self.transforms})'
