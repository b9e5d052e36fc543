"""Which labelled datasets an evaluation of frozen features reads: the
bank (training) and query (test) splits of a pretraining or classifier
config, each with the config's test pipeline."""
import copy
from typing import Optional, Tuple


def bank_and_query(cfg, bank_split: Optional[str] = None,
                   query_split: Optional[str] = None) -> Tuple[dict, dict]:
    """Dataset configs of a labelled bank (training) split and a query
    (test) split, both with the config's test pipeline, for the probes of
    frozen features (kNN, linear probe).

    A pretraining config's test set is a ``KNNEvalDataset`` of the two; a
    classifier config's bank is its training set read with the test
    pipeline.

    Args:
        cfg (Config): A pretraining or classifier config.
        bank_split (str, optional): Replace the bank's split.
        query_split (str, optional): Replace the query's split.
    """
    test = cfg.test_dataloader
    if test.dataset.get('type') == 'KNNEvalDataset':
        return (eval_dataset_cfg(test, 'bank', bank_split),
                eval_dataset_cfg(test, 'query', query_split))
    query = eval_dataset_cfg(test, split=query_split)
    bank = copy.deepcopy(cfg.train_dataloader.dataset)
    if 'pipeline' not in bank:
        raise ValueError('bank_and_query: the training set of this config '
                         'has no pipeline of its own (a dataset wrapper?); '
                         'use a '
                         'pretraining config, whose test set is a '
                         'KNNEvalDataset')
    bank.update(pipeline=query['pipeline'], test_mode=True)
    if bank_split is not None:
        bank['split'] = bank_split
    return bank, query


def eval_dataset_cfg(dataloader_cfg: dict,
                     part: str = 'query',
                     split: Optional[str] = None) -> dict:
    """A labelled dataset config out of a config's val or test dataloader.

    Args:
        dataloader_cfg (dict): e.g. ``cfg.test_dataloader``.
        part (str): For a ``KNNEvalDataset``, ``'query'`` (the split to
            classify) or ``'bank'`` (the labelled training split); ignored
            otherwise. Defaults to ``'query'``.
        split (str, optional): Replace the dataset's ``split``.

    Returns:
        dict: The dataset config, in test mode.
    """
    dataset = copy.deepcopy(dataloader_cfg['dataset'])
    if dataset.get('type') == 'KNNEvalDataset':
        if part not in ('query', 'bank'):
            raise ValueError(f"part must be 'query' or 'bank', got {part!r}")
        dataset = dataset[part]
    if split is not None:
        dataset['split'] = split
    dataset['test_mode'] = True
    return dataset


def sequential_loader(dataset: dict, batch_size: int = 64):
    """A dataloader reading ``dataset`` in order, in this process (the
    probes' and feature tools' loader: sample i of the features is sample i
    of the dataset)."""
    from mmengine.runner import Runner
    return Runner.build_dataloader(dict(
        batch_size=batch_size, num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False), dataset=dataset))
