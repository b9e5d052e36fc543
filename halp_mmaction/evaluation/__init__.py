from .metrics import *  # noqa: F401,F403
from .eval_datasets import (bank_and_query, eval_dataset_cfg,  # noqa: F401
                            sequential_loader)
from .features import (check_finite_features,  # noqa: F401
                       extract_features, flattened_inputs, load_encoder,
                       pooled_backbone_features, sample_names)
from .probes import (LOGREG_CS, fit_linear_probe, knn_top1,  # noqa: F401
                     linear_probe, probe_details, score_ensemble_top1)
from .pretrained import (backbone_state_dict,  # noqa: F401
                         check_checkpoint_fits, check_pretrained_backbone,
                         set_pretrained_backbone)
from .stream_agreement import linear_cka, stream_agreement  # noqa: F401
from .streams import (ENSEMBLE, STREAM_CHOICES,  # noqa: F401
                      checkpoint_streams, configured_stream,
                      encoder_prefixes,
                      load_stream_encoders, mean_features, stream_model_cfg,
                      with_ensemble)
