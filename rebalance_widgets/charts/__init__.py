"""Altair chart builders: pure functions from tidy DataFrames to ``alt.Chart``.

No finance is computed here; :mod:`rebalance_widgets.core` does that. Importing this
package imports Altair the fast way (:mod:`rebalance_widgets.chart_library`) and enables
the kit's colour-blind-safe theme (:mod:`rebalance_widgets.charts.theme`).
"""

from rebalance_widgets.chart_library import import_altair

import_altair()

from rebalance_widgets.charts import theme  # noqa: E402 - after Altair's fast import

__all__ = ["theme"]
