import math
from types import SimpleNamespace

import pytest

from halp_mmaction.engine import MomentumUpdateHook


class _Recorder:
    queue_len = 64

    def __init__(self):
        self.calls = []

    def momentum_update(self, m):
        self.calls.append(m)


def _runner(model, it=0, max_iters=100, batch=16, world=1):
    hub = SimpleNamespace(scalars={})
    hub.update_scalar = lambda k, v: hub.scalars.__setitem__(k, v)
    return SimpleNamespace(
        model=model, iter=it, max_iters=max_iters, world_size=world,
        train_dataloader=SimpleNamespace(batch_size=batch), message_hub=hub)


def test_constant_momentum_is_applied_after_each_step():
    model = _Recorder()
    hook = MomentumUpdateHook(momentum=0.99)
    runner = _runner(model)
    hook.before_train(runner)
    for it in range(3):
        runner.iter = it
        hook.after_train_iter(runner, it)
    assert model.calls == [0.99] * 3
    assert runner.message_hub.scalars['train/key_momentum'] == 0.99


def test_cosine_schedule_rises_to_the_end_momentum():
    hook = MomentumUpdateHook(momentum=0.99, schedule='cosine')
    values = [hook.current_momentum(_runner(None, it=i, max_iters=100))
              for i in (0, 50, 100)]
    assert values[0] == pytest.approx(0.99)
    assert values[1] == pytest.approx(1 - 0.01 * (math.cos(math.pi / 2) + 1)
                                      / 2)
    assert values[2] == pytest.approx(1.0)


def test_queue_must_be_a_multiple_of_the_global_batch():
    hook = MomentumUpdateHook()
    hook.before_train(_runner(_Recorder(), batch=16, world=2))  # 64 % 32 ok
    with pytest.raises(ValueError, match='multiple of the global batch'):
        hook.before_train(_runner(_Recorder(), batch=24))


def test_bad_arguments_and_models_are_rejected():
    with pytest.raises(ValueError, match='momentum'):
        MomentumUpdateHook(momentum=1.5)
    with pytest.raises(ValueError, match='schedule'):
        MomentumUpdateHook(schedule='linear')
    with pytest.raises(TypeError, match='momentum_update'):
        MomentumUpdateHook().before_train(_runner(object()))
