import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rebalance_widgets.core.planning.contributions import (
    IRS_LIMITS_2025,
    IRS_LIMITS_2026,
    ContributionLimits,
    Match,
    Plan,
    contribution_schedule,
    irs_limits,
)

SAFE_HARBOR = Match.tiered((1.0, 0.03), (0.5, 0.02))


def test_irs_2025_figures_and_source():
    assert IRS_LIMITS_2025.elective_deferral == 23_500
    assert IRS_LIMITS_2025.catch_up_50 == 7_500
    assert IRS_LIMITS_2025.catch_up_60_to_63 == 11_250
    assert "IR-2024-285" in IRS_LIMITS_2025.source
    assert IRS_LIMITS_2025.total_for_age(49) == 23_500
    assert IRS_LIMITS_2025.total_for_age(50) == 31_000
    assert IRS_LIMITS_2025.total_for_age(59) == 31_000
    assert IRS_LIMITS_2025.total_for_age(60) == 34_750
    assert IRS_LIMITS_2025.total_for_age(63) == 34_750
    assert IRS_LIMITS_2025.total_for_age(64) == 31_000
    assert IRS_LIMITS_2025.total_for_age(61, catch_up=False) == 23_500
    assert IRS_LIMITS_2025.total_for_age(None) == 23_500


def test_hand_case_60k_six_percent_safe_harbor_match():
    # 60,000 x 6% = 3,600; employer 60,000 x (0.03 + 0.5 x 0.02) = 2,400.
    for pay_periods in (12, 24, 26, 52):
        s = contribution_schedule(
            60_000, 0.06, 1, match=SAFE_HARBOR, salary_growth=0.0, pay_periods=pay_periods
        )
        year = s.by_year().iloc[0]
        assert year["employee"] == pytest.approx(3_600, abs=1e-9)
        assert year["employer"] == pytest.approx(2_400, abs=1e-9)
        assert year["total"] == pytest.approx(6_000, abs=1e-9)
        assert s.n_periods == pay_periods
        assert s.cash_flows.shape == (pay_periods,)
    monthly = contribution_schedule(60_000, 0.06, 1, match=SAFE_HARBOR)
    np.testing.assert_allclose(monthly.flows("employee"), 300.0)
    np.testing.assert_allclose(monthly.flows("employer"), 200.0)


def test_employer_rate_by_tier():
    assert SAFE_HARBOR.employer_rate(0.0) == 0.0
    assert SAFE_HARBOR.employer_rate(0.02) == pytest.approx(0.02)
    assert SAFE_HARBOR.employer_rate(0.04) == pytest.approx(0.035)
    assert SAFE_HARBOR.employer_rate(0.10) == pytest.approx(0.04)
    both = Match(tiers=((0.5, 0.06),), flat_share=0.03)
    assert both.employer_rate(0.0) == pytest.approx(0.03)
    assert both.employer_rate(0.08) == pytest.approx(0.06)
    assert Match.none().employer_rate(0.5) == 0.0


def test_flat_contribution_paid_without_deferral():
    s = contribution_schedule(50_000, 0.0, 1, match=Match.flat(0.03), salary_growth=0.0)
    year = s.by_year().iloc[0]
    assert year["employee"] == 0.0
    assert year["employer"] == pytest.approx(1_500)


def test_salary_growth_compounds_by_year():
    s = contribution_schedule(60_000, 0.10, 3, salary_growth=0.05)
    years = s.by_year()
    np.testing.assert_allclose(years["salary"], [60_000, 63_000, 66_150])
    np.testing.assert_allclose(years["employee"], [6_000, 6_300, 6_615])
    assert list(years.index) == [2025, 2026, 2027]


