"""Pure numpy/pandas finance: history, return models, policies, the engine and metrics.

Nothing here imports ipywidgets, altair, IPython or traitlets.
"""

__all__: list[str] = []
