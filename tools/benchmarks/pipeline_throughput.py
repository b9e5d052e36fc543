"""Throughput of HaLP's two-view augmentation: our transforms vs. the
official feeder's per-sample ops.

Both sides get the same synthetic NTU-like samples (2 persons, 25 joints,
100 to ``--frames`` valid frames, the second person absent in half of them)
and make the two views of each sample: a temporal crop-resize to 64 frames,
then a spatial augmentation. ``--spatial choice`` (default) is the official
feeder's: shear or joint corruption, with probability 0.5 each;
``--spatial both`` applies shear and then corruption. The official side is
a re-implementation of the feeder's per-sample ops (``(C, T, V, M)`` arrays
padded to ``--frames``, ``torch.nn.functional.interpolate`` per view,
``np.dot`` for shear and corruption, Python's ``random``), written here from
its description. One process, one torch thread (as in a DataLoader worker).

Example:
    python tools/benchmarks/pipeline_throughput.py --out throughput.json
"""
import argparse
import random
import statistics
import time
from typing import Callable, Dict, List, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from bench_common import synthetic_skeletons, write_figures

CLIP_LEN = 64
CROP_RATIO = (0.1, 1.0)
MIN_CROP_LEN = 64


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--num-samples', type=int, default=1000,
                        help='samples per timed pass')
    parser.add_argument('--frames', type=int, default=300,
                        help='longest sequence; the official arrays are '
                        'padded to it (NTU: 300)')
    parser.add_argument('--spatial', choices=['choice', 'both'],
                        default='choice',
                        help='official random choice of shear / corruption, '
                        'or both in turn')
    parser.add_argument('--repeats', type=int, default=5,
                        help='timed passes per side, alternating; the median '
                        'is reported')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', help='write the figures to this JSON file')
    args = parser.parse_args()
    if args.num_samples < 1 or args.repeats < 1:
        parser.error('--num-samples and --repeats must be >= 1')
    if args.frames < MIN_CROP_LEN:
        parser.error(f'--frames must be >= {MIN_CROP_LEN}')
    return args


# --- the official feeder's per-sample ops, on (C, T, V, M) arrays ---------


def official_crop_resize(data: np.ndarray, num_frames: int) -> np.ndarray:
    C, T, V, M = data.shape
    # The feeder draws np.random.rand(1); int() of a 1-element array is an
    # error in recent NumPy, so draw a scalar.
    ratio = np.random.rand() * (CROP_RATIO[1] - CROP_RATIO[0]) + CROP_RATIO[0]
    length = np.minimum(
        np.maximum(int(np.floor(num_frames * ratio)), MIN_CROP_LEN),
        num_frames)
    start = np.random.randint(0, num_frames - length + 1)
    crop = torch.tensor(data[:, start:start + length], dtype=torch.float)
    crop = crop.permute(0, 2, 3, 1).contiguous().view(C * V * M, length)
    crop = F.interpolate(
        crop[None, :, :, None],
        size=(CLIP_LEN, 1),
        mode='bilinear',
        align_corners=False)
    crop = crop.squeeze(dim=3).squeeze(dim=0)
    return crop.view(C, V, M, CLIP_LEN).permute(0, 3, 1, 2).contiguous(
    ).numpy()


def official_shear(data: np.ndarray) -> np.ndarray:
    shear = np.array([[1, random.uniform(-1, 1), random.uniform(-1, 1)],
                      [random.uniform(-1, 1), 1, random.uniform(-1, 1)],
                      [random.uniform(-1, 1), random.uniform(-1, 1), 1]])
    return np.dot(data.transpose([1, 2, 3, 0]), shear.T).transpose(3, 0, 1, 2)


def official_corruption(data: np.ndarray) -> np.ndarray:
    out = data.copy()
    zero = random.random() < 0.5
    joints = np.random.choice(25, 15, replace=False)
    if zero:
        out[:, :, joints] = 0
    else:
        mix = np.array([[random.uniform(-1, 1) for _ in range(3)]
                        for _ in range(3)])
        mixed = np.dot(out[:, :, joints].transpose([1, 2, 3, 0]), mix)
        out[:, :, joints] = mixed.transpose(3, 0, 1, 2)
    return out


