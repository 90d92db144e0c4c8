"""A learner's own band rule: width and kind of band, how far to trade, how often to look.

:class:`RuleBuilder` is a row of controls that describes a threshold (band) rule, the
engine's :class:`~rebalance_widgets.core.simulation.policies.Threshold`:

- the band's kind: weight points ("5 points": 60% may drift to 55-65%), relative to the
  target ("25% of the target": 60% may drift to 45-75%), or both (the smaller of the two,
  the "5/25 rule");
- its width(s), typed as numbers;
- how far to trade when the band is crossed: all the way back to the target, or only back
  to the band's edge;
- how often the band is checked: monthly, quarterly, twice a year or yearly.

:meth:`RuleBuilder.policy` reads the controls and returns the rule, or raises ``ValueError``
with a sentence a learner can act on; a width typed wrong is reported in the owner's message
line as it is typed (the controls never raise).
:meth:`RuleBuilder.feed_menu` wires the builder to a widget's menu of rules instead: the
button adds the rule to the menu and picks it.
"""

from __future__ import annotations

import functools
from typing import Any

import ipywidgets as widgets

from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.parts.guard import guarded
from rebalance_widgets.widgets.parts.inputs import parse_number, parse_percent
from rebalance_widgets.widgets.parts.views import Message, text_box

__all__ = ["BAND_KINDS", "CHECKS", "RuleBuilder"]

BAND_KINDS = (("Weight points", "points"), ("Share of the target", "relative"),
              ("Both (the smaller)", "both"))
"""The kinds of band a learner can pick, as (label, value) pairs."""

CHECKS = (("Every month", "monthly"), ("Every quarter", "quarterly"),
          ("Twice a year", "semiannual"), ("Once a year", "annual"))
"""How often the band is checked, as (label, value) pairs."""

_TRADE_TO = (("All the way to the target", "target"), ("Only back to the band's edge", "band"))


def _menu(label: str, options: tuple[tuple[str, str], ...], value: str, tip: str
          ) -> widgets.Dropdown:
    return widgets.Dropdown(
        options=options, value=value, description=label, description_allow_html=False,
        tooltip=tip, style={"description_width": "initial"},
        layout=widgets.Layout(width="auto", max_width="100%"),
    )


class RuleBuilder(widgets.VBox):
    """Controls that describe a band rule, and a button that adds it.

    Parameters
    ----------
    message : Message
        The owner's message line: a band width typed wrong is reported there at once.
    points : float, default 5
        Starting width of a points band, in weight points.
    relative : float, default 25
        Starting width of a relative band, in percent of the target.

    Attributes
    ----------
    add_button : ipywidgets.Button
        The owner observes its clicks (``on_click``) and calls :meth:`policy`.
    """

    def __init__(self, message: Message, points: float = 5.0, relative: float = 25.0,
                 **kwargs: Any) -> None:
        self.message = message
        self.kind = _menu("Band measured in", BAND_KINDS, "points",
                          "Weight points, a share of each target, or both")
        self.points_box = text_box(
            "Band (points)", f"{points:g}",
            "How far a weight may drift, in percentage points, before trading", "12em")
        self.relative_box = text_box(
            "Band (% of target)", f"{relative:g}",
            "How far a weight may drift, as a percent of its target, before trading", "14em")
        self.trade_to = _menu("Trade", _TRADE_TO, "target",
                              "How far to trade once the band is crossed")
        self.check = _menu("Look", CHECKS, "monthly", "How often the band is checked")
        self.add_button = widgets.Button(
            description="Add this rule", icon="", button_style="",
            tooltip="Add this band rule to the policies compared",
            layout=widgets.Layout(width="auto"),
        )
        self.kind.observe(self._show_boxes, names="value")
        self._show_boxes()
        self.points_box.observe(self._check_width, names="value")
        self.relative_box.observe(self._check_width, names="value")
        row = widgets.HBox(
            [self.kind, self.points_box, self.relative_box, self.trade_to, self.check,
             self.add_button],
            layout=widgets.Layout(flex_flow="row wrap", grid_gap="4px 12px", align_items="center"),
        )
        super().__init__([widgets.HTML("<b>Your own band rule</b>"), row], **kwargs)

    def _show_boxes(self, change: dict[str, Any] | None = None) -> None:
        kind = self.kind.value
        self.points_box.layout.display = None if kind in ("points", "both") else "none"
        self.relative_box.layout.display = None if kind in ("relative", "both") else "none"

    @guarded
    def _check_width(self, change: dict[str, Any]) -> None:
        self.width(change["owner"])  # says at once what to fix in a band typed

    def width(self, box: Any) -> float:
        """Read one band box as a fraction; ``ValueError`` says what to fix."""
        if box is self.points_box:  # weight points: 5 means 60% may drift to 55-65%
            points = parse_number(box.value, name="Band (points)", minimum=0.1, maximum=50.0,
                                  example="5")
            return round(points / 100.0, 12)
        return parse_percent(box.value, name="Band (% of target)", minimum=1.0,
                             maximum=100.0)

    def policy(self) -> policies.Threshold:
        """Return the rule the controls describe.

        Returns
        -------
        Threshold
            ``Threshold(absolute=..., relative=..., check=..., trade_to=...)``.

        Raises
        ------
        ValueError
            For a blank, non-numeric, zero or too-wide band (points up to 50, relative up
            to 100% of the target).
        """
        kind = self.kind.value
        absolute = self.width(self.points_box) if kind in ("points", "both") else None
        relative = self.width(self.relative_box) if kind in ("relative", "both") else None
        return policies.Threshold(absolute=absolute, relative=relative,
                                  check=self.check.value, trade_to=self.trade_to.value)

    def feed_menu(self, menu: widgets.Dropdown, limit: int = 24) -> None:
        """Add each rule built to ``menu`` (options ``(label, policy)``) and pick it.

        Errors go to the message line. The menu holds at most ``limit`` rules.
        """
        self.add_button.on_click(functools.partial(self._add_to_menu, menu, limit))

    @guarded
    def _add_to_menu(self, menu: widgets.Dropdown, limit: int, button: Any = None) -> None:
        rule = self.policy()
        rules = [value for _, value in menu.options]
        if rule not in rules:
            if len(rules) >= limit:
                raise ValueError(f"The menu holds at most {limit} rules: reload the page "
                                 "to start again.")
            menu.options = [*menu.options, (rule.label, rule)]
        menu.value = rule
