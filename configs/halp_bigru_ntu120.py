_base_ = ['./halp/halp_bigru_1xb64-450e_ntu120-xsub.py']
