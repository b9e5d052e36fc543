"""Views per second: SkeletonViewPreprocessor on the device against the
per-sample pipeline in DataLoader workers.

Both make the two views of the recipe's dataset config
(``configs/_base_/datasets/ntu60_xsub_ssl.py`` by default: a 64-frame
temporal crop-resize, then shear or joint corruption) for synthetic NTU-like
samples (2 persons, 25 joints, 100 to ``--frames`` frames, the second person
absent in half of them), batches of ``--batch-size``:

- ``device_views_samples_per_s``: ``SkeletonViewPreprocessor`` on batches
  of raw sequences laid end to end (as ``concat_sequences_collate`` gives
  them), including their copy to ``--device``; ``--threads`` torch threads
  on a CPU.
- ``device_views_compiled_samples_per_s``: the same with
  ``compile_views=True`` (the crop-resize and the linear map after it in one
  ``torch.compile`` kernel); ``compile_views_s`` the first batch's time,
  which compiles it. ``--skip compiled`` leaves it out.
- ``per_sample_views_samples_per_s``: the same views made per sample by
  ``TwoViews`` in ``--workers`` workers: the config's train pipeline, whose
  datasets normalise every sample once when they load (``preprocess``).
- ``per_sample_pipeline_samples_per_s``: the config's ``normalize`` steps
  and views both in the workers (normalised in every epoch, as before
  ``preprocess``).
- ``device_loader_samples_per_s``: what the workers still do with the
  preprocessor (format, pack and ``concat_sequences_collate``, as the
  ``views_on_device`` switch sets them): with views on the device, an epoch
  runs at the lower of this and the preprocessor's rate;
  ``device_loader_pseudo_collate_samples_per_s`` the same with mmengine's
  ``pseudo_collate``, which hands the samples over one by one.
- ``preprocess_ms_per_sample``: the once-per-sample cost of ``normalize``
  at load time, in this process.

Example:
    python tools/benchmarks/view_throughput.py --threads 2 --out views.json
"""
import argparse
import os
import statistics
import time
from typing import Callable, List, Tuple

import torch

from bench_common import REPO_ROOT, sync, synthetic_skeletons, write_figures

DEFAULT_CONFIG = os.path.join(REPO_ROOT, 'configs', '_base_', 'datasets',
                              'ntu60_xsub_ssl.py')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--config', default=DEFAULT_CONFIG,
                        help='a dataset config with view_transforms, '
                        'normalize and train_pipeline')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--threads', type=int,
                        help='torch CPU threads for the preprocessor')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--frames', type=int, default=300,
                        help='longest synthetic sequence')
    parser.add_argument('--batches', type=int, default=20,
                        help='batches per timed pass')
    parser.add_argument('--repeats', type=int, default=5,
                        help='timed passes of the preprocessor (median)')
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--loader-batches', type=int, default=8,
                        help='batches timed through the DataLoaders')
    parser.add_argument('--skip', nargs='*', default=[],
                        choices=['device', 'compiled', 'per_sample'])
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', help='write the figures to this JSON file')
    args = parser.parse_args(argv)
    if min(args.batch_size, args.batches, args.repeats,
           args.loader_batches) < 1 or args.workers < 0:
        parser.error('sizes must be >= 1 (--workers >= 0)')
    return args


class SyntheticSkeletons(torch.utils.data.Dataset):
    """Synthetic skeletons through a pipeline, as a dataset would give."""

    def __init__(self, pipeline: Callable, samples: List):
        self.pipeline, self.samples = pipeline, samples

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i: int) -> dict:
        keypoint = self.samples[i]
        return self.pipeline(
            dict(keypoint=keypoint.copy(), total_frames=keypoint.shape[1],
                 label=0, start_index=0))


def loader_rate(pipeline: List[dict], args, check: Callable,
                collate: Callable = None) -> float:
    """Samples/s of ``pipeline`` through a DataLoader with the workers,
    batches collated by ``collate`` (``pseudo_collate`` by default)."""
    from mmengine.dataset import Compose, pseudo_collate
    batches = args.loader_batches + 2  # the first two warm the workers
    samples = synthetic_skeletons(batches * args.batch_size, args.frames,
                                  seed=args.seed)
    loader = torch.utils.data.DataLoader(
        SyntheticSkeletons(Compose(pipeline), samples),
        batch_size=args.batch_size, num_workers=args.workers,
        collate_fn=collate or pseudo_collate)
    it = iter(loader)
    for _ in range(2):
        next(it)
    tic = time.perf_counter()
    for batch in it:
        check(batch['inputs'])
    return args.loader_batches * args.batch_size / (time.perf_counter() -
                                                    tic)


def preprocess_ms(normalize: List[dict], args) -> float:
    """Milliseconds per sample of ``normalize`` run once, as
    ``SkeletonPoseDataset(preprocess=normalize)`` runs it at load time."""
    from mmengine.dataset import Compose
    samples = synthetic_skeletons(args.loader_batches * args.batch_size,
                                  args.frames, seed=args.seed)
    transform = Compose(normalize)
    tic = time.perf_counter()
    for keypoint in samples:
        transform(dict(keypoint=keypoint, total_frames=keypoint.shape[1]))
    return (time.perf_counter() - tic) * 1e3 / len(samples)


