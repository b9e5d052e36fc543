"""Kinect v1 (20-joint) skeletons in the NTU RGB+D 25-joint layout.

MSR Action3D and N-UCLA were recorded with the first Kinect, whose SDK tracks
20 joints; NTU RGB+D and PKU-MMD with the second, which tracks 25.
MMAction2's ``Graph`` only knows hard-coded layouts ('openpose', 'coco',
'nturgb+d'), so the Kinect v1 sets are mapped onto the 25 NTU joints: then
they run with ``graph_cfg=dict(layout='nturgb+d')``, the NTU pipelines and
NTU-pretrained encoders, unchanged.

The two datasets store the same 20 joints in different orders (MSR Action3D
in the order of its ``drawskt.m``, N-UCLA in the SDK's); each converter names
its order with :data:`KINECT_V1_JOINTS` and :func:`to_ntu_layout` does the
rest, so the mapping itself exists once:

====  ======================  =====================================
NTU   NTU joint               from the Kinect v1 joint
====  ======================  =====================================
1     base of spine           hip centre
2     middle of spine         spine
3     neck                    (2 x shoulder centre + head) / 3
4     head                    head
5-8   left shoulder ... hand  left shoulder, elbow, wrist, hand
9-12  right shoulder ... hand right shoulder, elbow, wrist, hand
13-16 left hip ... foot       left hip, knee, ankle, foot
17-20 right hip ... foot      right hip, knee, ankle, foot
21    spine (shoulders)       shoulder centre
22-23 left hand tip, thumb    left hand (copied)
24-25 right hand tip, thumb   right hand (copied)
====  ======================  =====================================

Kinect v1 has a mid-spine joint, so NTU's spine-middle needs no
interpolation. Kinect v2's neck has no v1 counterpart: it is placed a third of
the way from the shoulder centre to the head, where it sits in NTU (the
median over the bodies of our NTU sample files is 0.35). Left and right are
the subject's, as in NTU.
"""
from typing import Dict, Sequence

import numpy as np

NUM_KINECT_V1_JOINTS = 20
NUM_NTU_JOINTS = 25

# The SDK's NUI_SKELETON_POSITION_INDEX order.
KINECT_V1_JOINTS = (
    'hip_centre', 'spine', 'shoulder_centre', 'head',
    'left_shoulder', 'left_elbow', 'left_wrist', 'left_hand',
    'right_shoulder', 'right_elbow', 'right_wrist', 'right_hand',
    'left_hip', 'left_knee', 'left_ankle', 'left_foot',
    'right_hip', 'right_knee', 'right_ankle', 'right_foot')

# NTU joint (1-based) -> Kinect v1 joints averaged with these weights.
NTU_FROM_KINECT_V1: Dict[int, Dict[str, float]] = {
    1: {'hip_centre': 1.}, 2: {'spine': 1.},
    3: {'shoulder_centre': 2 / 3, 'head': 1 / 3}, 4: {'head': 1.},
    5: {'left_shoulder': 1.}, 6: {'left_elbow': 1.}, 7: {'left_wrist': 1.},
    8: {'left_hand': 1.},
    9: {'right_shoulder': 1.}, 10: {'right_elbow': 1.},
    11: {'right_wrist': 1.}, 12: {'right_hand': 1.},
    13: {'left_hip': 1.}, 14: {'left_knee': 1.}, 15: {'left_ankle': 1.},
    16: {'left_foot': 1.},
    17: {'right_hip': 1.}, 18: {'right_knee': 1.}, 19: {'right_ankle': 1.},
    20: {'right_foot': 1.},
    21: {'shoulder_centre': 1.},
    22: {'left_hand': 1.}, 23: {'left_hand': 1.},
    24: {'right_hand': 1.}, 25: {'right_hand': 1.},
}


def ntu_mapping_matrix(order: Sequence[str]) -> np.ndarray:
    """The (25, 20) matrix taking joints stored in ``order`` to NTU's.

    Args:
        order (Sequence[str]): The dataset's 20 joints, each a name of
            :data:`KINECT_V1_JOINTS`, in the order the files store them.

    Returns:
        np.ndarray: ``weights`` with ``ntu = weights @ joints``.
    """
    if sorted(order) != sorted(KINECT_V1_JOINTS):
        raise ValueError('order must name each of the 20 Kinect v1 joints '
                         f'once, got {list(order)}')
    column = {name: i for i, name in enumerate(order)}
    weights = np.zeros((NUM_NTU_JOINTS, NUM_KINECT_V1_JOINTS))
    for ntu, sources in NTU_FROM_KINECT_V1.items():
        for name, w in sources.items():
            weights[ntu - 1, column[name]] = w
    return weights


def to_ntu_layout(joints: np.ndarray, mapping: np.ndarray) -> np.ndarray:
    """Map (..., 20, C) Kinect v1 joints to (..., 25, C) NTU joints with a
    :func:`ntu_mapping_matrix`. Untracked (zero) joints stay zero wherever
    they are copied."""
    return np.einsum('nm,...mc->...nc', mapping, joints)
