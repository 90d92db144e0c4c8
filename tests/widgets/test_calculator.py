import datetime

import pytest

from rebalance_widgets import AllocationSliders, RebalanceCalculator
from rebalance_widgets.widgets.parts.a11y import NUMBERED_ROW


def _set_rows(calc, rows):
    for row in list(calc.rows):
        row.remove.click()
    for fund, asset_class, amount in rows:
        calc.add_button.click()
        calc.rows[-1].fund.value = fund
        calc.rows[-1].asset_class.value = asset_class
        calc.rows[-1].amount.value = amount


def _upload(calc, content: bytes, name="holdings.csv"):
    calc.upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime(2025, 1, 1),
        },
    )


def test_full_rebalance_by_hand():
    calc = RebalanceCalculator(target={"stocks": 0.6, "bonds": 0.4})
    _set_rows(calc, [("Stock Index", "stocks", "70,000"), ("Bond Index", "bonds", "30000")])
    assert calc.message.kind == ""
    # 70k / 30k -> 60 / 40 of 100k: sell 10,000 of stocks, buy 10,000 of bonds
    trades = {(t.fund, t.action): t.amount for t in calc.plan.trades}
    assert trades == {("Stock Index", "sell"): 10_000.0, ("Bond Index", "buy"): 10_000.0}
    assert "Sell" in calc.table.value and "$10,000.00" in calc.table.value
    spec = calc.panel.chart.to_dict()
    rows = [r for rows in spec["datasets"].values() for r in rows if "when" in r]
    after = {r["asset"]: r["share"] for r in rows if r["when"] == "After"}
    assert after == pytest.approx({"stocks": 0.6, "bonds": 0.4, "cash": 0.0})
    assert calc.panel.sentence == (
        "After the trades the account holds 60% stocks and 40% bonds, against a target of "
        "60% stocks and 40% bonds."
    )


def test_buy_only_never_sells_and_uses_exactly_the_new_money():
    calc = RebalanceCalculator(target={"stocks": 0.6, "bonds": 0.4})
    _set_rows(calc, [("Stock Index", "stocks", "70,000"), ("Bond Index", "bonds", "30000")])
    calc.mode_buttons.value = "buy_only"
    calc.contribution_box.value = "$5,000"
    assert [t.action for t in calc.plan.trades] == ["buy"]
    assert sum(t.amount for t in calc.plan.trades) == pytest.approx(5_000.0, abs=0.005)
    assert calc.plan.trades[0].fund == "Bond Index"


def test_min_trade_and_target_boxes():
    calc = RebalanceCalculator()
    calc.target_boxes["stocks"].value = "70"
    assert calc.message.kind == "error"
    assert calc.message.text == "Weights must add up to 100%; these add up to 110%."
    calc.target_boxes["bonds"].value = "25"
    assert calc.message.kind == ""
    assert calc.target == pytest.approx({"stocks": 0.70, "bonds": 0.25, "cash": 0.05})
    calc.min_box.value = "1,000,000"
    assert calc.message.kind == "" and calc.min_trade == 1_000_000


def test_target_trait_links_from_sliders():
    sliders = AllocationSliders()
    calc = RebalanceCalculator()
    import ipywidgets as widgets

    widgets.dlink((sliders, "value"), (calc, "target"))
    sliders.preset.value = "80/20"
    assert calc.target_boxes["stocks"].value == "80"
    assert calc.plan.classes.loc["stocks", "target"] == pytest.approx(0.8)


def test_csv_upload_fills_the_rows_and_bad_files_explain():
    calc = RebalanceCalculator()
    _upload(
        calc, b"fund,asset_class,amount\nA Fund,stocks,100\nTarget 2050,stocks:0.9;bonds:0.1,1000\n"
    )
    assert calc.message.kind == ""
    assert [r.fund.value for r in calc.rows] == ["A Fund", "Target 2050"]
    assert calc.rows[1].asset_class.value == "stocks:0.9;bonds:0.1"
    plan = calc.plan
    _upload(calc, b"name,kind,amount\nA,stocks,1\n")
    assert "needs the columns fund, asset_class, amount" in calc.message.text
    assert calc.plan is plan
    _upload(calc, b"\xff\xfe\x00\x81")
    assert "not plain text" in calc.message.text
    _upload(calc, b"x" * 1_000_001)
    assert "at most 1 MB" in calc.message.text
    assert [r.fund.value for r in calc.rows] == ["A Fund", "Target 2050"]


