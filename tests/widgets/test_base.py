import sys

import altair as alt
import numpy as np
import pandas as pd
import psutil
import pytest

from rebalance_widgets.charts import theme
from rebalance_widgets.charts.lazy import active_theme, load_altair
from rebalance_widgets.widgets.parts import base

HOSTILE = ["", "abc", "-5", "1e308", "nan", "inf", "  ", "12,000,000,000", "<script>"]


def test_theme_is_active_and_uses_okabe_ito():
    load_altair()  # what the kit does before it builds a chart with Altair
    assert alt.theme.active == theme.THEME_NAME
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q")
    config = chart.to_dict()["config"]
    assert config["axis"]["labelFontSize"] >= 12
    assert set(config["range"]["category"]) <= set(theme.OKABE_ITO.values())


def test_a_theme_a_notebook_chose_is_kept_warm_cache_or_cold(monkeypatch):
    """The kit's charts follow the notebook's theme, and loading Altair does not undo it."""
    from rebalance_widgets.charts import lazy

    monkeypatch.setattr(lazy, "_loaded", None)  # as if the kit had not loaded Altair yet
    before = alt.theme.active
    try:
        alt.theme.enable("dark")
        assert active_theme() == "dark"
        load_altair()
        assert alt.theme.active == "dark"
        alt.theme.enable("default")
        monkeypatch.setattr(lazy, "_loaded", None)
        assert active_theme() == theme.THEME_NAME  # the kit's, as loading would enable it
        load_altair()
        assert alt.theme.active == theme.THEME_NAME
    finally:
        alt.theme.enable(before)


def test_asset_colours_are_fixed_and_distinct():
    scale = theme.asset_scale(["stocks", "bonds", "cash"]).to_dict()
    assert scale["domain"] == ["stocks", "bonds", "cash"]
    assert scale["range"] == ["#0072B2", "#E69F00", "#009E73"]
    # same colour whatever the order or case
    assert theme.asset_scale(["Bonds", "Stocks"]).to_dict()["range"] == ["#E69F00", "#0072B2"]
    unknown = theme.asset_scale(["gold", "crypto"]).to_dict()["range"]
    assert unknown[0] != unknown[1]


def test_series_scale_keeps_known_colours_and_fills_others():
    rng = theme.series_scale(["Rebalanced", "Never rebalanced", "Something"]).to_dict()["range"]
    assert rng[:2] == ["#0072B2", "#D55E00"]
    assert rng[2] not in rng[:2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("25000", 25000.0), ("$12,000", 12000.0), (" 1,250.50 ", 1250.5), ("0", 0.0), ("3e3", 3000.0)],
)
def test_parse_amount_accepts_what_people_type(text, expected):
    assert base.parse_amount(text, name="Amount") == expected


@pytest.mark.parametrize("text", HOSTILE)
def test_parse_amount_refuses_hostile_text_with_a_sentence(text):
    with pytest.raises(ValueError, match=r"^Amount ") as info:
        base.parse_amount(text, name="Amount", maximum=1e7)
    assert "Traceback" not in str(info.value)


def test_parse_amount_messages_say_what_to_fix():
    with pytest.raises(ValueError, match="Amount must be a number, like 25,000; you typed “abc”."):
        base.parse_amount("abc", name="Amount")
    with pytest.raises(ValueError, match=r"at least \$0; you typed “-5”"):
        base.parse_amount("-5", name="Amount")
    with pytest.raises(ValueError, match=r"at most \$10,000,000"):
        base.parse_amount("12,000,000,000", name="Amount", maximum=1e7)
    with pytest.raises(ValueError, match="is empty"):
        base.parse_amount("  ", name="Amount")


def test_parse_percent_reads_percent_numbers():
    assert base.parse_percent("6", name="Deferral") == pytest.approx(0.06, abs=1e-15)
    assert base.parse_percent("6.5 %", name="Deferral") == pytest.approx(0.065, abs=1e-15)
    with pytest.raises(ValueError, match="at most 100%"):
        base.parse_percent("150", name="Deferral")


def test_parse_whole_number_and_seed():
    assert base.parse_whole_number("1,000", name="Paths") == 1000
    with pytest.raises(ValueError, match="whole number"):
        base.parse_whole_number("2.5", name="Years")
    assert base.parse_seed("42") == 42
    for bad in ["", "-1", "1.5", "x", str(2**40)]:
        with pytest.raises(ValueError, match="Seed"):
            base.parse_seed(bad)


