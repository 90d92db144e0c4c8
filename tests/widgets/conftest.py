"""What several widgets' tests share."""

from __future__ import annotations

import pytest

_BOXES = {"kind": "kind", "points": "points_box", "relative": "relative_box",
          "trade_to": "trade_to", "check": "check"}


@pytest.fixture()
def add_rule():
    """Type a band rule into a widget's rule builder as a learner does, and add it.

    Call it with the builder and the choices as typed (``kind``, ``points``, ``relative``,
    ``trade_to``, ``check``).
    """

    def add(builder, **choices: str) -> None:
        for choice, value in choices.items():
            getattr(builder, _BOXES[choice]).value = value
        builder.add_button.click()

    return add
