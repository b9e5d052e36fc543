# HaLP stage 2 as the official code runs it: resume the MoCo run of
# moco/moco_stgcn_1xb64-500e_pku-mmd2-xsub.py (train that first) at epoch 500,
# with its optimiser state and lr schedule, and continue the one-run config to
# epoch 1000 (lr x0.1 at 800; HaLP from epoch 500 by its HaLPScheduleHook). The
# HaLP counters start from zero, so HaLP waits one queue of keys (256
# iterations) after the resume (the official code waits two). The
# *_moco-500e-pre_* configs are the other form: load the weights only and count
# a fresh 500-epoch run.
_base_ = ['./halp_stgcn_1xb64-1000e_pku-mmd2-xsub.py']

resume = True
load_from = 'work_dirs/moco_stgcn_1xb64-500e_pku-mmd2-xsub/epoch_500.pth'
