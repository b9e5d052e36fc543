import logging

import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub, MMLogger
from mmengine.runner.checkpoint import _load_checkpoint

import halp_mmaction  # noqa: F401


def test_mmaction_models_import_and_register():
    from mmaction.registry import MODELS
    from mmaction.utils import register_all_modules
    register_all_modules()
    assert MODELS.get('STGCN') is not None
    assert MODELS.get('SkeletonMoCo') is not None


def test_missing_drn_stand_in_fails_clearly_when_built():
    from mmaction.models.localizers import DRN
    try:
        DRN()
    except ImportError as err:
        assert '2714' in str(err)  # the stand-in: the wheel lacks drn
    except TypeError:
        pass  # a real DRN (source install) wants its arguments


def test_numpy2_removed_names_are_aliased():
    assert np.Inf == np.inf
    assert np.trapz([1.0, 1.0]) == 1.0
    assert np.in1d([1, 3], [3]).tolist() == [False, True]


def test_mmengine_checkpoints_with_objects_load(tmp_path):
    hub = MessageHub.get_instance('compat-test')
    hub.update_scalar('train/loss', 1.5)
    path = tmp_path / 'ckpt.pth'
    torch.save(dict(state_dict=dict(w=torch.ones(2)),
                    message_hub=hub.state_dict(),
                    meta=dict(seed=np.int64(3))), path)
    with pytest.raises(Exception):  # what torch >= 2.6 does by default
        torch.load(path)
    ckpt = _load_checkpoint(str(path), map_location='cpu')
    assert ckpt['meta']['seed'] == 3
    torch.testing.assert_close(ckpt['state_dict']['w'], torch.ones(2))


class _Records(logging.Handler):
    """Collects what mmengine's current logger emits."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def current_log():
    logger = MMLogger.get_current_instance()
    handler = _Records()
    logger.addHandler(handler)
    yield handler.messages
    logger.removeHandler(handler)


def test_known_harmless_notices_are_silenced_and_others_kept(current_log):
    import warnings

    from mmengine.fileio import file_client

    from halp_mmaction import compat
    for message, category, why in compat.HARMLESS_WARNINGS:
        assert why
    with warnings.catch_warnings(record=True) as caught:
        warnings.resetwarnings()
        compat._silence_harmless_warnings()
        warnings.warn('Fail to import ``MultiScaleDeformableAttention`` from '
                      '``mmcv.ops.multi_scale_deform_attn``', UserWarning)
        warnings.warn('pkg_resources is deprecated as an API. See ...',
                      UserWarning)
        warnings.warn('something else is wrong', UserWarning)
    assert [str(w.message) for w in caught] == ['something else is wrong']
    # mmengine's CheckpointHook builds a FileClient on every run; its
    # deprecation notices are log lines, dropped at their source only.
    file_client.FileClient.infer_client(None, '.')
    file_client.print_log('a real message', logger='current')
    assert current_log == ['a real message']


def test_checkpoint_loads_are_logged_as_the_local_backend(
        tmp_path, current_log):
    torch.save(dict(state_dict=dict(w=torch.ones(1))), tmp_path / 'c.pth')
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.load_checkpoint(str(tmp_path / 'c.pth'))
    assert current_log == [
        f'Loads checkpoint by local backend from path: {tmp_path / "c.pth"}']
