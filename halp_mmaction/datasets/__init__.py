from .transforms import *  # noqa: F401,F403
from .knn_eval_dataset import KNNEvalDataset  # noqa: F401
from .skeleton_pose_dataset import SkeletonPoseDataset  # noqa: F401
from .demo_skeleton import DemoSkeletonDataset, generate_demo_skeletons  # noqa: F401
from .labelled_subset import LabelledSubsetDataset, labelled_subset_indices  # noqa: F401
from .sample_names import subject_of, view_of  # noqa: F401
from .concat_sequences_collate import concat_sequences_collate  # noqa: F401
