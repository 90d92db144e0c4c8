"""Pure numpy/pandas finance, in rooms a learner of the field would name.

- :mod:`.markets`: the embedded history and the return models built on it.
- :mod:`.simulation`: the engine, the rebalancing rules and the compiled comparison loop.
- :mod:`.metrics`: per-path metrics and their summaries across paths.
- :mod:`.planning`: contributions and IRS limits, glide paths, accounts, the risk profile.
- :mod:`.calculator`: a person's holdings in, the trades out.
- :mod:`.study`: a mix through real history under many rules (uses all of the above);
  :mod:`.history_runs`: the same, step by step (growth, stock share, worst falls);
  :mod:`.published`: a published study's figures beside ours (uses ``study``).
- :mod:`.discipline`: real crashes, and what keeping the plan was worth against stopping
  or selling after a fall (uses ``markets`` and ``simulation``).

Lower rooms never import higher ones: ``markets`` and ``planning`` import only
``_checks``, ``metrics`` and ``calculator`` nothing of ``core``; ``simulation`` adds
``planning`` and ``metrics``; ``study`` and ``history_runs`` may import everything,
``published`` imports ``study``, ``discipline`` ``markets`` and ``simulation``. Nothing
here imports ipywidgets, altair, IPython or traitlets (a test enforces both rules).

The names below are imported from their room on first use (``lazy_loader``: ``from
rebalance_widgets.core import simulate`` loads the engine, not the calculator or the crash
replays), so a kernel pays only for the rooms its lessons use.
"""
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    # the rooms themselves (``history_runs`` is the function of the same name)
    submodules=["calculator", "discipline", "markets", "metrics", "planning", "published",
                "simulation", "study"],
    submod_attrs={
        # the engine (the contract of DESIGN.md)
        "simulation": ["simulate", "compare", "SimulationResult", "policies", "policy_medians",
                       "compare_accounts", "policy_per_path"],
        # markets
        "markets": ["load_history", "Lognormal", "Bootstrap", "HistoricalWindows", "Replay",
                    "assumptions", "ASSUMPTION_NAMES"],
        # a mix through real history under many rules
        "study": ["history_study"],
        "history_runs": ["history_runs", "HistoryRuns", "worst_falls"],
        "published": ["published_comparison", "VANGUARD_2010"],
        # sticking to the plan through a crash
        "simulation.behaviours": ["KeepRebalancing", "StopRebalancing", "SellAfterFall"],
        "discipline": ["compare_behaviours", "EPISODES", "available_episodes",
                       "episode_returns"],
        # planning
        "planning": ["accounts", "TaxDeferred", "Roth", "Taxable", "contributions", "Match",
                     "Plan", "ContributionLimits", "ContributionSchedule", "IRS_LIMITS_2025",
                     "contribution_schedule", "IRS_LIMITS_2026", "irs_limits", "glidepath",
                     "GlidePath", "target_date", "rule_of_thumb", "custom", "constant", "risk",
                     "Questionnaire", "RiskResult", "load_questionnaire", "load_presets",
                     "score"],
        # the calculator
        "calculator": ["trades", "Holding", "parse_holdings_csv", "Trade", "TradePlan",
                       "plan_trades"],
    },
)
