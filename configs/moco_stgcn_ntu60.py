_base_ = ['./moco/moco_stgcn_1xb64-450e_ntu60-xsub.py']