def test_money_and_percent_formatting():
    assert base.money(1234567.4) == "$1,234,567"
    assert base.money(0) == "$0"
    assert base.money(-2.5) == "-$2.50"
    assert base.percent(0.6) == "60%"
    assert base.percent(0.0534, 1) == "5.3%"
    assert base.percent(0.25) == "25%"


def test_clamps():
    assert base.clamp_paths(1000) == (1000, None)
    assert base.clamp_paths(10**9)[0] == base.MAX_PATHS
    assert "5,000" in base.clamp_paths(10**9)[1]
    assert base.clamp_paths(-3)[0] == base.MIN_PATHS
    assert base.clamp_years(61)[0] == 60
    assert base.clamp_years(0)[0] == 1


def test_message_escapes_and_sets_role_alert():
    message = base.Message()
    message.show_error("<script>alert(1)</script>")
    assert "<script>" not in message.value
    assert 'role="alert"' in message.value
    assert message.kind == "error"
    message.clear()
    assert message.value == "" and message.kind == ""


class _Doubler(base.TeachingWidget):
    def __init__(self):
        super().__init__()
        self.box = base.text_box("Amount", "10", "An amount")
        self.result = 20.0
        self.box.observe(self._on_box, names="value")
        self.children = [self.box, self.message]

    @base.guarded
    def _on_box(self, change=None):
        amount = base.parse_amount(self.box.value, name="Amount")
        if amount == 13:
            raise RuntimeError("unlucky")
        if amount == 14:
            raise MemoryError
        self.result = 2 * amount


def test_guarded_shows_errors_keeps_last_good_result_and_recovers():
    w = _Doubler()
    w.box.value = "21"
    assert w.result == 42.0
    w.box.value = "abc"
    assert w.result == 42.0
    assert w.message.kind == "error"
    assert w.message.text == "Amount must be a number, like 25,000; you typed “abc”."
    w.box.value = "13"
    assert w.message.text == "Something went wrong with these inputs: unlucky"
    assert w.result == 42.0
    w.box.value = "14"  # a server's memory limit reached
    assert w.message.text.startswith("This server ran out of memory")
    assert w.result == 42.0
    w.box.value = "5"
    assert w.result == 10.0
    assert w.message.kind == "" and w.last_error == ""


def test_guarded_gives_freed_memory_back_after_the_first_call_only(monkeypatch):
    from rebalance_widgets.widgets.parts import guard

    released = []
    monkeypatch.setattr(guard, "release_freed_memory", lambda: released.append(1))
    w = _Doubler()
    w.box.value = "13"  # its first call, an error: released all the same
    assert len(released) == 1
    w.box.value = "21"
    w._on_box()
    assert len(released) == 1  # answers to a visitor are not slowed by it
    _Doubler().box.value = "21"  # another widget: its own first call
    assert len(released) == 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="GNU libc's malloc_trim")
def test_freed_memory_a_simulation_leaves_goes_back_to_the_system():
    """Freed blocks the allocator kept (a live block above them) are returned."""
    import ctypes

    from rebalance_widgets.widgets.parts.guard import release_freed_memory

    if not hasattr(ctypes.CDLL(None), "malloc_trim"):
        pytest.skip("not GNU libc")
    process = psutil.Process()
    release_freed_memory()
    blocks = [bytearray(100_000) for _ in range(600)]  # 60 MB below the mmap threshold
    for block in blocks:
        block[::4096] = b"x" * len(block[::4096])  # touch every page
    keep = bytearray(100_000)  # above them: the allocator cannot shrink its heap by itself
    held = process.memory_info().rss
    del blocks
    assert process.memory_info().rss > held - 30 * 2**20  # kept by the allocator
    assert release_freed_memory()
    assert process.memory_info().rss < held - 40 * 2**20
    del keep


def test_simulation_settings_clamp_and_refuse_letters():
    message = base.Message()
    settings = base.SimulationSettings(message, n_paths=200, years=10, seed=1)
    settings.paths_box.value = "1e308"
    assert settings.n_paths == base.MAX_PATHS
    assert settings.paths_box.value == "5,000"
    assert message.kind == "info" and "5,000" in message.text
    settings.paths_box.value = "abc"
    assert settings.n_paths == base.MAX_PATHS
    assert message.kind == "error"
    settings.seed_box.value = "-1"
    assert settings.seed == 1 and message.kind == "error"
    settings.seed_box.value = "99"
    assert settings.seed == 99 and message.kind == ""
    settings.years = 500
    assert settings.years == base.MAX_YEARS and settings.years_slider.value == base.MAX_YEARS


