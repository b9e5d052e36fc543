"""What every self-supervised pretraining model shares: the data
preprocessor, the three forward modes and the ``feature`` of predict."""
from typing import Dict, List, Optional, Union

from mmaction.registry import MODELS
from mmaction.utils import OptSampleList, SampleList
from mmengine.model import BaseModel
from torch import Tensor


class PretrainingModel(BaseModel):
    """Base of ``SkeletonMoCo`` and ``SkeletonCMD``.

    ``mode='loss'`` returns :meth:`loss`; ``mode='tensor'`` the pooled
    feature of :meth:`extract_feat`; ``mode='predict'`` attaches that feature
    to each data sample as ``feature``, for feature-based evaluation such as
    kNN (``KNNMetric``).

    Args:
        data_preprocessor (dict, optional): Defaults to
            ``ActionDataPreprocessor``.
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='ActionDataPreprocessor')
        if isinstance(data_preprocessor, dict):
            # mmaction's registry: BaseModel would look in mmengine's, which
            # lacks ActionDataPreprocessor unless a default scope is set.
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)

    def extract_feat(self, inputs: Tensor) -> Tensor:
        raise NotImplementedError

    def loss(self, inputs: Tensor,
             data_samples: OptSampleList = None) -> Dict[str, Tensor]:
        raise NotImplementedError

    def forward(self,
                inputs: Tensor,
                data_samples: OptSampleList = None,
                mode: str = 'tensor'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.extract_feat(inputs)
        raise ValueError(f'{type(self).__name__}: invalid mode "{mode}"; use '
                         'loss, predict or tensor')

    def predict(self, inputs: Tensor, data_samples: SampleList) -> SampleList:
        """Attach :meth:`extract_feat`'s feature to each data sample as
        ``feature``."""
        feats = self.extract_feat(inputs)
        for sample, feat in zip(data_samples, feats):
            sample.set_field(feat, 'feature')
        return data_samples
