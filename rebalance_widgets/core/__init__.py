"""Pure numpy/pandas finance: history, return models, policies, the engine and metrics.

Nothing here imports ipywidgets, altair, IPython or traitlets.
"""

from . import policies
from .engine import SimulationResult, compare, simulate
from .history import load_history

__all__ = ["SimulationResult", "compare", "load_history", "policies", "simulate"]
