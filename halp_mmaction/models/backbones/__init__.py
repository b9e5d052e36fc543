from .bigru import BiGRU

__all__ = ['BiGRU']
