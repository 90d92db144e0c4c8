"""The layout of the package: rooms, what each may import, and the old paths' aliases."""

import ast
import importlib
import subprocess
import sys
import warnings
from collections import Counter
from pathlib import Path

import pytest

import rebalance_widgets
from rebalance_widgets import _moved

PACKAGE = Path(rebalance_widgets.__file__).parent
CORE = PACKAGE / "core"

# room -> the rooms of core it may import (besides itself and core._checks)
ALLOWED = {
    "markets": set(),
    "metrics": set(),
    "planning": set(),
    "calculator": set(),
    "simulation": {"planning", "metrics"},
    "study": {"markets", "simulation", "metrics", "planning", "calculator"},
    "discipline": {"markets", "simulation"},
    "history_runs": {"markets", "simulation", "metrics"},
    "published": {"study"},
}


def _imports(path: Path) -> set[str]:
    """Every module a file imports by absolute name (relative imports resolved too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: use absolute imports"
            found.add(node.module or "")
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _room(path: Path) -> str:
    parts = path.relative_to(CORE).parts
    return parts[0] if len(parts) > 1 else path.stem


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
    done = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_no_core_module_imports_a_display_library_or_a_higher_layer():
    banned = ("ipywidgets", "altair", "IPython", "traitlets", "rebalance_widgets.widgets",
              "rebalance_widgets.charts", "rebalance_widgets.dashboards")
    for path in CORE.rglob("*.py"):
        for name in _imports(path):
            assert not name.startswith(banned), f"{path.relative_to(PACKAGE)} imports {name}"


def test_each_room_of_core_imports_only_the_rooms_below_it():
    for path in CORE.rglob("*.py"):
        if path.parent == CORE and path.stem in ("__init__", "_checks"):
            continue
        room = _room(path)
        for name in _imports(path):
            if not name.startswith("rebalance_widgets.core."):
                continue
            other = name.split(".")[2]
            if other in (room, "_checks"):
                continue
            assert other in ALLOWED[room], f"{path.relative_to(PACKAGE)} imports {name}"


def test_charts_never_import_widgets_or_core_and_parts_never_import_public_widgets():
    above = ("rebalance_widgets.widgets", "rebalance_widgets.core", "rebalance_widgets.dashboards")
    for path in (PACKAGE / "charts").rglob("*.py"):
        assert not any(n.startswith(above) for n in _imports(path)), path
    public = {p.stem for p in (PACKAGE / "widgets").glob("*.py")} - {"__init__"}
    for path in (PACKAGE / "widgets" / "parts").glob("*.py"):
        for name in _imports(path):
            parts = name.split(".")
            assert not (parts[:2] == ["rebalance_widgets", "widgets"] and len(parts) > 2
                        and parts[2] in public), f"{path.name} imports {name}"


def test_the_tree_reads_as_rooms():
    direct = [p for p in CORE.glob("*.py")]
    assert len(direct) <= 8, sorted(p.name for p in direct)
    for folder in [PACKAGE, *[p for p in PACKAGE.rglob("*") if p.is_dir()]]:
        stems = [p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")]
        prefixes = Counter(stem.split("_")[0] for stem in stems if "_" in stem)
        for prefix in prefixes:
            with_prefix = [s for s in stems if s == prefix or s.startswith(prefix + "_")]
            assert len(with_prefix) < 3, f"{folder}: {with_prefix} share a prefix"
    for path in PACKAGE.rglob("*.py"):
        lines = len(path.read_text().splitlines())
        assert lines <= 400, f"{path.relative_to(PACKAGE)} has {lines} lines"


def test_every_room_says_what_lives_there():
    for init in CORE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and "Imports" in doc, f"{init.parent.name} does not say what it imports"


def test_the_engine_names_are_exported():
    import rebalance_widgets.core as core

    for name in ("simulate", "compare", "SimulationResult", "policies", "accounts",
                 "TaxDeferred", "Roth", "Taxable", "load_history", "history_study",
                 "metrics", "policy_medians"):
        assert name in core.__all__
        assert hasattr(core, name)
    assert sorted(set(core.__all__)) == sorted(core.__all__)
    for name in core.__all__:
        assert hasattr(core, name), name


@pytest.mark.parametrize("old", sorted(_moved.MOVED))
def test_an_old_module_path_still_imports_with_a_warning(old):
    new = importlib.import_module(f"rebalance_widgets.{_moved.MOVED[old]}")
    sys.modules.pop(f"rebalance_widgets.{old}", None)
    with pytest.warns(DeprecationWarning, match=_moved.MOVED[old].replace(".", r"\.")):
        module = importlib.import_module(f"rebalance_widgets.{old}")
    assert module is new
    assert module.__spec__.name == new.__name__
    sys.modules.pop(f"rebalance_widgets.{old}", None)


def test_old_names_resolve_to_the_same_objects():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from rebalance_widgets.core.engine import simulate
        from rebalance_widgets.core.policies import Calendar
        from rebalance_widgets.widgets.base import guarded
    from rebalance_widgets.core import policies
    from rebalance_widgets.core import simulate as public_simulate
    from rebalance_widgets.widgets.parts.base import guarded as parts_guarded

    assert simulate is public_simulate
    assert Calendar is policies.Calendar
    assert guarded is parts_guarded


def test_core_names_and_rooms_load_on_first_use():
    """``core`` gives its public names and its rooms lazily; ``history_runs`` stays the function."""
    code = (
        "import sys\n"
        "import rebalance_widgets.core.history_runs\n"
        "import rebalance_widgets.core as core\n"
        "assert 'rebalance_widgets.core.calculator' not in sys.modules\n"
        "assert callable(core.history_runs)\n"
        "rooms = [core.markets, core.simulation, core.metrics, core.planning, core.calculator,\n"
        "         core.study, core.published, core.discipline]\n"
        "assert all(room.__name__.startswith('rebalance_widgets.core.') for room in rooms)\n"
        "assert all(getattr(core, name) is not None for name in core.__all__)\n"
        "assert {'simulate', 'markets', 'history_runs'} <= set(dir(core))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
