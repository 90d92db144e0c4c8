import math

import pandas as pd
import pytest

from rebalance_widgets.charts.study import study_chart, study_summary, study_table


@pytest.fixture
def study():
    # A hand-made study table with the columns of core.history_study.
    return pd.DataFrame(
        {
            "check": ["monthly", "monthly", "annual", "never"],
            "threshold": [0.0, 0.05, 0.0, math.nan],
            "policy": ["Monthly, no band", "Monthly, 5% band", "Annual, no band",
                       "Never rebalance"],
            "average_stock_weight": [0.60, 0.611, 0.604, 0.868],
            "annual_turnover": [0.11, 0.041, 0.04, 0.0],
            "rebalance_count": [1109, 65, 92, 0],
            "annualised_return": [0.0841, 0.0851, 0.0866, 0.0935],
            "annualised_volatility": [0.114, 0.115, 0.114, 0.142],
        }
    )


def test_chart_has_a_dot_per_rule_with_words(study):
    spec = study_chart(study, "rebalance_count").to_dict()
    assert spec["mark"] == {"type": "point", "size": 150, "filled": True, "opacity": 1}
    assert spec["encoding"]["shape"]["field"] == "band"
    rows = next(iter(spec["datasets"].values()))
    assert [(r["checked"], r["band"], r["value"]) for r in rows] == [
        ("Monthly", "No band", 1109.0),
        ("Monthly", "5% band", 65.0),
        ("Annual", "No band", 92.0),
        ("Never", "Never rebalance", 0.0),
    ]
    assert spec["encoding"]["x"]["title"] == "Number of rebalances"
    assert spec["encoding"]["y"]["sort"] == ["Monthly", "Annual", "Never"]


def test_percent_metric_axis_is_formatted_as_percent(study):
    spec = study_chart(study, "average_stock_weight").to_dict()
    assert spec["encoding"]["x"]["axis"]["format"] == ".0%"


def test_summaries_give_the_range_and_the_never_case(study):
    assert study_summary(study, "rebalance_count") == (
        "Rules that rebalanced traded between 65 and 1,109 times; "
        "never rebalancing traded 0 times."
    )
    assert study_summary(study, "average_stock_weight") == (
        "Rules that rebalanced kept the average share in stocks between 60% and 61%; "
        "never rebalancing averaged 87% in stocks."
    )
    assert study_summary(study, "annualised_return") == (
        "Rules that rebalanced grew between 8.4% and 8.7% a year; "
        "never rebalancing grew 9.3% a year."
    )
    assert study_summary(study, "annual_turnover") == (
        "Rules that rebalanced traded between 4.0% and 11.0% of the account a year; "
        "never rebalancing traded nothing."
    )


def test_single_rule_summary_has_no_range(study):
    one = study[study["check"] != "annual"].iloc[[0, 2]]
    assert study_summary(one, "rebalance_count") == (
        "Rules that rebalanced traded 1,109 times; never rebalancing traded 0 times."
    )


def test_table_has_plain_headings_and_percentages(study):
    html = study_table(study).to_html()
    assert "Average share in stocks" in html
    assert "86.8%" not in html and "87%" in html
    assert "8.41%" in html
    assert "1,109" in html


def test_bad_metric_or_table_is_refused(study):
    with pytest.raises(ValueError, match="Unknown study metric 'growth'"):
        study_chart(study, "growth")
    with pytest.raises(ValueError, match="needs the columns rebalance_count"):
        study_chart(study.drop(columns="rebalance_count"), "rebalance_count")
    with pytest.raises(ValueError, match="The study table is empty."):
        study_summary(study.iloc[0:0], "rebalance_count")
