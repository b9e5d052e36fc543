"""CMD's cross-modal mutual distillation between skeleton streams."""
from typing import Dict

import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor


@MODELS.register_module()
class CMDHead(BaseModule):
    """Cross-modal mutual distillation (CMD; Mao et al., ECCV 2022).

    Every stream teaches every other one where a sample lies among the
    queued samples. For a teacher stream ``t`` and a student ``s``: the
    teacher's key is compared with its own queue and its ``topk`` nearest
    queued samples are kept; the teacher distribution is the softmax of those
    similarities at ``teacher_temperature``; the student's query is compared
    with the *same queued samples* in its own queue (the streams' queues
    hold the same samples slot by slot) at ``student_temperature``; the loss
    is ``KL(teacher || student)``, averaged over the batch. The loss sums
    every ordered pair (6 for three streams) and is scaled by
    ``loss_weight``. Teachers carry no gradient (keys are from the momentum
    encoders); the students' queries do.

    Official values (``maoyunyao/CMD``, its pretraining script, also HaLP's
    multi-stream builder): teacher 0.05, student 0.1, top-k 8192 of a
    16,384-key queue, weight 1.

    Args:
        topk (int): Queued samples each teacher keeps, <= the queue length.
            Defaults to 8192.
        teacher_temperature (float): Defaults to 0.05.
        student_temperature (float): Defaults to 0.1.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 topk: int = 8192,
                 teacher_temperature: float = 0.05,
                 student_temperature: float = 0.1,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        name = type(self).__name__
        if not isinstance(topk, int) or isinstance(topk, bool) or topk < 1:
            raise ValueError(f'{name}: topk must be an int >= 1, got '
                             f'{topk!r}')
        if teacher_temperature <= 0 or student_temperature <= 0:
            raise ValueError(f'{name}: temperatures must be > 0, got '
                             f'teacher_temperature={teacher_temperature}, '
                             f'student_temperature={student_temperature}')
        self.topk = topk
        self.teacher_temperature = teacher_temperature
        self.student_temperature = student_temperature
        self.loss_weight = loss_weight

    def check_queue_len(self, queue_len: int) -> None:
        if self.topk > queue_len:
            raise ValueError(f'{type(self).__name__}: topk ({self.topk}) '
                             f'must be <= the queue length ({queue_len})')

    def loss(self, query_sim: Dict[str, Tensor],
             key_sim: Dict[str, Tensor]) -> Tensor:
        """The summed distillation loss.

        Args:
            query_sim (dict[str, Tensor]): Per stream, (N, K) similarities of
                its queries to its queue (with gradient).
            key_sim (dict[str, Tensor]): Per stream, (N, K) similarities of
                its keys to its queue.

        Returns:
            Tensor: The weighted scalar loss.
        """
        if len(query_sim) < 2:
            raise ValueError(f'{type(self).__name__}: needs at least two '
                             f'streams, got {sorted(query_sim)}')
        total = 0.
        for teacher, sim in key_sim.items():
            top, index = sim.detach().topk(self.topk, dim=1)
            target = F.softmax(top / self.teacher_temperature, dim=1)
            for student, student_sim in query_sim.items():
                if student == teacher:
                    continue
                log_prob = F.log_softmax(
                    student_sim.gather(1, index) / self.student_temperature,
                    dim=1)
                total = total + F.kl_div(
                    log_prob, target, reduction='batchmean')
        return self.loss_weight * total
