"""The app is built in flows/cli/app.py alone: no command module needs it, so there is no import cycle."""

import pkgutil
import subprocess
import sys

import flows.cli

COMMAND_MODULES = sorted(
    f"flows.cli.{module.name}" for module in pkgutil.iter_modules(flows.cli.__path__) if module.name != "app"
)


def test_no_command_module_imports_the_app():
    imports = "; ".join(f"import {module}" for module in COMMAND_MODULES)
    check = f"{imports}; import sys; assert 'flows.cli.app' not in sys.modules, 'imported flows.cli.app'"
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "flows.cli.run" in COMMAND_MODULES and "flows.cli.options" in COMMAND_MODULES