@pytest.mark.parametrize(("age", "limit"), [(40, 23_500), (55, 31_000), (61, 34_750)])
def test_high_earner_stops_at_the_limit(age, limit):
    s = contribution_schedule(400_000, 0.15, 1, match=SAFE_HARBOR, age=age, salary_growth=0.0)
    table = s.table
    assert table["employee"].sum() == pytest.approx(limit)
    # 5,000 a month wanted; deferrals stop in the month the limit is reached.
    full_months = int(limit // 5_000)
    np.testing.assert_allclose(table["employee"].iloc[:full_months], 5_000)
    assert table["employee"].iloc[full_months] == pytest.approx(limit - 5_000 * full_months)
    assert (table["employee"].iloc[full_months + 1 :] == 0).all()
    # No true-up: the match stops with the deferrals (4% of 33,333.33 pay a month while
    # deferring at least 5%).
    monthly_pay = 400_000 / 12
    assert table["employer"].iloc[0] == pytest.approx(0.04 * monthly_pay)
    assert (table["employer"].iloc[full_months + 1 :] == 0).all()


def test_catch_up_can_be_switched_off_and_age_moves_each_year():
    s = contribution_schedule(400_000, 0.2, 3, age=49, salary_growth=0.0)
    np.testing.assert_allclose(s.by_year()["employee"], [23_500, 31_000, 31_000])
    np.testing.assert_allclose(s.table.groupby("year")["age"].first(), [49, 50, 51])
    off = contribution_schedule(400_000, 0.2, 2, age=61, catch_up=False, salary_growth=0.0)
    np.testing.assert_allclose(off.by_year()["employee"], [23_500, 23_500])


def test_custom_limits():
    limits = ContributionLimits(
        year=2000, elective_deferral=1_000, catch_up_50=0, catch_up_60_to_63=0, source="test"
    )
    s = contribution_schedule(120_000, 0.5, 1, limits=limits)
    assert s.by_year()["employee"].iloc[0] == pytest.approx(1_000)
    # The first month wants 5,000 but only 1,000 is allowed.
    assert s.table["employee"].iloc[0] == pytest.approx(1_000)


def test_annual_cap_on_employer_money():
    cap = Match.tiered((1.0, 0.06), cap=2_000)
    s = contribution_schedule(60_000, 0.06, 2, match=cap, salary_growth=0.0)
    np.testing.assert_allclose(s.by_year()["employer"], [2_000, 2_000])
    # 300 a month: cap reached in the 7th month (6 x 300 = 1,800, then 200).
    np.testing.assert_allclose(s.table["employer"].iloc[:6], 300)
    assert s.table["employer"].iloc[6] == pytest.approx(200)
    assert (s.table["employer"].iloc[7:12] == 0).all()


def test_biweekly_to_monthly_keeps_every_dollar():
    s = contribution_schedule(52_000, 0.05, 2, pay_periods=26, match=SAFE_HARBOR)
    monthly = s.to_monthly()
    assert monthly.periods_per_year == 12
    assert monthly.n_periods == 24
    assert monthly.cash_flows.sum() == pytest.approx(s.cash_flows.sum())
    # 26 paychecks of 100 (52,000 / 26 x 5%) in year 1: two months hold 3 paychecks.
    first_year = monthly.table[monthly.table["year"] == 2025]["employee"].to_numpy()
    assert sorted(np.round(first_year, 6)) == [200.0] * 10 + [300.0] * 2
    np.testing.assert_allclose(monthly.by_year()["total"], s.by_year()["total"], rtol=1e-12)


@pytest.mark.parametrize(("source", "target", "n"), [(24, 12, 24), (52, 4, 8), (12, 1, 2)])
def test_to_periods_shapes_and_sums(source, target, n):
    s = contribution_schedule(70_000, 0.08, 2, pay_periods=source, match=SAFE_HARBOR)
    out = s.to_periods(target)
    assert out.cash_flows.shape == (n,)
    assert out.cash_flows.sum() == pytest.approx(s.cash_flows.sum())
    if source == 24:
        np.testing.assert_allclose(out.cash_flows[:12], s.cash_flows[0:24:2] * 2)


def test_to_periods_rejects_bad_targets():
    s = contribution_schedule(70_000, 0.08, 1)
    with pytest.raises(ValueError, match="12, 4, 2 or 1"):
        s.to_periods(3)
    with pytest.raises(ValueError, match="Cannot split 4 pay periods"):
        contribution_schedule(70_000, 0.08, 1).to_periods(4).to_periods(12)
    # going from 12 to 12 is allowed (identity)
    np.testing.assert_allclose(s.to_monthly().cash_flows, s.cash_flows)


def test_plan_matches_function():
    plan = Plan(salary=80_000, deferral=0.07, years=5, match=SAFE_HARBOR, age=58)
    direct = contribution_schedule(80_000, 0.07, 5, match=SAFE_HARBOR, age=58)
    np.testing.assert_array_equal(plan.schedule().cash_flows, direct.cash_flows)
    with pytest.raises(AttributeError):
        plan.salary = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"salary": -1}, "Salary must be 0 dollars or more"),
        ({"salary": "60k"}, "Salary must be a dollar amount"),
        ({"deferral": 6}, r"Type the deferral as a fraction.*6% is 0.06.*Did you mean 0.06\?"),
        ({"deferral": -0.01}, "Type the deferral as a fraction"),
        ({"years": 0}, "Years must be between 1 and 60; got 0"),
        ({"years": 61}, "Years must be between 1 and 60; got 61"),
        ({"years": 2.5}, "Years must be a whole number"),
        ({"salary_growth": 3}, "Salary growth is a yearly fraction"),
        ({"pay_periods": 13}, "Pay periods per year must be one of 12"),
        ({"age": 7}, "Age must be between 14 and 100"),
    ],
)
def test_bad_input_messages(kwargs, message):
    args = {"salary": 60_000, "deferral": 0.06, "years": 10} | kwargs
    with pytest.raises(ValueError, match=message):
        contribution_schedule(args.pop("salary"), args.pop("deferral"), args.pop("years"), **args)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Match.tiered((100, 0.03)), r"match rate of tier 1.*Did you mean 1\?"),
        (lambda: Match.tiered((1.0, 3)), "slice of pay of tier 1"),
        (lambda: Match.tiered((1.0,)), "must be a pair"),
        (lambda: Match.tiered((1.0, 0.6), (1.0, 0.6)), "more than 100% of pay"),
        (lambda: Match.flat(-0.01), "flat employer contribution"),
        (lambda: Match.tiered((1.0, 0.03), cap=-5), "cap must be 0 dollars or more"),
    ],
)
def test_bad_match_messages(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_feeds_the_engine_on_flat_returns():
    from rebalance_widgets.core import simulate
    from rebalance_widgets.core.simulation import policies

    schedule = contribution_schedule(
        52_000, 0.06, 2, match=SAFE_HARBOR, pay_periods=26, salary_growth=0.0
    ).to_monthly()
    returns = np.zeros((schedule.n_periods, 2))
    result = simulate(
        returns,
        [0.6, 0.4],
        policies.Never(),
        initial_value=1_000.0,
        periods_per_year=schedule.periods_per_year,
        cash_flows=schedule.cash_flows,
    )
    # 2 years x 52,000 x (6% + 4%) = 10,400 added to 1,000 with no growth.
    assert result.wealth[0, -1] == pytest.approx(11_400)
    np.testing.assert_allclose(np.diff(result.wealth[0]), schedule.cash_flows)


def test_irs_limits_by_year_with_sources():
    assert irs_limits() is IRS_LIMITS_2026  # the latest year is the default
    assert irs_limits(2025) is IRS_LIMITS_2025
    assert irs_limits(np.int64(2026)) is IRS_LIMITS_2026
    assert (IRS_LIMITS_2025.compensation_limit, IRS_LIMITS_2025.annual_additions) == (
        350_000,
        70_000,
    )
    assert "Notice 2024-80" in IRS_LIMITS_2025.source
    limits_2026 = irs_limits(2026)
    assert limits_2026.year == 2026
    assert limits_2026.elective_deferral == 24_500
    assert limits_2026.catch_up_50 == 8_000
    assert limits_2026.catch_up_60_to_63 == 11_250
    assert limits_2026.compensation_limit == 360_000
    assert limits_2026.annual_additions == 72_000
    assert "Notice 2025-67" in limits_2026.source
    assert limits_2026.total_for_age(55) == 32_500
    assert limits_2026.total_for_age(62) == 35_750
    for bad in (2024, "2025", 2025.0, True, None.__class__):
        with pytest.raises(ValueError, match="holds the IRS limits of 2025, 2026"):
            irs_limits(bad)


def test_pay_above_the_compensation_limit_earns_no_employer_money():
    # Issue 10: $500,000 salary, 6% deferral, flat 5% of pay. 2025: 5% x 350,000 = 17,500.
    flat = Match.flat(0.05)
    s = contribution_schedule(500_000, 0.06, 1, match=flat, limits=IRS_LIMITS_2025)
    year = s.by_year().iloc[0]
    assert year["employer"] == pytest.approx(17_500)
    assert year["employee"] == pytest.approx(23_500)
    assert s.table["wanted_employer"].sum() == pytest.approx(25_000)
    # Pay counted month by month: 8 full months of 41,666.67 (333,333.33), then 16,666.67.
    np.testing.assert_allclose(s.table["employer"].iloc[:8], 0.05 * 500_000 / 12)
    assert s.table["employer"].iloc[8] == pytest.approx(0.05 * (350_000 - 8 * 500_000 / 12))
    assert (s.table["employer"].iloc[9:] == 0).all()
    # 2026: 5% x 360,000 = 18,000; deferrals stop at 24,500.
    later = contribution_schedule(500_000, 0.06, 1, match=flat, limits=IRS_LIMITS_2026)
    assert later.by_year()["employer"].iloc[0] == pytest.approx(18_000)
    assert later.by_year()["employee"].iloc[0] == pytest.approx(24_500)
    # The default limits are those of the start year.
    assert contribution_schedule(500_000, 0.06, 1, match=flat, start_year=2026).by_year()[
        "employer"
    ].iloc[0] == pytest.approx(18_000)


def test_annual_additions_limit_stops_employer_money():
    # 2025, $300,000, 8% deferral (23,500 cap), employer flat 25% of pay = 75,000 wanted.
    # 415(c): 70,000 in all, so the employer's money stops at 70,000 - 23,500 = 46,500.
    s = contribution_schedule(300_000, 0.08, 1, match=Match.flat(0.25), limits=IRS_LIMITS_2025)
    year = s.by_year().iloc[0]
    assert year["employee"] + year["employer"] == pytest.approx(70_000)
    assert year["employee"] == pytest.approx(23_500)
    assert year["employer"] == pytest.approx(46_500)
    # The deferrals count first: the employer's money stops in the 8th month, when
    # 7 x 6,250 + 5,000 = 48,750 would pass 46,500.
    np.testing.assert_allclose(s.table["employer"].iloc[:7], 6_250)
    assert s.table["employer"].iloc[7] == pytest.approx(46_500 - 7 * 6_250)
    assert (s.table["employer"].iloc[8:] == 0).all()
    # Catch-up deferrals do not count: at 61, 11,250 more goes in on top of 70,000.
    older = contribution_schedule(300_000, 0.12, 1, match=Match.flat(0.25), age=61,
                                  limits=IRS_LIMITS_2025).by_year().iloc[0]
    assert older["employee"] == pytest.approx(34_750)
    assert older["employee"] + older["employer"] == pytest.approx(81_250)
    # No more than 100% of pay: 10,000 salary, 100% deferral and 50% flat -> 10,000 in all.
    small = contribution_schedule(10_000, 1.0, 1, match=Match.flat(0.5), limits=IRS_LIMITS_2025)
    assert small.by_year()["total"].iloc[0] == pytest.approx(10_000)


def test_absurd_salary_is_refused():
    with pytest.raises(ValueError, match=r"\$20,000,000 is more than this planner handles"):
        contribution_schedule(20_000_000, 0.06, 1)
    with pytest.raises(ValueError, match=r"\$10,000,000 is more than this planner handles"):
        contribution_schedule(10_000_000, 0.06, 1)
    assert contribution_schedule(5_000_000, 0.06, 1).by_year()["salary"].iloc[0] == 5_000_000


@st.composite
def plans(draw):
    salary = draw(st.floats(0, 5_000_000, allow_nan=False))
    deferral = draw(st.integers(0, 100)) / 100
    tiers = tuple((draw(st.integers(0, 100)) / 100, draw(st.integers(0, 30)) / 100)
                  for _ in range(draw(st.integers(0, 3))))
    flat = draw(st.integers(0, 100)) / 100
    age = draw(st.one_of(st.none(), st.integers(20, 70)))
    year = draw(st.sampled_from([2025, 2026]))
    periods = draw(st.sampled_from([12, 24, 26, 52]))
    years = draw(st.integers(1, 4))
    growth = draw(st.integers(-10, 20)) / 100
    return salary, deferral, Match(tiers=tiers, flat_share=flat), age, year, periods, years, growth


@settings(max_examples=200, deadline=None)
@given(plans())
def test_irs_limits_always_hold(case):
    salary, deferral, match, age, year, periods, years, growth = case
    limits = irs_limits(year)
    s = contribution_schedule(salary, deferral, years, match=match, age=age, limits=limits,
                              pay_periods=periods, salary_growth=growth, start_year=year)
    table = s.table
    assert (table[["employee", "employer"]] >= -1e-9).all().all()
    for _, rows in table.groupby("year"):
        employee, employer = rows["employee"].sum(), rows["employer"].sum()
        yearly_age = rows["age"].iloc[0]
        catch_up = limits.catch_up_for_age(None if np.isnan(yearly_age) else yearly_age)
        assert employee <= limits.elective_deferral + catch_up + 1e-6
        regular = min(employee, limits.elective_deferral)
        pay = rows["salary"].iloc[0]
        assert regular + employer <= min(limits.annual_additions, pay) + 1e-6
        # The employer never counts pay above 401(a)(17): at most its formula's top rate
        # (every tier filled, plus the flat share) on the compensation limit.
        top_rate = match.flat_share + sum(rate * width for rate, width in match.tiers)
        assert employer <= top_rate * min(pay, limits.compensation_limit) + 1e-6
        # ... and it is the formula on counted pay, paycheck by paycheck.
        counted = np.diff(np.minimum(np.cumsum(rows["pay"]), limits.compensation_limit),
                          prepend=0.0)
        rate = np.where(rows["pay"] > 0, rows["employee"] / np.maximum(rows["pay"], 1e-300), 0)
        formula = np.asarray(match.employer_rate(rate)) * counted
        assert employer <= formula.sum() + 1e-6
