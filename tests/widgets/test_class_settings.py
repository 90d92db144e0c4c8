"""Class settings: an instructor's file sets every widget's starting values."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rebalance_widgets.widgets.parts.class_settings import (
    BUILT_IN_MATCHES,
    ENVIRONMENT,
    ClassSettings,
    read_settings,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "class-settings.example.toml"

PROBE = """
import json
from rebalance_widgets import (AllocationSliders, ContributionPlanner, CostsAndTaxes,
                               DriftExplorer, RebalancingComparison)
comparison = RebalancingComparison(n_paths=10, years=1)
costs = CostsAndTaxes(n_paths=10, years=1)
drift = DriftExplorer()
planner = ContributionPlanner(n_paths=10)
print(json.dumps({
    "seed": drift.settings.seed, "years": drift.settings.years,
    "futures": drift.settings.n_paths, "model": drift.model,
    "cost": comparison.cost_rate, "fee": costs.expense_ratio,
    "match": planner.match_menu.value, "market": planner.market.value,
    "mixes": list(AllocationSliders().presets),
    "error": planner.message.text,
}))
"""


def probe(folder: Path, settings: Path | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != ENVIRONMENT}
    if settings is not None:
        env[ENVIRONMENT] = str(settings)
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=folder, env=env,
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_example_file_reads_as_its_comments_say():
    settings = read_settings(EXAMPLE)
    assert (settings.seed, settings.years, settings.futures) == (7, 25, 500)
    assert settings.model == "forward-looking"
    assert settings.trading_cost == pytest.approx(0.001)
    assert settings.expense_ratio == pytest.approx(0.003)
    assert settings.matches == {"Our district": ((1.0, 0.03), (0.5, 0.02))}
    assert settings.mixes["Class mix"] == pytest.approx(
        {"stocks": 0.7, "bonds": 0.25, "cash": 0.05})


def test_every_widget_starts_from_the_class_settings(tmp_path):
    found = probe(tmp_path, EXAMPLE)
    assert (found["seed"], found["years"], found["futures"]) == (7, 25, 500)
    assert found["model"] == "forward-looking" and found["market"] == "forward-looking"
    assert found["cost"] == pytest.approx(0.001) and found["fee"] == pytest.approx(0.003)
    assert found["match"] == "Our district"
    assert "Class mix" in found["mixes"]
    assert found["error"] == ""


def test_a_file_beside_the_lessons_is_read_and_none_means_the_defaults(tmp_path):
    defaults = probe(tmp_path, None)
    plain = ClassSettings()
    assert (defaults["seed"], defaults["years"], defaults["futures"]) == (
        plain.seed, plain.years, plain.futures)
    (tmp_path / "rebalance-widgets.toml").write_text("seed = 99\n")
    assert probe(tmp_path, None)["seed"] == 99


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("seed = -1", "seed must be a whole number"),
        ("years = 100", "years must be a whole number from 1 to 60"),
        ("futures = 'many'", "futures must be a whole number"),
        ("model = 'crystal ball'", "model must be one of"),
        ("trading_cost = 50", "trading_cost must be a percent from 0 to 10"),
        ("expense_ratio = nan", "expense_ratio must be a percent"),
        ("colour = 'blue'", "unknown setting 'colour'"),
        ("seed = ", "is not TOML"),
        ("[mixes]\nx = {stocks = 70, bonds = 20}", "must add up to 100%"),
        ("[mixes]\nx = {gold = 100}", "may name only stocks, bonds and cash"),
        ("[matches]\nx = [[100]]", "pairs"),
    ],
)
def test_a_bad_file_names_the_file_and_the_key(tmp_path, text, words):
    path = tmp_path / "class.toml"
    path.write_text(text + "\n")
    with pytest.raises(ValueError, match=words) as error:
        read_settings(path)
    assert str(path) in str(error.value)


def test_serve_refuses_a_bad_settings_file_before_it_starts(tmp_path):
    path = tmp_path / "class.toml"
    path.write_text("years = 0\n")
    done = subprocess.run(
        [sys.executable, "-m", "rebalance_widgets.cli", "serve", "--settings", str(path),
         "--port", "1"], capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 2
    assert "years must be a whole number from 1 to 60" in done.stderr


def test_a_match_that_is_not_a_formula_is_named_before_serve_starts(tmp_path):
    path = tmp_path / "class.toml"
    path.write_text("match = 'Free money'\n")
    with pytest.raises(ValueError, match="match 'Free money' is not one of the formulas"):
        read_settings(path)
    done = subprocess.run(
        [sys.executable, "-m", "rebalance_widgets.cli", "serve", "--settings", str(path),
         "--port", "1"], capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 2
    assert "match 'Free money' is not one of the formulas" in done.stderr


def test_the_planner_offers_the_built_in_formulas_by_the_same_names():
    from rebalance_widgets.widgets.contributions import MATCHES

    assert tuple(MATCHES)[: len(BUILT_IN_MATCHES)] == BUILT_IN_MATCHES
