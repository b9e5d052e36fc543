# The motion stream of halp_stgcn_1xb64-450e_ntu60-xsub.py (the official
# --modality_to_use motion): the frame difference of the joint views, the last
# frame zero, derived on the model's device after the view transforms. Evaluate
# the encoder on the same stream (the evaluation tools' --stream motion).
_base_ = ['./halp_stgcn_1xb64-450e_ntu60-xsub.py']

model = dict(
    data_preprocessor=dict(type='SkeletonStreamPreprocessor', stream='motion'))
