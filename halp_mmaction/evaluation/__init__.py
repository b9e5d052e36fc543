from .metrics import *  # noqa: F401,F403
from .eval_datasets import (bank_and_query, eval_dataset_cfg,  # noqa: F401
                            sequential_loader)
from .features import (check_finite_features,  # noqa: F401
                       extract_features, flattened_inputs, load_encoder,
                       pooled_backbone_features, sample_names)
from .probes import LOGREG_CS, knn_top1, linear_probe  # noqa: F401
from .pretrained import (backbone_state_dict,  # noqa: F401
                         check_checkpoint_fits, check_pretrained_backbone,
                         set_pretrained_backbone)
