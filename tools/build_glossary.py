"""Write ``notebooks/glossary.ipynb``: every word the lessons and widgets use, in plain words.

Run from the project's root: ``python tools/build_glossary.py``. The entries below are the
source; ``tests/test_glossary.py`` checks that every word a lesson explains, every metric
title and every word of the field shown on screen is defined here.
"""

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook

from rebalance_widgets.dashboards.markdown import dollars_as_text

ENTRIES = [
    ('Dividend', ['dividends'],
     'Money a company pays its shareholders out of its profits, usually a few times a year.'),
    ('Interest', [],
     'What a borrower pays a lender for the use of money: bonds and bills pay interest.'),
    ('Index fund', ['index funds', "index funds' fee"],
     'A fund that holds every stock (or bond) of a market index, such as the S&P 500, '
     'instead of picking some; its fees are usually low.'),
    ('IRS', ['Internal Revenue Service', 'IRS limits'],
     'The US tax agency. It sets how much can go into a 401(k) each year.'),
    ('S&P 500', [],
     'An index of 500 large US companies, often used to stand for the US stock market.'),
    ('Yield', ['bill rate', '10-year yield'],
     "A bond's or a bill's yearly interest, as a percent of its price."),
    ('Month-end', ["month's end"],
     'The last day of a month: the lessons look at markets once a month, at month-ends.'),
    ('Standard deviation', [],
     'How far values usually fall from their average. Volatility is the standard deviation '
     'of yearly returns.'),
    ('Log scale', ['log'],
     'A chart axis where equal steps mean equal percentage growth: $1 to $10 takes '
     'as much room as $100 to $1,000.'),
    ('Crash', ['fall', 'bear market'],
     'A fast, deep fall in prices, such as 2008-09 or early 2020.'),
    ('Peak', ['high point'],
     'The highest value so far; a fall is measured from it.'),
    ('Plan', ['sticking to the plan', 'the plan'],
     'Your chosen mix and the rule you follow to keep it, written down before markets move.'),
    ('401(k)', [],
     'A retirement savings account you get through your job in the US. Money goes in from '
     'each paycheck before income tax, and your employer often adds some too. You pay '
     'income tax when you take the money out.'),
    ('Annual additions', [],
     'Everything that goes into your 401(k) accounts in a year: your own savings, your '
     "employer's match and other employer money. The IRS caps the total each year."),
    ('Annualised return', ['CAGR', 'compound annual growth rate', 'growth per year', 'return'],
     'The steady yearly growth that would take you from the start to the end. Money you '
     'add does not count as growth.'),
    ('Asset allocation', ['mix', 'allocation'],
     'How you split your money between stocks, bonds and cash. "60/40" means 60% in stocks'
     ' and 40% in bonds.'),
    ('Asset class', ['class'],
     'A kind of investment that behaves in its own way: stocks, bonds and cash are the '
     'three used here.'),
    ('Automatic rebalancing', ['autopilot', 'automatic'],
     'A plan option or a service that trades your account back to your mix for you, on a '
     'schedule or when the mix drifts too far.'),
    ('Band', ['threshold', '5-point band', 'relative band', '5/25 band', "band's edge"],
     'How far a weight may drift from its target before you trade. A 5-point band on 60% '
     'allows 55% to 65%. A relative band is a share of the target: 25% of 60% allows 45% '
     'to 75%. A 5/25 band uses the smaller of the two. Trading "to the band\'s edge" buys '
     'or sells only enough to get back inside.'),
    ('Balance', ['ending balance', 'balance today', 'what $1 grew to'],
     'What the account is worth at that moment.'),
    ('Basis point', ['basis points', 'bp'],
     'One hundredth of one percent (0.01%). 50 basis points is 0.5%.'),
    ('Bonds', ['bond', 'Treasury bond', '10-year Treasury'],
     'Loans to a government or a company. The borrower pays interest. Bond prices swing '
     'much less than stock prices. The lessons use 10-year US Treasury bonds.'),
    ('Calendar rule', ['calendar', 'check'],
     'A rebalancing rule that trades back to the target on fixed dates: every month, '
     'quarter (three months), half year or year.'),
    ('CAPE', ['cyclically adjusted price/earnings'],
     'The price of the stock market divided by its average earnings over ten years, after '
     'inflation. A high CAPE has been followed by lower returns on average.'),
    ('Cash', ['bills', 'T-bills', 'Treasury bills'],
     'Money kept very safe, such as in short US Treasury bills: it hardly ever loses '
     'value, and it earns little.'),
    ('Cash-flow rebalancing', ['cash flows', 'new money'],
     'Sending new savings to whatever fell behind the target, so the mix comes back '
     'without selling anything.'),
    ('Catch-up contribution', ['catch-up'],
     'Extra savings the IRS allows from age 50 on, above the usual yearly limit.'),
    ('Contribution', ['deposit', 'added each month'],
     'Money you put into the account.'),
    ('Drift', ['drifts', 'average drift'],
     'How far your mix has moved from its target because some investments grew faster than'
     ' others. An 80/20 mix that became 90/10 has drifted 10 points.'),
    ('Elective deferral', ['deferral', 'you save'],
     'The share of your pay you choose to put into your 401(k) from each paycheck.'),
    ('Employer match', ['match'],
     'Money your employer adds when you save, by a formula such as "100% of the first 3% '
     'of pay".'),
    ('Expense ratio', ['fee', 'fund fee', 'fees'],
     'The yearly fee a fund takes, as a percent of your money in it. 0.5% takes $5 of '
     'every $1,000 each year.'),
    ('Glide path', [],
     'A mix that changes with age: many stocks while retirement is far away, fewer as it '
     'comes near.'),
    ('Goal', ['chance of reaching the goal'],
     'A balance you hope to have. The chance of reaching it is the share of simulated '
     'futures that end at or above it.'),
    ('Inflation', ['CPI', 'rising prices'],
     'Prices going up over time, so a dollar buys less. The US measures it with the '
     'Consumer Price Index (CPI).'),
    ('Look-through', [],
     'Looking inside a fund that holds a mix (such as a target-date fund) to count how '
     'much of each asset class you really own.'),
    ('Market timing', ['selling after a fall'],
     'Trying to sell before prices fall and buy before they rise. Done by feel after a '
     'crash, it usually means selling low and buying back higher.'),
    ('Median', ['middle future', 'the middle'],
     'The middle value: half of the futures end above it and half below.'),
    ('Monte Carlo', ['simulation'],
     'Working out what could happen by trying many random futures on a computer and '
     'counting how often each outcome comes up.'),
    ('Percentile', ['5th percentile', '95th percentile', 'percentiles'],
     'The value below which that percent of the futures fall. The 5th percentile is a bad '
     'case: only 1 future in 20 ends lower.'),
    ('Rebalancing', ['rebalance', 'rebalances', 'rebalanced'],
     'Trading back to your target mix: selling some of what grew too big and buying what '
     'fell behind.'),
    ('Return model', ['assumptions', 'historical averages', 'forward-looking', 'resampled history'],
     "Where the simulated futures come from: history's averages and swings, a forward-"
     "looking estimate from today's prices and yields, or real months of history drawn at "
     'random.'),
    ('Risk tolerance', [],
     'How much loss you can live with without selling in a panic, and how much your plans '
     'can take.'),
    ('Robo-adviser', ['robo-advisers'],
     'A service that invests for you by a computer program: it picks a mix from your '
     'answers and keeps it, usually with bands and new money.'),
    ('Roth 401(k)', ['Roth'],
     'A 401(k) where you pay income tax on the money before it goes in, and nothing when '
     'it comes out in retirement.'),
    ('Seed', [],
     'A number that picks which random futures the computer draws. The same seed gives '
     'every learner the same futures.'),
    ('Simulated futures', ['futures', 'simulated'],
     'Possible paths for markets made up by a computer from a return model. None of them '
     'is a forecast; together they show the range of what could happen.'),
    ('Stocks', ['stock', 'shares', 'stock share'],
     'Small pieces of companies. Their price swings a lot. Over long periods they have '
     'grown more than anything else most people can buy.'),
    ('Target', ['target mix', 'target weight'],
     'The mix you chose and want to keep.'),
    ('Target-date fund', ['target-date'],
     'One fund that follows a glide path for you. Its name carries the year you expect to '
     'retire.'),
    ('Taxable account', ['taxable'],
     'A regular investment account: you pay tax on dividends and interest each year, and '
     'on gains when you sell.'),
    ('Threshold rule', ['threshold rules'],
     'A rebalancing rule that checks the mix and trades only when a weight is outside its '
     'band.'),
    ('Time horizon', [],
     'How many years until you need the money.'),
    ("Today's dollars", ['real dollars', 'adjusted for inflation'],
     'Future dollars shrunk by the rise in prices, so they show what they would buy today.'),
    ('Trading cost', ['trading costs'],
     'What a trade costs, as a percent of the dollars bought or sold.'),
    ('Turnover', ['traded per year'],
     'How much you trade in a year, as a share of the account.'),
    ('Volatility', [],
     'How much the value swings in a typical year (the standard deviation of yearly '
     'returns).'),
    ('Weight', ['share'],
     'The part of the account in one asset class, as a percent.'),
    ('Worst 12 months', [],
     'The biggest loss over any 12 months in a row.'),
    ('Worst drawdown', ['drawdown', 'max drawdown', 'worst fall', 'worst falls'],
     'The biggest fall from a high point to a later low point, before the account '
     'recovered.'),
]


def entry(term, also, text):
    text = dollars_as_text(text)
    also = [dollars_as_text(name) for name in also]
    names = f" (also: {', '.join(also)})" if also else ""
    return f"- **{term}**{names}: {text}"


letters = {}
for term, also, text in sorted(ENTRIES, key=lambda row: row[0].lower()):
    letter = term[0].upper() if term[0].isalpha() else "Numbers"
    letters.setdefault(letter, []).append(entry(term, also, text))

cells = [new_markdown_cell(
    "# Glossary: every word the lessons use\n\n"
    "Each word in **bold** is used on the lessons' screens. Words in brackets mean the same "
    "thing, or are part of it.\n\n"
    "Back to [Start here](00-start-here.ipynb).")]
for letter, lines in letters.items():
    cells.append(new_markdown_cell(f"## {letter}\n\n" + "\n".join(lines)))
for number, cell in enumerate(cells):
    cell.id = f"glossary-{number:02d}"  # the same ids on every run
nb = new_notebook(cells=cells, metadata={
    "description": "Every word the lessons and widgets use, in plain words.",
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
    "title": "Glossary",
})
nb.nbformat, nb.nbformat_minor = 4, 5
nbformat.write(nb, "notebooks/glossary.ipynb")