@pytest.mark.parametrize("text", ["", "abc", "-5", "nan", "inf", "1e308", "<script>"])
def test_hostile_amounts_keep_the_last_plan(text):
    calc = RebalanceCalculator()
    plan, table = calc.plan, calc.table.value
    calc.rows[0].amount.value = text
    assert calc.message.kind == "error"
    assert calc.plan is plan and calc.table.value == table


def test_fund_names_are_escaped_and_blank_rows_ignored():
    calc = RebalanceCalculator(target={"stocks": 0.5, "bonds": 0.5})
    _set_rows(calc, [("<script>alert(1)</script>", "stocks", "100"), ("Bonds", "bonds", "0")])
    calc.add_button.click()  # an empty row is skipped
    assert calc.message.kind == ""
    assert "<script>" not in calc.table.value
    assert "&lt;script&gt;" in calc.table.value
    calc.rows[-1].amount.value = "5"
    assert "has no name" in calc.message.text
    for row in list(calc.rows):
        row.remove.click()
    assert calc.message.text == "Type at least one fund, its asset class and its amount."


def test_removing_a_row_renumbers_the_others():
    calc = RebalanceCalculator()
    calc.rows[0].remove.click()
    assert [row.fund.description for row in calc.rows] == ["Fund 1", "Fund 2"]
    assert [row.fund.value for row in calc.rows] == ["Total Bond Index", "Stable Value"]


def test_target_date_fund_typed_as_a_mix_is_traded_to_the_target():
    # Issue 10: a target-date fund (90/10) of $50,000 and a bond fund of $10,000, 70/30.
    calc = RebalanceCalculator(target={"stocks": 0.7, "bonds": 0.3, "cash": 0.0})
    _set_rows(calc, [("Target 2050", "stocks:90%;bonds:10%", "50,000"),
                     ("Bond Index", "bonds", "10,000")])
    assert calc.message.kind == ""
    trades = {(t.fund, t.action): t.amount for t in calc.plan.trades}
    assert trades == {("Target 2050", "sell"): 3_333.33, ("Bond Index", "buy"): 3_333.33}
    assert calc.panel.sentence.startswith("After the trades the account holds 70% stocks and "
                                          "30% bonds")
    # a target these funds cannot reach: as close as they can, said in words
    calc.target_boxes["stocks"].value = "95"
    calc.target_boxes["bonds"].value = "5"
    assert calc.message.kind == ""
    assert "cannot be reached by trading the funds you hold" in calc.summary.value
    assert "A fund that holds only stocks would close the gap" in calc.summary.value
    # buy-only never sells, even to reach the target
    calc.target_boxes["stocks"].value = "70"
    calc.target_boxes["bonds"].value = "30"
    calc.mode_buttons.value = "buy_only"
    calc.contribution_box.value = "15,000"
    trades = {(t.fund, t.action): t.amount for t in calc.plan.trades}
    assert trades == {("Target 2050", "buy"): 8_333.33, ("Bond Index", "buy"): 6_666.67}


def test_the_trades_download_as_csv():
    calc = RebalanceCalculator()
    assert calc.download.csv.splitlines() == [
        "Fund,Asset class,Action,Amount ($)",
        *[f"{t.fund},{t.asset_class},{t.action.capitalize()},{round(t.amount, 2)}"
          for t in calc.plan.trades],
    ]
    assert "Sell" in calc.download.csv and "Buy" in calc.download.csv


def test_a_fund_named_like_a_formula_is_written_as_text():
    calc = RebalanceCalculator()
    calc.rows[0].fund.value = "=HYPERLINK(1)"
    assert "'=HYPERLINK(1)" in calc.download.csv


def test_rows_are_marked_for_numbered_names():
    calc = RebalanceCalculator()
    assert all(NUMBERED_ROW in row._dom_classes for row in calc.rows)
