"""The core package must load without any display library."""

import subprocess
import sys


def test_importing_core_loads_no_widget_or_chart_library():
    code = (
        "import sys\n"
        "import rebalance_widgets.core\n"
        "from rebalance_widgets.core import simulate, compare, policies, accounts\n"
        "from rebalance_widgets.core import SimulationResult, TaxDeferred, Roth, Taxable\n"
        "banned = ('ipywidgets', 'altair', 'IPython', 'traitlets')\n"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] in banned)\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_the_engine_names_are_exported():
    import rebalance_widgets.core as core

    for name in ("simulate", "compare", "SimulationResult", "policies", "accounts",
                 "TaxDeferred", "Roth", "Taxable"):
        assert name in core.__all__
        assert hasattr(core, name)
