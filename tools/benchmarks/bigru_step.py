"""The paper recipe's encoder step, BiGRU: ours against the official code's
frame-by-frame recurrence.

Both sides compute the same function with the same parameters (checked
before timing): ``BiGRU(official_recurrence=True)``, which runs each layer's
two directions over the whole sequence (``2 * num_layers`` GRU calls), and
:func:`~halp_mmaction.models.backbones.frame_by_frame_features`, the
official loop that feeds the bidirectional ``nn.GRU`` one frame at a time.
A step is what the encoders do in a MoCo step: the query forward and
backward, and the key forward without gradient, on a batch of
``--batch-size`` two-person 25-joint clips of ``--clip-len`` frames. The
recipe's sizes are the defaults (hidden 1024, 3 layers, 64 frames, batch
64); the sides alternate step by step, so a busy machine slows both alike;
medians.

Example:
    python tools/benchmarks/bigru_step.py --threads 2 --out bigru.json
    python tools/benchmarks/bigru_step.py --device cuda --out bigru.json
"""
import argparse
import logging
import statistics
import time

import torch

from bench_common import sync, write_figures


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--threads', type=int, help='torch CPU threads')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--clip-len', type=int, default=64)
    parser.add_argument('--hidden', type=int, default=1024)
    parser.add_argument('--layers', type=int, default=3)
    parser.add_argument('--steps', type=int, default=3,
                        help='timed steps per side')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', help='write the figures to this JSON file')
    args = parser.parse_args(argv)
    if min(args.batch_size, args.clip_len, args.hidden, args.layers,
           args.steps) < 1:
        parser.error('sizes must be >= 1')
    return args


def main(argv=None) -> dict:
    args = parse_args(argv)
    import halp_mmaction  # noqa: F401 (registers)
    from mmengine.logging import MMLogger
    from halp_mmaction.models.backbones import BiGRU, frame_by_frame_features
    # init_weights reports every parameter at INFO.
    MMLogger.get_current_instance().setLevel(logging.WARNING)
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = BiGRU(hidden_channels=args.hidden,
                  num_layers=args.layers).to(args.device)
    model.init_weights()
    x = torch.randn(args.batch_size, 2, args.clip_len, 25, 3,
                    device=args.device)
    sides = dict(ours=model, frame_by_frame=lambda v: frame_by_frame_features(
        model, v))
    with torch.no_grad():
        model.eval()
        ours, official = sides['ours'](x), sides['frame_by_frame'](x)
        max_diff = (ours - official).abs().max().item()
        model.train()
    torch.testing.assert_close(ours, official, rtol=1e-4, atol=1e-4)

    def step(encode) -> float:
        model.zero_grad(set_to_none=True)
        sync(args.device)
        tic = time.perf_counter()
        encode(x).square().mean().backward()  # the query
        with torch.no_grad():
            encode(x)  # the key
        sync(args.device)
        return time.perf_counter() - tic

    times = {name: [] for name in sides}
    for i in range(args.steps + 1):  # the first step of each warms up
        order = list(sides) if i % 2 else list(sides)[::-1]
        for name in order:
            spent = step(sides[name])
            if i:
                times[name].append(spent)
    ours_s, loop_s = (statistics.median(times[n])
                      for n in ('ours', 'frame_by_frame'))
    figures = dict(
        bigru_step_s=round(ours_s, 4),
        frame_by_frame_step_s=round(loop_s, 4),
        speedup=round(loop_s / ours_s, 2),
        max_abs_diff=max_diff,
        settings=dict(batch_size=args.batch_size, clip_len=args.clip_len,
                      hidden=args.hidden, layers=args.layers,
                      steps=args.steps, seed=args.seed))
    print(f'BiGRU step (query forward + backward, key forward): ours '
          f'{ours_s:.3f} s, frame by frame {loop_s:.3f} s '
          f"({figures['speedup']}x; outputs differ by {max_diff:.1e})")
    return write_figures(figures, args.out, args.device)


if __name__ == '__main__':
    main()
