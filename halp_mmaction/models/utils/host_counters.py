"""Integer buffers the training step can read without a device sync."""
from typing import Tuple

import torch.nn as nn


class HostMirroredCounters:
    """Mixin for ``nn.Module``: integer buffers with a Python-int mirror.

    Counters such as the queue pointer decide what the step does (where keys
    go, whether HaLP is on). Reading a CUDA buffer for that would stall the
    host every iteration, so the module reads the mirror and writes both:
    the buffer (so the value is in every checkpoint) and the mirror. Loading a
    state dict refreshes the mirrors from the loaded values.

    Subclasses list their counters in ``_host_counters`` and register each as
    a 0-d ``torch.long`` buffer before calling :meth:`_init_host_counters`.
    """

    _host_counters: Tuple[str, ...] = ()

    def _init_host_counters(self) -> None:
        for name in self._host_counters:
            setattr(self, f'_{name}', int(getattr(self, name)))

    def _get_counter(self, name: str) -> int:
        return getattr(self, f'_{name}')

    def _set_counter(self, name: str, value: int) -> None:
        setattr(self, f'_{name}', int(value))
        getattr(self, name).fill_(int(value))  # a kernel launch, no sync

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
        for name in self._host_counters:
            if prefix + name in state_dict:
                # Checkpoints are mapped to the CPU, so this reads host memory.
                setattr(self, f'_{name}', int(state_dict[prefix + name]))
