# CMD + HaLP with the paper's BiGRU on PKU-MMD II cross-subject: the one-run
# HaLP config (MoCo to epoch 500, then HaLP to 1000, lr x0.1 at 800) with three
# streams, each with its own HaLP head and prototypes, and CMD between them
# (the official builder_mm_halp.py, which the official repository has no script
# to train). CMDHead's defaults are the official values.
_base_ = ['../halp/halp_bigru_1xb64-1000e_pku-mmd2-xsub.py']

model = dict(type='SkeletonCMD', cmd_head=dict(type='CMDHead'))
