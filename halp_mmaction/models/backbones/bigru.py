from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch.func import functional_call

from mmaction.registry import MODELS

_GATES = ('weight_ih', 'weight_hh', 'bias_ih', 'bias_hh')


@MODELS.register_module()
class BiGRU(BaseModule):
    """The bidirectional GRU skeleton encoder of HaLP (and of CMD, AimCLR).

    Each frame becomes one vector of ``V * C * M`` features (150 for NTU),
    ordered as the official code's ``(N, C, T, V, M).permute(0, 2, 3, 1, 4)``,
    i.e. joint-major, then coordinate, then person: feature
    ``v * C * M + c * M + m``. A ``BatchNorm1d`` normalises these features,
    a ``num_layers``-deep GRU with two directions reads the sequence, and
    the feature is its output at the last frame, both directions concatenated
    (``2 * hidden_channels``).

    The official encoder feeds its bidirectional ``nn.GRU`` one frame at a
    time and passes the hidden state of both directions on to the next frame,
    so its "reverse" direction in fact also reads the sequence forward, and
    every layer sees both directions' outputs of the layer below at the same
    frame. ``official_recurrence=True`` (default) reproduces exactly that,
    without the per-frame loop: per layer, both directions' weights run over
    the whole sequence forward in time (``2 * num_layers`` GRU calls).
    ``official_recurrence=False`` runs a true bidirectional GRU in one call;
    its reverse direction then reaches the last frame after one step, so the
    top layer's reverse ``weight_hh`` gets no gradient from this readout.
    Both modes use the same parameters, named as the official
    ``encoder.gru.*`` and ``input_norm.*``.

    Args:
        in_channels (int): Coordinates per joint, C. Defaults to 3.
        num_joints (int): Joints per person, V. Defaults to 25.
        num_person (int): Persons per frame, M. Defaults to 2.
        hidden_channels (int): Hidden size of each direction.
            Defaults to 1024.
        num_layers (int): Stacked GRU layers. Defaults to 3.
        official_recurrence (bool): Both directions read forward in time,
            as the official code; False for a true bidirectional GRU.
            Defaults to True.
        init_cfg (dict or list[dict], optional): Config to control the
            initialization. Defaults to None: Xavier-uniform for the GRU's
            2-D weights (as the official ``weights_init_gru``), PyTorch's
            defaults for biases and the BatchNorm.
    """

    def __init__(self,
                 in_channels: int = 3,
                 num_joints: int = 25,
                 num_person: int = 2,
                 hidden_channels: int = 1024,
                 num_layers: int = 3,
                 official_recurrence: bool = True,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        args = dict(
            in_channels=in_channels,
            num_joints=num_joints,
            num_person=num_person,
            hidden_channels=hidden_channels,
            num_layers=num_layers)
        for name, value in args.items():
            if not isinstance(value, int) or value < 1:
                raise ValueError(f'BiGRU: {name} must be an int >= 1, '
                                 f'got {value!r}')
        self.in_channels = in_channels
        self.num_joints = num_joints
        self.num_person = num_person
        self.hidden_channels = hidden_channels
        self.num_layers = num_layers
        self.official_recurrence = official_recurrence
        self.out_channels = 2 * hidden_channels

        input_size = num_joints * in_channels * num_person
        self.input_norm = nn.BatchNorm1d(input_size)
        self.gru = nn.GRU(
            input_size,
            hidden_channels,
            num_layers=num_layers,
            bidirectional=True,
            batch_first=True)
        # Parameter-free (meta) one-layer GRUs through which each direction's
        # weights of ``self.gru`` are run forward in time. A plain list keeps
        # them out of the state dict and of ``.to()``.
        self._cells = [
            nn.GRU(size, hidden_channels, batch_first=True, device='meta')
            for size in (input_size, 2 * hidden_channels)
        ]

    def init_weights(self) -> None:
        """Xavier-uniform for the GRU's matrices unless ``init_cfg`` is
        given."""
        if self.init_cfg is None and not self._is_init:
            for param in self.gru.parameters():
                if param.dim() == 2:
                    nn.init.xavier_uniform_(param)
        super().init_weights()

    def _forward_in_time(self, x: torch.Tensor) -> torch.Tensor:
        """Both directions of every layer read ``x`` forward in time."""
        for layer in range(self.num_layers):
            cell = self._cells[min(layer, 1)]
            cell.train(self.training)
            outs = []
            for suffix in ('', '_reverse'):
                params = {
                    f'{gate}_l0': getattr(self.gru, f'{gate}_l{layer}{suffix}')
                    for gate in _GATES
                }
                outs.append(functional_call(cell, params, (x, ))[0])
            x = torch.cat(outs, dim=-1)
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Defines the computation performed at every call.

        Args:
            x (torch.Tensor): Skeletons of shape ``(N, M, T, V, C)``, absent
                persons zero.

        Returns:
            torch.Tensor: Features of shape ``(N, 2 * hidden_channels)``.
        """
        expected = (self.num_person, self.num_joints, self.in_channels)
        if x.dim() != 5 or (x.shape[1], ) + tuple(x.shape[3:]) != expected:
            raise ValueError(
                f'BiGRU: input must have shape (N, M={self.num_person}, T, '
                f'V={self.num_joints}, C={self.in_channels}), '
                f'got {tuple(x.shape)}')
        if x.shape[2] == 0:
            raise ValueError(f'BiGRU: input has no frames, shape '
                             f'{tuple(x.shape)}')
        N, M, T, V, C = x.shape
        # (N, M, T, V, C) -> (N, T, V, C, M): the official feature order.
        x = x.permute(0, 2, 3, 4, 1).reshape(N, T, V * C * M)
        x = self.input_norm(x.transpose(1, 2)).transpose(1, 2).contiguous()
        if self.official_recurrence:
            out = self._forward_in_time(x)
        else:
            out = self.gru(x)[0]
        return out[:, -1]


def frame_by_frame_features(model: BiGRU, x: torch.Tensor) -> torch.Tensor:
    """The official encoder's forward with ``model``'s parameters: its
    bidirectional ``nn.GRU`` fed one frame at a time, the hidden state of
    both directions passed on to the next frame (a Python loop over the T
    frames). ``BiGRU(official_recurrence=True)`` computes the same without
    the loop; this is the reference the tests and
    ``tools/benchmarks/bigru_step.py`` hold it to.

    Args:
        model (BiGRU): The encoder whose ``input_norm`` and ``gru`` to run.
        x (torch.Tensor): Skeletons ``(N, M, T, V, C)``.

    Returns:
        torch.Tensor: ``(N, 2 * hidden_channels)``, the last frame's output.
    """
    n, _, t = x.shape[:3]
    # (N, M, T, V, C) -> (N, T, V, C, M): the official feature order.
    seq = x.permute(0, 2, 3, 4, 1).reshape(n, t, -1)
    seq = model.input_norm(seq.transpose(1, 2)).transpose(1, 2)
    hidden, out = None, None
    for frame in range(t):
        out, hidden = model.gru(seq[:, frame:frame + 1], hidden)
    return out[:, -1]
