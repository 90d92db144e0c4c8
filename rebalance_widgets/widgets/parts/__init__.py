"""Shared parts of the public widgets; none of these is shown on its own in a lesson.

- :mod:`.base`: ``TeachingWidget``, ``guarded`` callbacks, and one import for every part.
- :mod:`.guard`: ``guarded`` and ``long_job``: no exception escapes, big jobs show progress.
- :mod:`.inputs` and :mod:`.formatting`: parsing what a person types; money and percents.
- :mod:`.controls`: sliders, boxes and the simulation settings row.
- :mod:`.views`: the chart panel, the message line, the progress bar.
- :mod:`.draws`: the cache of random draws that widgets share.
- :mod:`.mixes`, :mod:`.planning`, :mod:`.simulated`: what several widgets of one kind share.
- :mod:`.vega`: the chart widget that shares one copy of the chart library per page.
- :mod:`.download`: a "Download CSV" button for any table, made in the page, offline.
- :mod:`.a11y`: what the page adds for screen readers and keyboards (slider values in the
  units shown, one Tab stop per slider, numbered rows, grouped quiz choices, focus ring).

Parts import :mod:`rebalance_widgets.core`, :mod:`rebalance_widgets.charts` and each other,
never a public widget (``tests/core/test_layers.py`` checks it).
"""
