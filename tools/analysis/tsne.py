"""t-SNE of saved features, one colour per class, as a PNG.

    python tools/analysis/tsne.py feats.npy --out tsne.png
        [--labels feats_labels.npy] [--class-names label_map.txt]
        [--perplexity 30] [--seed 0] [--max-samples 5000]

Features and labels come from ``tools/analysis/extract_features.py``. The
embedding is scikit-learn's ``TSNE`` (PCA initialisation, seeded) of the
L2-normalised features, the cosine geometry the kNN probe uses.
"""
import argparse
import os
import os.path as osp

import numpy as np


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='t-SNE plot of features')
    parser.add_argument('features', help='(N, C) .npy file')
    parser.add_argument('--labels', help='(N, ) .npy file; default: '
                        'FEATURES with _labels.npy')
    parser.add_argument('--out', required=True, help='PNG file')
    parser.add_argument('--class-names', help='text file, one name a line')
    parser.add_argument('--perplexity', type=float, default=30.0)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--max-samples', type=int, default=5000,
                        help='subsample (seeded) above this many points')
    parser.add_argument('--title', default=None)
    parser.add_argument('--threads', type=int, default=1,
                        help='OpenMP threads for the t-SNE (default: 1; '
                        'on a busy machine more threads spin and can be '
                        '100x slower)')
    return parser.parse_args(argv)


def tsne_embedding(features: np.ndarray, perplexity: float = 30.0,
                   seed: int = 0, threads: int = 1) -> np.ndarray:
    """(N, 2) t-SNE of L2-normalised features."""
    from sklearn.manifold import TSNE
    from sklearn.preprocessing import normalize
    from threadpoolctl import threadpool_limits
    x = normalize(features)  # L2, rows of zeros stay zero
    perplexity = min(perplexity, max(1.0, (len(x) - 1) / 3))
    with threadpool_limits(limits=threads):
        return TSNE(n_components=2, perplexity=perplexity, init='pca',
                    random_state=seed).fit_transform(x)


def main(argv=None):
    args = parse_args(argv)
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    feats = np.load(args.features)
    labels = np.load(args.labels
                     or osp.splitext(args.features)[0] + '_labels.npy')
    if len(feats) != len(labels):
        raise ValueError(f'{len(feats)} features but {len(labels)} labels')
    if len(feats) > args.max_samples:
        keep = np.random.default_rng(args.seed).choice(
            len(feats), args.max_samples, replace=False)
        feats, labels = feats[keep], labels[keep]
    names = None
    if args.class_names:
        with open(args.class_names) as f:
            names = [line.strip() for line in f if line.strip()]
    emb = tsne_embedding(feats, args.perplexity, args.seed, args.threads)

    classes = np.unique(labels)
    cmap = plt.get_cmap('tab20' if len(classes) <= 20 else 'gist_ncar')
    fig, ax = plt.subplots(figsize=(8, 8))
    for i, c in enumerate(classes):
        pts = emb[labels == c]
        name = names[c] if names and c < len(names) else str(c)
        ax.scatter(pts[:, 0], pts[:, 1], s=8,
                   color=cmap(i / max(len(classes) - 1, 1)), label=name)
    if len(classes) <= 30:
        ax.legend(fontsize=7, markerscale=2, loc='best', ncol=2)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(args.title or osp.basename(args.features))
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    fig.savefig(args.out, dpi=120)
    plt.close(fig)
    print(f't-SNE of {len(feats)} samples, {len(classes)} classes -> '
          f'{args.out}')
    return emb


if __name__ == '__main__':
    main()
