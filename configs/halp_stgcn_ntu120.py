_base_ = ['./halp/halp_stgcn_1xb64-450e_ntu120-xsub.py']
