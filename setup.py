import os.path as osp

from setuptools import find_packages, setup


def readme() -> str:
    with open(osp.join(osp.dirname(__file__), 'README.md'), encoding='utf-8') as f:
        return f.read()


version = {}
with open(osp.join('halp_mmaction', 'version.py')) as f:
    exec(f.read(), version)

setup(
    name='halp-mmaction',
    version=version['__version__'],
    description='HaLP (Hallucinating Latent Positives, CVPR 2023) self-supervised '
    'skeleton action recognition as an MMAction2 plugin',
    long_description=readme(),
    long_description_content_type='text/markdown',
    packages=find_packages(include=['halp_mmaction', 'halp_mmaction.*']),
    python_requires='>=3.8',
    install_requires=[
        'mmengine>=0.10.4,<1.0.0',
        # mmcv without compiled ops: skeleton models need none. Users with a
        # full mmcv build can install this package with --no-deps.
        'mmcv-lite>=2.0.0,<2.2.0',
        'mmaction2>=1.2.0,<1.3.0',
        # mmaction2 imports importlib_metadata without declaring it.
        'importlib_metadata',
        # mmengine resolves `mmaction::` config bases through pkg_resources,
        # which setuptools >= 81 no longer ships.
        'setuptools<81',
        'numpy',
        'scikit-learn',
        'torch>=2.0',
    ],
    extras_require={'tests': ['pytest']},
    license='Apache License 2.0',
    zip_safe=False,
)