def official_views(spatial: str) -> Callable:

    def views(data: np.ndarray, num_frames: int) -> List[np.ndarray]:
        out = []
        for _ in range(2):
            view = official_crop_resize(data, num_frames)
            if spatial == 'both':
                view = official_corruption(official_shear(view))
            elif random.random() < 0.5:
                view = official_shear(view)
            else:
                view = official_corruption(view)
            out.append(view.astype('float32'))
        return out

    return views


# --- ours ------------------------------------------------------------------


def our_pipeline(spatial: str) -> Callable:
    import halp_mmaction  # noqa: F401 (registers the transforms)
    from mmaction.registry import TRANSFORMS
    from mmengine.registry import init_default_scope

    init_default_scope('mmaction')  # as a config's default_scope would
    crop = dict(
        type='TemporalCropResize',
        clip_len=CLIP_LEN,
        crop_ratio=CROP_RATIO,
        min_crop_len=MIN_CROP_LEN)
    if spatial == 'both':
        view = [crop, dict(type='RandomShear'), dict(type='JointCorruption')]
    else:
        view = [
            crop,
            dict(
                type='RandomChoice',
                transforms=[[dict(type='RandomShear')],
                            [dict(type='JointCorruption')]])
        ]
    return TRANSFORMS.build(dict(type='TwoViews', transforms=view))


def time_sides(sides: Dict[str, Tuple[Callable, List]],
               repeats: int) -> Dict[str, float]:
    """Median samples/s of each ``run`` over its ``inputs``.

    The sides alternate pass by pass, so a busy machine slows both alike.
    """
    rates = {name: [] for name in sides}
    for run, inputs in sides.values():
        for item in inputs[:20]:  # warm-up
            run(item)
    for _ in range(repeats):
        for name, (run, inputs) in sides.items():
            tic = time.perf_counter()
            for item in inputs:
                run(item)
            rates[name].append(len(inputs) / (time.perf_counter() - tic))
    return {name: statistics.median(r) for name, r in rates.items()}


def main() -> None:
    args = parse_args()
    torch.set_num_threads(1)
    random.seed(args.seed)
    np.random.seed(args.seed)
    samples = [(kp, kp.shape[1]) for kp in synthetic_skeletons(
        args.num_samples, args.frames, seed=args.seed)]

    # Official inputs: (C, T, V, M) padded to --frames, plus the length.
    padded = []
    for keypoint, length in samples:
        data = np.zeros((3, args.frames, 25, 2), np.float32)
        data[:, :length] = keypoint.transpose(3, 1, 2, 0)
        padded.append((data, length))
    official = official_views(args.spatial)
    ours = our_pipeline(args.spatial)

    out = ours(dict(keypoint=samples[0][0], total_frames=samples[0][1]))
    assert out['keypoint'].shape == (2, 2 * CLIP_LEN, 25, 3)
    assert official(*padded[0])[0].shape == (3, CLIP_LEN, 25, 2)

    rates = time_sides(
        dict(
            official=(lambda s: official(*s), padded),
            ours=(lambda s: ours(dict(keypoint=s[0], total_frames=s[1])),
                  samples)), args.repeats)
    official_rate, our_rate = rates['official'], rates['ours']
    figures = dict(
        num_samples=args.num_samples,
        frames=args.frames,
        spatial=args.spatial,
        repeats=args.repeats,
        official_samples_per_s=round(official_rate, 1),
        halp_mmaction_samples_per_s=round(our_rate, 1),
        speedup=round(our_rate / official_rate, 2),
    )
    print(f'two views per sample, spatial={args.spatial}, '
          f'{args.num_samples} samples, 1 process, 1 torch thread')
    print(f'  official feeder ops : {official_rate:8.1f} samples/s')
    print(f'  halp_mmaction       : {our_rate:8.1f} samples/s '
          f'({figures["speedup"]}x)')
    write_figures(figures, args.out)


if __name__ == '__main__':
    main()
