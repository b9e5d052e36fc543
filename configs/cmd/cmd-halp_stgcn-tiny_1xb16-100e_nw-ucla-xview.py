# CMD + HaLP on N-UCLA cross-view: joint, motion and bone streams of the
# single-stream N-UCLA HaLP config (the same tiny ST-GCN, views, schedule and
# small-data HaLP head in every stream, HaLP from epoch 51), distilled into one
# another by CMD. Three streams cost three times a single-stream run. top-k 256
# of the 512-key queue: half of it, as the official 8192 of 16,384.
_base_ = ['../halp/halp_stgcn-tiny_1xb16-100e_nw-ucla-xview.py']

model = dict(type='SkeletonCMD', cmd_head=dict(type='CMDHead', topk=256))
