"""Pure numpy/pandas finance: history, return models, policies, the engine and metrics.

Nothing here imports ipywidgets, altair, IPython or traitlets.
"""

from rebalance_widgets.core import metrics

__all__: list[str] = []
__all__ += ["metrics"]