def test_chart_panel_update_replaces_chart_and_sentence():
    panel = base.ChartPanel()
    chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_bar().encode(x="x:Q")
    panel.update(chart, "Two bars.")
    assert panel.chart is chart
    assert panel.view.spec == chart.to_dict()
    assert panel.sentence == "Two bars."
    assert panel.summary.value == "Two bars."
    assert panel.view.spec["mark"] == {"type": "bar"}


class _Model:
    """Tiny stand-in return model: iid normal draws (hashable via identity is not needed)."""

    def __init__(self, assets=2):
        self.assets = assets
        self.calls = 0

    def __hash__(self):
        return 1

    def __eq__(self, other):
        return isinstance(other, _Model) and other.assets == self.assets

    def sample(self, n_paths, n_periods, rng=None):
        self.calls += 1
        rng = np.random.default_rng(rng)
        return rng.normal(0.0, 0.01, size=(n_paths, n_periods, self.assets))


def test_draws_cache_reuses_draws_and_is_read_only():
    cache = base.DrawsCache(max_entries=2)
    model = _Model()
    a = cache.get(model, seed=1, n_paths=20, n_periods=12)
    b = cache.get(model, seed=1, n_paths=20, n_periods=12)
    assert a is b and model.calls == 1 and cache.hits == 1
    assert not a.flags.writeable
    c = cache.get(model, seed=2, n_paths=20, n_periods=12)
    assert not np.array_equal(a, c)
    cache.get(model, seed=3, n_paths=20, n_periods=12)  # evicts seed 1
    cache.get(model, seed=1, n_paths=20, n_periods=12)
    assert model.calls == 4


def test_draws_cache_chunked_sampling_matches_one_draw_and_moves_progress():
    cache = base.DrawsCache(chunk_paths=7)
    progress = base.Progress()
    seen = []
    progress.observe(lambda change: seen.append(change["new"]), names="value")
    chunked = cache.get(_Model(), seed=5, n_paths=20, n_periods=6, progress=progress)
    whole = _Model().sample(20, 6, np.random.default_rng(5))
    assert chunked.shape == (20, 6, 2)
    np.testing.assert_allclose(chunked, whole, rtol=0, atol=0)
    assert max(seen) == 3  # 7 + 7 + 6 paths
    assert progress.layout.display == "none"


def test_long_job_shows_the_bar_only_for_big_jobs():
    bar = base.Progress()
    seen = []
    bar.observe(lambda change: seen.append(change["new"]), names="layout")
    shown = []
    bar.layout.observe(lambda change: shown.append(change["new"]), names="display")
    with base.long_job(bar, 10, 12):
        pass
    assert shown == []
    with base.long_job(bar, base.MAX_PATHS, 720):
        assert bar.layout.display is None and bar.value == bar.max
    assert shown == [None, "none"]


def test_age_check_says_what_to_fix():
    base.check_ages(35, 95)  # exactly 60 years is allowed
    later = r"^Retirement age \(35\) must be later than your age now \(35\)\.$"
    with pytest.raises(ValueError, match=later):
        base.check_ages(35, 35)
    with pytest.raises(ValueError, match="choose a retirement age up to 78"):
        base.check_ages(18, 79)


def test_valid_mix_turns_a_bad_mix_into_a_trait_error_with_the_same_words():
    import traitlets

    from rebalance_widgets.widgets.parts.mixes import valid_mix

    assert valid_mix({"value": {"stocks": 0.25, "bonds": 0.75}}) == {
        "stocks": 0.25,
        "bonds": 0.75,
        "cash": 0.0,
    }
    with pytest.raises(traitlets.TraitError, match=r"add up to 90%"):
        valid_mix({"value": {"stocks": 0.5, "bonds": 0.4}})


def test_percent_slider_and_settings_draws():
    slider = base.percent_slider(0.05, 0.2, 0.01, "Band", "Help", decimals=1, width="20em")
    assert (slider.value, slider.max, slider.readout_format) == (0.05, 0.2, ".1%")
    assert slider.layout.width == "20em" and not slider.continuous_update

    class Model:
        def sample(self, n_paths, n_periods, rng):
            return np.random.default_rng(rng).normal(size=(n_paths, n_periods, 2))

    model = Model()
    settings = base.SimulationSettings(base.Message(), n_paths=20, seed=5)
    draws = settings.draws(model, 24)
    assert draws.shape == (20, 24, 2)
    assert settings.draws(model, 24) is draws  # same futures, from the cache
