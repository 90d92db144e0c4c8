"""Chart builders: pure functions from tidy DataFrames to Vega-Lite charts.

No finance is computed here; :mod:`rebalance_widgets.core` does that. Each chart is a
template filled with rows (:mod:`rebalance_widgets.charts.datasets`); Altair itself is
imported only when a template is first built (:mod:`rebalance_widgets.charts.lazy`), which
also enables the kit's colour-blind-safe theme (:mod:`rebalance_widgets.charts.theme`).
"""

from rebalance_widgets.charts import theme

__all__ = ["theme"]
