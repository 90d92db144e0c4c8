"""Shared parts of the public widgets; none of these is shown on its own in a lesson.

- :mod:`.base`: ``TeachingWidget``, ``guarded`` callbacks, and one import for every part.
- :mod:`.guard`: ``guarded`` and ``long_job``: no exception escapes, big jobs show progress.
- :mod:`.inputs` and :mod:`.formatting`: parsing what a person types; money and percents.
- :mod:`.controls`: sliders, boxes and the simulation settings row.
- :mod:`.views`: the chart panel, the message line, the progress bar.
- :mod:`.draws`: the cache of random draws that widgets share.
- :mod:`.mixes`, :mod:`.planning`, :mod:`.simulated`: what several widgets of one kind share.
"""
