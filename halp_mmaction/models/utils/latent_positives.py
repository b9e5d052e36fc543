r"""The closed-form latent positives of HaLP (Shah et al., CVPR 2023).

Let :math:`k` be a key (unit vector), :math:`p_0` its nearest prototype and
:math:`p \ne p_0` a target prototype. Walking from :math:`k` toward :math:`p`
along the great circle,

.. math::

    z(t) = \frac{\sin((1 - t)\,\omega)\,k + \sin(t\,\omega)\,p}{\sin\omega},
    \qquad \omega = \arccos(k \cdot p),\quad t \in [0, 1].

The furthest point that still belongs to :math:`p_0` is where :math:`z` is
equally similar to both prototypes, :math:`z \cdot p_0 = z \cdot p`. Writing
:math:`z = a k + b p`, that is :math:`a / b = \kappa` with

.. math::

    \kappa = \frac{1 - p \cdot p_0}{k \cdot (p_0 - p)},

and :math:`a / b = \sin((1 - t)\omega) / \sin(t\omega)` gives
:math:`\cot(t\omega) = (\kappa + \cos\omega) / \sin\omega`, so

.. math::

    t_{max} = \frac{1}{\omega}
              \arctan\frac{\sin\omega}{\kappa + \cos\omega}.

We evaluate the arctangent as ``atan2(sin ω, κ + cos ω)``: identical to the
paper's formula when :math:`\kappa + \cos\omega > 0`, and still the right
angle in :math:`(\pi/2, \pi)` when :math:`k` and :math:`p` are far apart and
the denominator turns negative (where the plain arctangent, as in the official
code, would return a negative :math:`t`). Because :math:`k` is nearer
:math:`p_0` than :math:`p`, the boundary lies between them and
:math:`0 \le t_{max} \le 1`.

Hardness: :math:`t = (1 - u)\,t_{max}` with :math:`u \sim U(0, \lambda)`;
:math:`u = 0` gives the hardest positive, on the boundary itself.
"""
import torch
import torch.nn.functional as F
from torch import Tensor

_EPS = 1e-6


def hallucinate(anchors: Tensor, p0: Tensor, targets: Tensor,
                u: Tensor) -> Tensor:
    """Generate HaLP positives by walking from anchors toward target prototypes.

    See the module docstring for the equations.

    Args:
        anchors (Tensor): (N, D) unit keys :math:`k`.
        p0 (Tensor): (N, D) unit prototype nearest to each anchor.
        targets (Tensor): (N, D) unit target prototypes :math:`p \\ne p_0`.
        u (Tensor): (N, ) hardness draws in [0, 1): ``t = (1 - u) t_max``.

    Returns:
        Tensor: (N, D) unit positives ``normalise(slerp(k, p, t))``. At
        ``u = 0`` each is equally similar to its ``p0`` and its target; as
        ``u`` grows it moves back toward the anchor.
    """
    if not (anchors.shape == p0.shape == targets.shape) or anchors.dim() != 2:
        raise ValueError(
            'hallucinate: anchors, p0 and targets must share one (N, D) shape, '
            f'got {tuple(anchors.shape)}, {tuple(p0.shape)}, '
            f'{tuple(targets.shape)}')
    if u.shape != anchors.shape[:1]:
        raise ValueError(f'hallucinate: u must be ({anchors.shape[0]}, ), got '
                         f'{tuple(u.shape)}')
    cos_omega = (anchors * targets).sum(-1).clamp(-1 + _EPS, 1 - _EPS)
    omega = torch.acos(cos_omega)
    sin_omega = torch.sin(omega)
    kappa = (1 - (targets * p0).sum(-1)) / (
        (anchors * (p0 - targets)).sum(-1).clamp_min(_EPS))
    t_max = torch.atan2(sin_omega, kappa + cos_omega) / omega
    t = ((1 - u) * t_max).unsqueeze(-1)
    omega, sin_omega = omega.unsqueeze(-1), sin_omega.unsqueeze(-1)
    z = (torch.sin((1 - t) * omega) * anchors +
         torch.sin(t * omega) * targets) / sin_omega
    return F.normalize(z, dim=-1)
