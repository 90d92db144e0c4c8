"""The rebalance calculator: a person's funds and target in, the trades out.

- :mod:`.holdings`: ``Holding`` and the parsers of typed or CSV holdings.
- :mod:`.trades`: ``plan_trades``, the trades that bring an account to its target.
- :mod:`.rules`: the arithmetic of those trades, in whole cents.

Imports nothing else from :mod:`rebalance_widgets.core`.
"""

from rebalance_widgets.core.calculator import trades
from rebalance_widgets.core.calculator.holdings import Holding, parse_holdings_csv
from rebalance_widgets.core.calculator.trades import Trade, TradePlan, plan_trades

__all__ = ["Holding", "Trade", "TradePlan", "parse_holdings_csv", "plan_trades", "trades"]
