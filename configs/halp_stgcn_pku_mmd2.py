_base_ = ['./halp/halp_stgcn_1xb64-1000e_pku-mmd2-xsub.py']
