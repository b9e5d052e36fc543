# HaLP stage 2 as the official code runs it: resume the MoCo run of
# moco/moco_bigru_1xb64-200e_ntu60-xsub.py (train that first) at epoch 200,
# with its optimiser state and lr schedule, and continue the one-run config to
# epoch 450 (lr x0.1 at 350; HaLP from epoch 200 by its HaLPScheduleHook). The
# HaLP counters start from zero, so HaLP waits one queue of keys (256
# iterations) after the resume (the official code waits two). The
# *_moco-200e-pre_* configs are the other form: load the weights only and count
# a fresh 250-epoch run.
_base_ = ['./halp_bigru_1xb64-450e_ntu60-xsub.py']

resume = True
load_from = 'work_dirs/moco_bigru_1xb64-200e_ntu60-xsub/epoch_200.pth'
