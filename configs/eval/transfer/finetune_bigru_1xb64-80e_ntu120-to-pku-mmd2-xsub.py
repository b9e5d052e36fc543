# Transfer, fine-tuned: a BiGRU pretrained on NTU-120 (cross-subject training
# set) is fine-tuned on PKU-MMD II cross-subject. Everything is the in-domain
# PKU-MMD II fine-tuning config; only the checkpoint comes from NTU-120:
#   python tools/eval/train_classifier.py THIS_CONFIG NTU120_PRETRAIN.pth
_base_ = ['../finetune/finetune_bigru_1xb64-80e_pku-mmd2-xsub.py']
