# The bone stream of moco_bigru_1xb64-450e_ntu60-xview.py (the official
# --modality_to_use bone): each joint's vector to its parent along the NTU-25
# bone pairs, derived on the model's device after the view transforms. Evaluate
# the encoder on the same stream (the evaluation tools' --stream bone).
_base_ = ['./moco_bigru_1xb64-450e_ntu60-xview.py']

model = dict(
    data_preprocessor=dict(type='SkeletonStreamPreprocessor', stream='bone'))
