"""Altair chart builders: pure functions from tidy DataFrames to ``alt.Chart``.

No finance is computed here; :mod:`rebalance_widgets.core` does that. Importing this
package enables the kit's colour-blind-safe theme (:mod:`rebalance_widgets.charts.theme`).
"""

from rebalance_widgets.charts import theme

__all__ = ["theme"]
