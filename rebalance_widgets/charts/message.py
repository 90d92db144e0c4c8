"""A chart that only says something, such as "Waiting for inputs…", in the chart's place."""

from __future__ import annotations

from rebalance_widgets.charts.datasets import FilledChart, template, with_datasets
from rebalance_widgets.charts.lazy import alt

__all__ = ["message_chart"]


@template
def _message_template(width: int, height: int) -> alt.Chart:
    return (
        alt.Chart(alt.NamedData(name="text"))
        .mark_text(fontSize=14)
        .encode(text="text:N")
        .properties(width=width, height=height)
    )


def message_chart(text: str, *, width: int = 300, height: int = 40) -> FilledChart:
    """Write one line of text where a chart will be.

    Parameters
    ----------
    text : str
        What to say.
    width, height : int, optional
        Size in pixels.

    Returns
    -------
    FilledChart
        A text mark reading the dataset ``"text"``.

    Examples
    --------
    >>> message_chart("Waiting for inputs…").to_dict()["datasets"]
    {'text': [{'text': 'Waiting for inputs…'}]}
    """
    return with_datasets(_message_template(int(width), int(height)), {"text": [{"text": text}]})
