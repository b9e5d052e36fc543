"""Random generator states in checkpoints, for exact resume."""
import random
from typing import List, Optional

import numpy as np
import torch
from mmaction.registry import HOOKS
from mmengine.dist import all_gather_object, get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.logging import print_log


def capture_random_states() -> dict:
    """The states of python's ``random``, NumPy's global generator, torch's
    CPU generator and (when CUDA is in use) the current GPU's, as tensors and
    plain numbers so that they can be saved in a checkpoint."""
    version, mt, gauss = random.getstate()
    _, keys, pos, has_gauss, cached = np.random.get_state()
    states = dict(
        python=dict(version=version, state=list(mt), gauss=gauss),
        numpy=dict(
            keys=torch.from_numpy(keys.astype(np.int64)),
            pos=int(pos),
            has_gauss=int(has_gauss),
            cached_gaussian=float(cached)),
        torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        states['cuda'] = torch.cuda.get_rng_state()
    return states


def restore_random_states(states: dict) -> None:
    """Set the generators to states from :func:`capture_random_states`
    (tensors may come back on a GPU when a checkpoint is mapped there)."""
    py = states['python']
    random.setstate((py['version'], tuple(py['state']), py['gauss']))
    npy = states['numpy']
    np.random.set_state(('MT19937', npy['keys'].cpu().numpy().astype(
        np.uint32), npy['pos'], npy['has_gauss'], npy['cached_gaussian']))
    torch.set_rng_state(states['torch'].cpu())
    if 'cuda' in states and torch.cuda.is_available():
        torch.cuda.set_rng_state(states['cuda'].cpu())


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Save the random generators in every checkpoint; restore them on resume.

    mmengine checkpoints hold the seed, not the generators' states, so a
    resumed run draws other augmentations (with ``num_workers=0`` the
    transforms draw from the main process's NumPy), HaLP targets and k-means
    seeds than the run it continues. This hook adds
    ``checkpoint['random_states']``: python ``random``, NumPy, torch CPU and
    CUDA states, one set per rank, and the train sampler's seed (the sampler
    derives its order from the seed and the epoch). On ``--resume`` (not on
    ``load_from``) it restores them in ``before_train``, after mmengine's own
    re-seeding and before the first epoch draws anything.

    Validation is made neutral to the training's random stream: the states
    are saved in ``before_val`` and restored in ``after_val``. A run thus
    trains the same with or without validation, and a checkpoint written at
    an epoch that validates resumes exactly.

    Exact resume holds for epoch checkpoints (mmengine restarts an
    interrupted epoch from its first batch) with ``num_workers=0`` or
    non-persistent workers: mmengine seeds workers from the seed, rank and
    worker id only, so persistent workers would restart their streams.
    Only rank 0 writes checkpoints, so in distributed runs the ranks' states
    are gathered at the end of every epoch (one small collective per epoch).

    Add it to a config's ``custom_hooks``: ``dict(type='RandomStateHook')``.
    """

    priority = 'LOW'  # after_train_epoch: before CheckpointHook (VERY_LOW)

    def __init__(self) -> None:
        self._gathered: Optional[List[dict]] = None
        self._gathered_at = -1
        self._pre_val: Optional[dict] = None
        self._to_restore: Optional[dict] = None

    # -- saving --------------------------------------------------------------
    def after_train_epoch(self, runner) -> None:
        if get_world_size() > 1:
            self._gathered = all_gather_object(capture_random_states())
            self._gathered_at = runner.iter

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        if get_world_size() > 1 and self._gathered_at == runner.iter:
            per_rank = self._gathered
        else:  # one process, or a checkpoint between epochs: rank 0 only
            per_rank = [self._pre_val or capture_random_states()]
        sampler = self._sampler(runner)
        checkpoint['random_states'] = dict(
            per_rank=per_rank, sampler_seed=getattr(sampler, 'seed', None))

    # -- restoring -----------------------------------------------------------
    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        # As mmengine's EMAHook: only a resumed run continues the old one.
        if runner._resume:
            self._to_restore = checkpoint.get('random_states')
            if self._to_restore is None:
                print_log(
                    'RandomStateHook: the checkpoint holds no random states '
                    '(written without this hook); the resumed run will not '
                    'repeat the original one exactly.', logger='current')

    def before_train(self, runner) -> None:
        saved, self._to_restore = self._to_restore, None
        if saved is None:
            return
        per_rank = saved['per_rank']
        world_size, rank = get_world_size(), get_rank()
        if len(per_rank) == world_size:
            restore_random_states(per_rank[rank])
        else:
            print_log(
                f'RandomStateHook: the checkpoint holds random states for '
                f'{len(per_rank)} rank(s), this run has {world_size}; every '
                'rank restores those of rank 0.', logger='current')
            restore_random_states(per_rank[0])
        sampler = self._sampler(runner)
        if saved.get('sampler_seed') is not None and hasattr(sampler, 'seed'):
            sampler.seed = saved['sampler_seed']

    # -- validation ----------------------------------------------------------
    def before_val(self, runner) -> None:
        self._pre_val = capture_random_states()

    def after_val(self, runner) -> None:
        if self._pre_val is not None:
            restore_random_states(self._pre_val)
            self._pre_val = None

    @staticmethod
    def _sampler(runner):
        loader = runner.train_loop.dataloader
        sampler = getattr(loader, 'sampler', None)
        if not hasattr(sampler, 'seed'):
            sampler = getattr(getattr(loader, 'batch_sampler', None),
                              'sampler', sampler)
        return sampler
