"""The entry point of benchmark code that runs inside Odoo, with the registry open (the venv's python).

A script calls `main({"action": function, ...})`; `OdooBench.run_in_odoo` runs it as

    python script.py ACTION --result FILE --options JSON -- ODOO_OPTIONS

and `function(env, **options)` runs as superuser in one transaction, committed unless the action is listed
in `rolled_back`; the dict it returns is written to FILE as JSON.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import odoo
from odoo.modules.registry import Registry


def main(actions, rolled_back=()):
    """Parse the command line, open the database, run the action, write its result."""
    arguments = sys.argv[1:]
    separator = arguments.index("--") if "--" in arguments else len(arguments)
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=sorted(actions))
    parser.add_argument("--result", required=True, type=Path)
    parser.add_argument("--options", default="{}", type=json.loads)
    args = parser.parse_args(arguments[:separator])
    odoo.tools.config.parse_config(arguments[separator + 1 :], setup_logging=True)
    database = odoo.tools.config["db_name"]
    database = database[0] if isinstance(database, list) else database
    registry = Registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        result = actions[args.action](env, **args.options)
        if args.action in rolled_back:
            cr.rollback()
    args.result.write_text(json.dumps(result, indent=1))


def timed_calls(function, arguments, before_each=None):
    """Call `function(argument)` for each argument; return (the seconds each call took, their results).

    `before_each()` runs untimed before each call (to empty the ORM cache, say).
    """
    seconds, results = [], []
    for argument in arguments:
        if before_each:
            before_each()
        started = time.perf_counter()
        results.append(function(argument))
        seconds.append(time.perf_counter() - started)
    return seconds, results
