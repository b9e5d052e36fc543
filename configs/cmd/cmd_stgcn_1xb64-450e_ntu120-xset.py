# CMD (cross-modal mutual distillation, Mao et al., ECCV 2022) with ST-GCN on
# NTU-120 cross-setup: the MoCo config of the whole schedule (450 epochs, lr
# x0.1 at 350; maoyunyao/CMD runs 451, step 351) with joint, motion and bone
# streams distilled into one another. CMDHead's defaults are the official
# values (teacher tau 0.05, student tau 0.1, top-k 8192 of the 16,384-key
# queue, weight 1).
_base_ = ['../moco/moco_stgcn_1xb64-450e_ntu120-xset.py']

model = dict(type='SkeletonCMD', cmd_head=dict(type='CMDHead'))