def device_rate(cfg, args, compile_views: bool = False) -> Tuple[float,
                                                                 float]:
    """Samples/s of SkeletonViewPreprocessor on packed raw batches, and the
    seconds of its first batch (which compiles with ``compile_views``)."""
    from mmaction.registry import MODELS
    preprocessor = MODELS.build(
        dict(type='SkeletonViewPreprocessor',
             view_transforms=cfg.view_transforms,
             compile_views=compile_views)).to(args.device)
    samples = synthetic_skeletons(args.batches * args.batch_size,
                                  args.frames, seed=args.seed)
    from halp_mmaction.datasets import concat_sequences_collate
    # As the workers hand them over: PackActionInputs' (1, M, T, V, C) per
    # sample, laid end to end by concat_sequences_collate.
    batches = [concat_sequences_collate([
        dict(inputs=torch.from_numpy(s[None]), data_samples=None)
        for s in samples[b * args.batch_size:(b + 1) * args.batch_size]])
        for b in range(args.batches)]

    def run_pass() -> float:
        sync(args.device)
        tic = time.perf_counter()
        for batch in batches:
            out = preprocessor(dict(batch), training=True)['inputs']
        sync(args.device)
        assert out.shape[:2] == (args.batch_size, 2)
        return args.batches * args.batch_size / (time.perf_counter() - tic)

    sync(args.device)
    tic = time.perf_counter()
    preprocessor(dict(batches[0]), training=True)
    sync(args.device)
    first_s = time.perf_counter() - tic
    run_pass()  # warm-up
    return statistics.median(run_pass() for _ in range(args.repeats)), first_s


def main(argv=None) -> dict:
    args = parse_args(argv)
    import halp_mmaction  # noqa: F401 (registers)
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    if args.threads:
        torch.set_num_threads(args.threads)
    cfg = Config.fromfile(args.config)
    figures = dict(config=os.path.relpath(args.config, REPO_ROOT),
                   batch_size=args.batch_size, frames=args.frames,
                   workers=args.workers)
    if 'device' not in args.skip:
        figures['device_views_samples_per_s'] = round(
            device_rate(cfg, args)[0], 1)
        print(f"on-device views: {figures['device_views_samples_per_s']} "
              f'samples/s ({args.device}, {torch.get_num_threads()} threads)')
    if 'compiled' not in args.skip:
        rate, first_s = device_rate(cfg, args, compile_views=True)
        figures.update(device_views_compiled_samples_per_s=round(rate, 1),
                       compile_views_s=round(first_s, 1))
        print(f'compiled on-device views: {rate:.1f} samples/s (first batch, '
              f'compiling: {first_s:.1f} s)')
    if 'per_sample' not in args.skip:
        normalize = [t['type'] for t in cfg.normalize]
        views_only = [t for t in cfg.train_pipeline
                      if t['type'] not in normalize]
        without_views = [t for t in views_only if t['type'] != 'TwoViews']

        from halp_mmaction.datasets import concat_sequences_collate

        def two_views(inputs):
            assert inputs[0].shape[0] == 2, 'the pipeline made no two views'

        def one_sequence(inputs):
            assert inputs[0].shape[0] == 1, 'expected one raw sequence each'

        def one_block(inputs):
            assert inputs['lengths'].shape == (args.batch_size, )

        figures.update(
            per_sample_views_samples_per_s=round(
                loader_rate(views_only, args, two_views), 1),
            per_sample_pipeline_samples_per_s=round(
                loader_rate(cfg.normalize + views_only, args, two_views), 1),
            device_loader_samples_per_s=round(
                loader_rate(without_views, args, one_block,
                            concat_sequences_collate), 1),
            device_loader_pseudo_collate_samples_per_s=round(
                loader_rate(without_views, args, one_sequence), 1),
            preprocess_ms_per_sample=round(
                preprocess_ms(cfg.normalize, args), 3))
        print(f"per-sample views, {args.workers} workers: "
              f"{figures['per_sample_views_samples_per_s']} samples/s "
              f"({figures['per_sample_pipeline_samples_per_s']} with "
              f"{', '.join(normalize) or 'no normalisation'} in every "
              'epoch); the workers for on-device views: '
              f"{figures['device_loader_samples_per_s']} samples/s "
              f"({figures['device_loader_pseudo_collate_samples_per_s']} "
              'with pseudo_collate); '
              f"normalised once at load: "
              f"{figures['preprocess_ms_per_sample']} ms/sample")
    if 'device' not in args.skip and 'per_sample' not in args.skip:
        figures['device_over_per_sample_views'] = round(
            figures['device_views_samples_per_s'] /
            figures['per_sample_views_samples_per_s'], 1)
    return write_figures(figures, args.out, args.device)


if __name__ == '__main__':
    main()
