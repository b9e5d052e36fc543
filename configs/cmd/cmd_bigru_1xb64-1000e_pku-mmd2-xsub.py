# CMD (cross-modal mutual distillation, Mao et al., ECCV 2022) with the paper's
# BiGRU on PKU-MMD II cross-subject: the MoCo config of the whole schedule
# (1000 epochs, lr x0.1 at 800; maoyunyao/CMD runs 1001, step 801) with joint,
# motion and bone streams distilled into one another. CMDHead's defaults are
# the official values (teacher tau 0.05, student tau 0.1, top-k 8192 of the
# 16,384-key queue, weight 1).
_base_ = ['../moco/moco_bigru_1xb64-1000e_pku-mmd2-xsub.py']

model = dict(type='SkeletonCMD', cmd_head=dict(type='CMDHead'))
