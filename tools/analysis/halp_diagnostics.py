"""How a pretrained SkeletonMoCo's embedding looks, and how HaLP would act
on it: alignment and uniformity of the contrastive embedding, the spread of
HaLP's prototypes, how similar the kept positives are to their queries, and
the gradient of each HaLP loss form on the encoder against MoCo's.

    python tools/analysis/halp_diagnostics.py HALP_CONFIG CHECKPOINT \\
        [--batches 8] [--out diagnostics.json] [--cfg-options k=v ...]

The config must have a HaLP head (its settings are used for the prototypes
and the positives); the checkpoint may come from a MoCo or a HaLP run of the
same encoder: the prototypes are computed afresh from its queue. The batches
are the first ones of the training split through the config's two-view
training pipeline (shuffled with a fixed seed).
"""
import argparse
import json

import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import Runner, load_checkpoint

import halp_mmaction  # noqa: F401  (compat fixes + registration)
from halp_mmaction.engine.checkpoint import exit_on_checkpoint_error
from halp_mmaction.evaluation import check_pretrained_backbone
from halp_mmaction.evaluation.embedding_stats import (alignment,
                                                      gradient_ratio,
                                                      prototype_stats,
                                                      uniformity)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='a pretraining config with a HaLP head')
    parser.add_argument('checkpoint', help='a MoCo or HaLP checkpoint')
    parser.add_argument('--batches', type=int, default=8)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', help='write the figures to this JSON file')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    if cfg.model.get('halp_head') is None:
        raise SystemExit('error: the config has no HaLP head; pass the HaLP '
                         'config of this encoder')
    torch.manual_seed(args.seed)
    model = MODELS.build(cfg.model)
    check_pretrained_backbone(model.backbone, args.checkpoint)
    # The HaLP buffers may be absent (a MoCo checkpoint): recomputed below.
    load_checkpoint(model, args.checkpoint, map_location='cpu',
                    strict=False, logger='silent')
    model.eval()  # batch-norm statistics as trained
    head = model.halp_head
    loader = Runner.build_dataloader(dict(
        batch_size=cfg.train_dataloader.batch_size, num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=True, seed=args.seed),
        dataset=cfg.train_dataloader.dataset))
    head.refresh_prototypes(model.queue, model._get_counter('queue_ptr'))

    queries, keys, kept, pos_sim, ratios = [], [], [], [], {}
    params = list(model.backbone.parameters())
    for i, data in enumerate(loader):
        if i == args.batches:
            break
        inputs = model.data_preprocessor(data, False)['inputs']
        query = F.normalize(
            model.neck(model.pool(model.backbone(inputs[:, 0]))), dim=1)
        with torch.no_grad():
            key = model._key_encoder(inputs[:, 1])
        queries.append(query.detach())
        keys.append(key)
        neg = query @ model.queue.T
        loss_moco = model.head.loss((query * key).sum(1, keepdim=True), neg)
        positives, keep = head.generate(key)
        sims = torch.einsum('nd,npd->np', query.detach(), positives)
        kept.append(keep.float().mean())
        pos_sim.append(sims[keep].mean())
        for form in head.LOSS_FORMS:
            head.loss_form = form
            loss = head.loss_weight * head.form_loss(query, positives, keep,
                                                     neg)
            ratios.setdefault(form, []).append(
                gradient_ratio(loss, loss_moco, params))
    query, key = torch.cat(queries), torch.cat(keys)
    results = dict(
        config=args.config, checkpoint=args.checkpoint,
        samples=len(query),
        alignment=alignment(query, key),
        uniformity=uniformity(query),
        **prototype_stats(head.prototypes, query),
        kept_positive_share=float(torch.stack(kept).mean()),
        kept_positive_cos=float(torch.stack(pos_sim).mean()),
        **{f'grad_ratio_{form}': sum(r) / len(r)
           for form, r in ratios.items()})
    for name, value in results.items():
        print(f'{name}: {value:.4f}' if isinstance(value, float) else
              f'{name}: {value}')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(results, f, indent=2)
    return results


if __name__ == '__main__':
    exit_on_checkpoint_error(main)
