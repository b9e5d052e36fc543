"""What the benchmarks in this folder share: synthetic NTU-like skeletons,
device synchronisation, a description of the machine and the JSON output.

Each benchmark is one script; they import this module as ``bench_common``
(a script's own folder is on ``sys.path``).
"""
import json
import os
import platform
import sys
from typing import Dict, List, Optional

import numpy as np
import torch

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def synthetic_skeletons(num_samples: int,
                        max_frames: int = 300,
                        min_frames: int = 100,
                        seed: int = 0,
                        num_person: int = 2,
                        num_joints: int = 25) -> List[np.ndarray]:
    """Random-walk skeletons ``(M, L, V, 3)`` (float32) of ``min_frames``
    to ``max_frames`` frames, the second person absent in every other one:
    NTU RGB+D's shapes (2 persons, 25 joints, up to 300 frames)."""
    rng = np.random.default_rng(seed)
    low = min(min_frames, max_frames)
    samples = []
    for i in range(num_samples):
        length = int(rng.integers(low, max_frames + 1))
        start = rng.normal(0, 0.3, (num_person, 1, num_joints, 3))
        steps = rng.normal(0, 0.01, (num_person, length, num_joints, 3))
        keypoint = (start + steps.cumsum(axis=1)).astype(np.float32)
        if i % 2 and num_person > 1:
            keypoint[1:] = 0
        samples.append(keypoint)
    return samples


def sync(device: str) -> None:
    """Wait for the device, so that a timer measures finished work."""
    if str(device).startswith('cuda'):
        torch.cuda.synchronize()


def environment(device: str = 'cpu') -> Dict[str, object]:
    """The software and machine behind a benchmark's figures."""
    return dict(
        python=platform.python_version(),
        numpy=np.__version__,
        torch=torch.__version__,
        torch_threads=torch.get_num_threads(),
        machine=platform.machine(),
        cpu_count=os.cpu_count(),
        device=str(device),
        gpu=(torch.cuda.get_device_name()
             if str(device).startswith('cuda') else None),
        # Other work on the machine slows everything; this says how busy.
        load_average_1min=round(os.getloadavg()[0], 2))


def write_figures(figures: Dict[str, object], out: Optional[str],
                  device: str = 'cpu') -> Dict[str, object]:
    """Add the command line and :func:`environment` to ``figures`` and write
    them to ``out`` as JSON (when given)."""
    figures = dict(command=' '.join(['python'] + sys.argv), **figures,
                   **environment(device))
    if out:
        with open(out, 'w') as f:
            json.dump(figures, f, indent=2)
        print(f'written to {out}')
    return figures
