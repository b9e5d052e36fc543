# CMD + HaLP with ST-GCN on NTU-60 cross-subject: the one-run HaLP config (MoCo
# to epoch 200, then HaLP to 450, lr x0.1 at 350) with three streams, each with
# its own HaLP head and prototypes, and CMD between them (the official
# builder_mm_halp.py, which the official repository has no script to train).
# CMDHead's defaults are the official values.
_base_ = ['../halp/halp_stgcn_1xb64-450e_ntu60-xsub.py']

model = dict(type='SkeletonCMD', cmd_head=dict(type='CMDHead'))
