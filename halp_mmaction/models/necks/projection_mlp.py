"""The MLP projector of MoCo v2."""
from typing import List, Optional, Union

import torch.nn as nn
from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor


@MODELS.register_module()
class ProjectionMLP(BaseModule):
    """Linear -> ReLU -> ... -> Linear projector (MoCo v2's ``mlp`` head).

    The official HaLP code puts ``Linear(d, d) -> ReLU`` in front of the
    encoder's ``d -> 128`` layer (2048 -> 2048 -> 128 for the BiGRU).

    Args:
        in_channels (int): Feature size of the pooled backbone output.
        hid_channels (int): Hidden width. Defaults to ``in_channels``.
        out_channels (int): Output size. Defaults to 128.
        num_layers (int): Number of linear layers, >= 1. Defaults to 2.
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 hid_channels: Optional[int] = None,
                 out_channels: int = 128,
                 num_layers: int = 2,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_layers < 1:
            raise ValueError(f'ProjectionMLP: num_layers must be >= 1, got '
                             f'{num_layers}')
        hid_channels = hid_channels or in_channels
        dims = [in_channels] + [hid_channels] * (num_layers - 1)
        layers = []
        for d_in, d_out in zip(dims[:-1], dims[1:]):
            layers += [nn.Linear(d_in, d_out), nn.ReLU(inplace=True)]
        layers.append(nn.Linear(dims[-1], out_channels))
        self.mlp = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        """Project (N, in_channels) features to (N, out_channels)."""
        return self.mlp(x)
