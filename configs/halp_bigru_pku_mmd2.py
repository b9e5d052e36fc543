_base_ = ['./halp/halp_bigru_1xb64-1000e_pku-mmd2-xsub.py']
