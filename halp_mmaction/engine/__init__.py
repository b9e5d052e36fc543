from .hooks import *  # noqa: F401,F403
from .views_on_device import apply_views_on_device  # noqa: F401
