"""A labelled bank and a query split, evaluated together by kNN."""
from typing import Union

from mmaction.registry import DATASETS
from mmengine.dataset import BaseDataset, ConcatDataset


@DATASETS.register_module()
class KNNEvalDataset(ConcatDataset):
    """Concatenate a bank split and a query split for :class:`KNNMetric`.

    kNN evaluation needs features of the labelled training split (the bank)
    and of the split to classify (the query). Running both through one
    ordinary val/test loop keeps mmengine's batching, distributed sampling
    and result collection; each packed data sample is marked with
    ``knn_bank=True`` or ``False`` in its metainfo so the metric can tell
    them apart, and carries its ``frame_dir`` so the metric can name it.

    Args:
        bank (dict or BaseDataset): The labelled split, with a test pipeline.
        query (dict or BaseDataset): The split to classify.
        lazy_init (bool): Defaults to False.
    """

    def __init__(self, bank: Union[dict, BaseDataset],
                 query: Union[dict, BaseDataset],
                 lazy_init: bool = False) -> None:
        super().__init__([bank, query], lazy_init=lazy_init)

    def __getitem__(self, idx: int) -> dict:
        data = super().__getitem__(idx)
        dataset_idx, _ = self._get_ori_dataset_idx(idx)
        samples = data['data_samples']
        if not hasattr(samples, 'set_metainfo'):
            raise TypeError('KNNEvalDataset: pipelines must end with '
                            'PackActionInputs, got data_samples of type '
                            f'{type(samples).__name__}')
        info = self.get_data_info(idx)
        samples.set_metainfo(dict(
            knn_bank=dataset_idx == 0,
            frame_dir=info.get('frame_dir', info.get('filename', idx))))
        return data
