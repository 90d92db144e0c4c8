"""Chart builders: pure functions from tidy DataFrames to Vega-Lite charts.

No finance is computed here; :mod:`rebalance_widgets.core` does that. Each chart is a
template filled with rows (:mod:`rebalance_widgets.charts.datasets`); Altair itself is
imported only when a template is first built (:mod:`rebalance_widgets.charts.lazy`), which
also enables the kit's colour-blind-safe theme (:mod:`rebalance_widgets.charts.theme`).
A template's spec compiled to Vega ahead (:mod:`rebalance_widgets.charts.compiled`) is what
a page gets when it exists, so the page draws without compiling.
"""

from rebalance_widgets.charts import theme

__all__ = ["theme"]
