"""The model inside a wrapper (DDP, DataParallel)."""
from mmengine.model import is_model_wrapper
from torch import nn


def get_ori_model(model: nn.Module) -> nn.Module:
    """The wrapped module of a registered model wrapper, else ``model``.

    Newer mmengine releases (and mmdet) have this helper; 0.10.7 does not.
    """
    return model.module if is_model_wrapper(model) else model
