"""The rebalance calculator: type (or upload) your holdings, get the trades.

:class:`RebalanceCalculator` reads rows of fund / asset class / amount (or a CSV file with
the columns ``fund``, ``asset_class``, ``amount``), a target mix, new money, full rebalance
or buy-only and a smallest trade, and asks
:func:`rebalance_widgets.core.calculator.trades.plan_trades` for the trades. It shows them
as a table, in words, and as a before/after chart. Nothing leaves the kernel: the file is
read in memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from rebalance_widgets.charts import calculator as charts
from rebalance_widgets.core.calculator import trades
from rebalance_widgets.widgets.allocation import ASSETS, describe_mix
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.a11y import NUMBERED_ROW
from rebalance_widgets.widgets.parts.download import CsvDownload
from rebalance_widgets.widgets.parts.mixes import valid_mix

__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "RebalanceCalculator"]

#: Largest CSV accepted (1 MB).
MAX_FILE_BYTES = 1_000_000
#: Most rows in the table.
MAX_ROWS = 40
EXAMPLE = (
    ("S&P 500 Index", "stocks", "70,000"),
    ("Total Bond Index", "bonds", "22,000"),
    ("Stable Value", "cash", "8,000"),
)
_CELL = 'style="padding:2px 18px 2px 0"'
MODES = {
    "Full rebalance (buy and sell)": "full",
    "Buy only (use new money, never sell)": "buy_only",
}


def _mix_text(asset_class: str | Mapping[str, float]) -> str:
    if isinstance(asset_class, str):
        return asset_class
    return ";".join(f"{name}:{share:g}" for name, share in asset_class.items())


class _Row(widgets.HBox):
    """One holding: fund name, asset class (or a mix), amount, and a remove button."""

    def __init__(self, number: int, fund: str = "", asset_class: str = "", amount: str = ""):
        self.fund = widgets.Text(
            value=fund,
            placeholder="Fund name",
            description=f"Fund {number}",
            tooltip="The fund's name as your plan shows it",
            continuous_update=False,
            style={"description_width": "4.5em"},
            layout=widgets.Layout(width="20em"),
        )
        self.asset_class = widgets.Combobox(
            value=asset_class,
            options=list(ASSETS),
            placeholder="stocks, or stocks:0.9;bonds:0.1",
            description="Class",
            tooltip="stocks, bonds or cash; for a mixed fund type its mix: stocks:0.9;bonds:0.1",
            ensure_option=False,
            continuous_update=False,
            style={"description_width": "3em"},
            layout=widgets.Layout(width="19em"),
        )
        self.amount = widgets.Text(
            value=amount,
            placeholder="30,000",
            description=base.plain_label("Amount ($)"),
            tooltip="Dollars held in this fund",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="15em"),
        )
        self.remove = widgets.Button(
            description="Remove",
            tooltip=f"Remove fund {number}",
            layout=widgets.Layout(width="6.5em"),
        )
        super().__init__([self.fund, self.asset_class, self.amount, self.remove])
        self.add_class(NUMBERED_ROW)  # "Class, Fund 2", "Remove, Fund 2" for screen readers

    def is_blank(self) -> bool:
        return not (
            self.fund.value.strip() or self.asset_class.value.strip() or self.amount.value.strip()
        )

    def holding(self, number: int) -> trades.Holding:
        name = self.fund.value.strip()
        if not name:
            raise ValueError(f"Fund {number} has no name: type the fund's name, or remove the row.")
        mix = trades.parse_mix(self.asset_class.value, name)
        amount = base.parse_amount(self.amount.value, name=f"The amount of {name}")
        return trades.Holding(name, mix, amount)


class RebalanceCalculator(base.TeachingWidget):
    """Work out the trades that bring a 401(k) to its target mix.

    Traits: ``target`` (asset -> share, linkable to ``AllocationSliders.value``),
    ``contribution`` (new dollars, negative to take money out), ``mode`` (``"full"`` or
    ``"buy_only"``), ``min_trade`` (dollars). ``plan`` holds the last
    :class:`~rebalance_widgets.core.calculator.trades.TradePlan`.

    Parameters
    ----------
    target : dict, optional
        Target mix (default 60% stocks, 35% bonds, 5% cash).
    example : bool, default True
        Start with three example funds.

    Examples
    --------
    >>> calc = RebalanceCalculator()
    >>> calc.contribution_box.value = "1,000"
    >>> [(t.fund, t.action) for t in calc.plan.trades][0]
    ('Total Bond Index', 'buy')
    """

    target = traitlets.Dict()
    contribution = traitlets.Float(0.0)
    mode = traitlets.Unicode("full")
    min_trade = traitlets.Float(0.0)

    def __init__(self, target: Mapping[str, float] | None = None, example: bool = True):
        super().__init__()
        self.plan: trades.TradePlan | None = None
        self.rows: list[_Row] = []
        self.rows_box = widgets.VBox()
        self.add_button = widgets.Button(description="Add a fund", tooltip="Add an empty row")
        self.add_button.on_click(lambda _: self._add_row())
        self.upload = widgets.FileUpload(
            accept=".csv,text/csv",
            multiple=False,
            description="Upload CSV",
            tooltip="A CSV file with the columns fund, asset_class, amount",
        )
        self.upload.observe(self._on_upload, names="value")
        self.target_boxes = {
            asset: base.text_box(f"Target {asset} (%)", "", f"Target share of {asset}", "13em")
            for asset in ASSETS
        }
        self.contribution_box = base.text_box(
            "New money ($)", "0", "Dollars to add now (negative to take money out)"
        )
        self.min_box = base.text_box("Skip trades under ($)", "0", "Smallest trade worth placing")
        self.mode_buttons = widgets.RadioButtons(
            options=list(MODES.items()),
            value="full",
            description="How",
            tooltip="Full rebalance, or only put new money where it is missing",
            layout=widgets.Layout(width="auto"),
        )
        self.summary = widgets.HTML()
        self.table = widgets.HTML()
        self.download = CsvDownload("trades.csv", "Download the trades (CSV)")
        self.panel = base.ChartPanel()
        for box in self.target_boxes.values():
            box.observe(self._on_target_box, names="value")
        self.contribution_box.observe(self._on_contribution, names="value")
        self.min_box.observe(self._on_min, names="value")
        self.mode_buttons.observe(self._on_mode, names="value")
        self.children = [
            widgets.HTML("<b>Your funds</b> (or upload a CSV with fund, asset_class, amount)"),
            self.rows_box,
            widgets.HBox([self.add_button, self.upload]),
            widgets.HBox(list(self.target_boxes.values())),
            widgets.HBox([self.contribution_box, self.min_box]),
            self.mode_buttons,
            self.message,
            self.summary,
            self.table,
            self.download,
            self.panel,
        ]
        with self.hold_trait_notifications():
            for row in EXAMPLE if example else ():
                self._add_row(*row, refresh=False)
            if not example:
                self._add_row(refresh=False)
            self.target = dict(target or {"stocks": 0.6, "bonds": 0.35, "cash": 0.05})
        self.observe(self._refresh, names=["target", "contribution", "mode", "min_trade"])
        self._refresh()

    # ------------------------------------------------------------------ rows
    def _add_row(
        self, fund: str = "", asset_class: str = "", amount: str = "", refresh: bool = True
    ) -> None:
        if len(self.rows) >= MAX_ROWS:
            self.message.show_error(f"At most {MAX_ROWS} funds fit in the table.")
            return
        row = _Row(len(self.rows) + 1, fund, asset_class, amount)
        for box in (row.fund, row.asset_class, row.amount):
            box.observe(self._refresh, names="value")
        row.remove.on_click(lambda _, row=row: self._remove_row(row))
        self.rows.append(row)
        self.rows_box.children = tuple(self.rows)
        if refresh:
            self._refresh()

    def _remove_row(self, row: _Row) -> None:
        if row in self.rows:
            self.rows.remove(row)
            for number, kept in enumerate(self.rows, start=1):  # keep "Fund n" in order
                kept.fund.description = f"Fund {number}"
                kept.remove.tooltip = f"Remove fund {number}"
            self.rows_box.children = tuple(self.rows)
            self._refresh()

    def set_holdings(self, holdings: list[trades.Holding]) -> None:
        """Replace the rows with these holdings.

        Parameters
        ----------
        holdings : list of Holding
            Funds to show, in order (at most :data:`MAX_ROWS`).
        """
        if len(holdings) > MAX_ROWS:
            raise ValueError(f"The file has {len(holdings)} funds; at most {MAX_ROWS} fit.")
        self.rows = []
        for holding in holdings:
            self._add_row(
                holding.name,
                _mix_text(holding.asset_class),
                f"{holding.amount:,.2f}",
                refresh=False,
            )
        self.rows_box.children = tuple(self.rows)
        self._refresh()

    @base.guarded
    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        if upload["size"] > MAX_FILE_BYTES:
            raise ValueError(f"The file is {upload['size']:,} bytes; at most 1 MB is read.")
        try:
            text = bytes(upload["content"]).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError(
                "The file is not plain text: save it as CSV (comma separated) and upload again."
            ) from None
        self.set_holdings(trades.parse_holdings_csv(text))

    # ------------------------------------------------------------------ inputs
    @traitlets.validate("target")
    def _valid_target(self, proposal: dict[str, Any]) -> dict[str, float]:
        return valid_mix(proposal)

    @traitlets.observe("target")
    def _show_target(self, change: dict[str, Any]) -> None:
        for asset, box in self.target_boxes.items():
            box.value = f"{change['new'][asset] * 100:g}"

    @base.guarded
    def _on_target_box(self, change: dict[str, Any]) -> None:
        mix = {
            asset: base.parse_percent(box.value, name=f"Target {asset}")
            for asset, box in self.target_boxes.items()
        }
        total = sum(mix.values())
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"Weights must add up to 100%; these add up to {total * 100:.4g}%.")
        self.target = mix

    @base.guarded
    def _on_contribution(self, change: dict[str, Any]) -> None:
        self.contribution = base.parse_amount(
            self.contribution_box.value,
            name="New money",
            minimum=-base.MAX_AMOUNT,
            maximum=base.MAX_AMOUNT,
        )

    @base.guarded
    def _on_min(self, change: dict[str, Any]) -> None:
        self.min_trade = base.parse_amount(self.min_box.value, name="Skip trades under")

    @base.guarded
    def _on_mode(self, change: dict[str, Any]) -> None:
        self.mode = change["new"]

    # ------------------------------------------------------------------ result
    def _holdings(self) -> list[trades.Holding]:
        filled = [(n, row) for n, row in enumerate(self.rows, start=1) if not row.is_blank()]
        if not filled:
            raise ValueError("Type at least one fund, its asset class and its amount.")
        return [row.holding(number) for number, row in filled]

    @base.guarded
    def _refresh(self, change: dict[str, Any] | None = None) -> None:
        plan = trades.plan_trades(
            self._holdings(),
            self.target,
            self.contribution,
            mode=self.mode,
            min_trade=self.min_trade,
        )
        classes = plan.classes
        frame = pd.DataFrame(
            {
                "asset": list(classes.index),
                "before": classes["before_weight"].to_numpy(),
                "after": classes["after_weight"].to_numpy(),
                "target": classes["target"].to_numpy(),
                "before_dollars": classes["before"].to_numpy(),
                "after_dollars": classes["after"].to_numpy(),
            }
        )
        chart = charts.before_after_chart(frame)
        notes = "".join(f"<li>{base.html_escape(note)}</li>" for note in plan.notes)
        self.plan = plan
        self.summary.value = (
            f'<p style="font-size:15px;max-width:46em">{base.html_escape(plan.summary)}</p>'
            + (f'<ul style="max-width:46em">{notes}</ul>' if notes else "")
        )
        self.table.value = _trade_table(plan)
        self.download.show(pd.DataFrame(
            [(t.fund, t.asset_class, t.action.capitalize(), round(t.amount, 2))
             for t in plan.trades],
            columns=["Fund", "Asset class", "Action", "Amount ($)"],
        ))
        after = {row.asset: row.after for row in frame.itertuples()}
        self.panel.update(
            chart,
            f"After the trades the account holds {describe_mix(after)}, against a target "
            f"of {describe_mix(self.target)}.",
        )


def _trade_table(plan: trades.TradePlan) -> str:
    """Write the trades as an accessible HTML table (fund names escaped)."""
    if not plan.trades:
        return "<p>No trades needed.</p>"
    cells = "".join(
        f"<tr><td {_CELL}>{base.html_escape(t.fund)}</td>"
        f"<td {_CELL}>{base.html_escape(t.asset_class)}</td>"
        f"<td {_CELL}>{t.action.capitalize()}</td>"
        f'<td style="text-align:right">${t.amount:,.2f}</td></tr>'
        for t in plan.trades
    )
    return (
        '<table style="border-collapse:collapse;font-size:14px" class="rebalance-trades">'
        '<caption style="text-align:left;font-weight:600">Trades to place</caption>'
        '<thead><tr><th scope="col" style="text-align:left;padding-right:16px">Fund</th>'
        '<th scope="col" style="text-align:left;padding-right:16px">Asset class</th>'
        '<th scope="col" style="text-align:left;padding-right:16px">Action</th>'
        '<th scope="col" style="text-align:right">Amount</th></tr></thead>'
        f"<tbody>{cells}</tbody></table>"
    )
