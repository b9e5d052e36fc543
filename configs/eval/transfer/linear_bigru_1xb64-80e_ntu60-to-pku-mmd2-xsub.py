# Transfer, linear: a BiGRU pretrained on NTU-60 (cross-subject training set)
# is frozen and probed on PKU-MMD II cross-subject. Everything is the
# in-domain PKU-MMD II linear config; only the checkpoint comes from NTU-60:
#   python tools/eval/train_classifier.py THIS_CONFIG NTU60_PRETRAIN.pth
_base_ = ['../linear/linear_bigru_1xb64-80e_pku-mmd2-xsub.py']
