"""The data preprocessor that turns joint batches into one stream."""
import torch
from mmaction.models import ActionDataPreprocessor
from mmaction.registry import MODELS

from ..utils.skeleton_streams import bone_parents, check_stream, \
    skeleton_stream


@MODELS.register_module()
class SkeletonStreamPreprocessor(ActionDataPreprocessor):
    """``ActionDataPreprocessor`` that feeds the model one skeleton stream.

    The single-stream switch of the official code's ``--modality_to_use``:
    set ``model.data_preprocessor = dict(type='SkeletonStreamPreprocessor',
    stream='bone')`` and any skeleton model (``SkeletonMoCo`` for
    pretraining, ``RecognizerGCN`` or ``FrozenBackboneRecognizer`` for
    evaluation; ST-GCN, the BiGRU or any MMAction2 skeleton backbone) sees the
    motion or bone stream of every view, derived from the augmented joint
    views on the model's device (see
    :func:`~halp_mmaction.models.utils.skeleton_streams.skeleton_stream`).
    An encoder pretrained on a stream must be evaluated on that stream: the
    evaluation config (or the tools' ``--stream``) sets the same
    preprocessor.

    Args:
        stream (str): ``'joint'`` (a plain ``ActionDataPreprocessor``),
            ``'motion'`` or ``'bone'``. Defaults to ``'joint'``.
        layout (str): Skeleton layout of the bone pairs, a ``JointToBone``
            dataset name. Defaults to ``'nturgb+d'``.
        **kwargs: ``ActionDataPreprocessor``'s arguments.
    """

    def __init__(self,
                 stream: str = 'joint',
                 layout: str = 'nturgb+d',
                 **kwargs) -> None:
        super().__init__(**kwargs)
        check_stream(stream, type(self).__name__)
        self.stream = stream
        self.layout = layout
        # A buffer, so the bone index lives on the model's device.
        self.register_buffer('parents', torch.tensor(bone_parents(layout)),
                             persistent=False)

    def forward(self, data: dict, training: bool = False) -> dict:
        data = super().forward(data, training)
        data['inputs'] = skeleton_stream(data['inputs'], self.stream,
                                         self.parents)
        return data
