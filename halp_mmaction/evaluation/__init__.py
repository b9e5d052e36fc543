from .metrics import *  # noqa: F401,F403
from .features import (eval_dataset_cfg, extract_features,  # noqa: F401
                       load_encoder, pooled_backbone_features)
from .pretrained import (backbone_state_dict,  # noqa: F401
                         check_pretrained_backbone, set_pretrained_backbone)
