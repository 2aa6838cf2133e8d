#!/usr/bin/env python3
"""Contact Center developer commands: one to test everything, one to run a demo contact center.

    python3 tools/cc.py test      # venv, throwaway PostgreSQL, Odoo suites + tours + peers, e2e suite
    python3 tools/cc.py run       # the same environment, a demo database, Odoo on http://localhost:8069

Standard library only: it runs before the virtual environment exists. Odoo is found through ODOO_SRC
(default /opt/odoo) or an importable `odoo`; PostgreSQL through PGHOST (an existing server) or the
`initdb`/`pg_ctl` binaries (a cluster of our own).
"""

import argparse
import contextlib
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / ".cc"
# CC_VENV=system uses this interpreter as it is (the Docker image installs what it needs at build time).
USE_SYSTEM_PYTHON = os.environ.get("CC_VENV") == "system"
VENV = Path(os.environ.get("CC_VENV", ROOT / ".venv"))
REQUIREMENTS = ROOT / "requirements"
OUR_ADDONS = ("cc_omnichannel", "cc_sla", "cc_reports", "cc_livechat")
# A serving Odoo loads queue_job server-wide: that starts its job runner, which processes the inbound webhooks.
SERVER_WIDE_MODULES = "base,rpc,web,queue_job"
PEER_ADDONS = ("crm", "helpdesk_mgmt")
RUN_DB = os.environ.get("CC_DB", "contact_center")
RUN_PG_PORT = int(os.environ.get("CC_PG_PORT", "54329"))
ODOO_RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
BROWSER_SKIP = re.compile(r"websocket-client module is not installed|Chrome executable not found")
LOG_LEVEL = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")


class CommandError(Exception):
    """A failure the user can fix; its message says how."""


def say(message):
    print(f"[cc] {message}", flush=True)


# --- environment --------------------------------------------------------------------------------


def ensure_venv():
    """Create or refresh the virtual environment when the requirement files changed."""
    if not (3, 10) <= sys.version_info[:2] <= (3, 12):
        raise CommandError(f"Python 3.10-3.12 is needed for Odoo 19; this is {sys.version.split()[0]}.")
    if USE_SYSTEM_PYTHON:
        return Path(sys.executable)
    python = VENV / "bin" / "python"
    if not python.exists():
        say(f"creating the virtual environment in {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    files = sorted(REQUIREMENTS.glob("*.txt"))
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    stamp = VENV / ".cc-requirements.sha256"
    if stamp.exists() and stamp.read_text() == digest:
        return python
    say("installing Python dependencies (Odoo runtime, ours, test tools, OCA helpdesk)")
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    runtime = ["odoo.txt", "project.txt", "test.txt"]
    if subprocess.run([*pip, *(arg for name in runtime for arg in ("-r", str(REQUIREMENTS / name)))]).returncode:
        raise CommandError("pip could not install requirements/*.txt: read the error above.")
    # OCA wheels require odoo==19.0.*, which no package index serves: their Python deps are in project.txt.
    if subprocess.run([*pip, "--no-deps", "-r", str(REQUIREMENTS / "oca.txt")]).returncode:
        raise CommandError("pip could not install the OCA addons of requirements/oca.txt.")
    stamp.write_text(digest)
    return python


def find_odoo(python):
    """Return the odoo-bin command line prefix, from ODOO_SRC or an installed `odoo` package."""
    source = Path(os.environ.get("ODOO_SRC", "/opt/odoo"))
    if (source / "odoo-bin").is_file():
        return [str(python), str(source / "odoo-bin")], source
    probe = subprocess.run(
        [str(python), "-c", "import odoo, os; print(os.path.dirname(odoo.__path__[0]))"],
        capture_output=True,
        text=True,
    )
    if probe.returncode == 0:
        return [str(python), "-m", "odoo"], Path(probe.stdout.strip())
    raise CommandError(
        f"Odoo 19.0 not found: no odoo-bin in ODOO_SRC={source} and no importable `odoo`. "
        "Put the Odoo 19.0 Community source there (git clone -b 19.0 --depth 1 "
        "https://github.com/odoo/odoo /opt/odoo) or set ODOO_SRC to where it is."
    )


def addons_path(odoo_source):
    """Ours, Odoo's, and the OCA wheels' (odoo.addons is a namespace: the image finds those by itself)."""
    paths = [ROOT / "addons", odoo_source / "addons"]
    paths += [site / "odoo" / "addons" for site in VENV.glob("lib/python3*/site-packages")]
    return ",".join(str(p) for p in paths if p.is_dir())


def require_chromium():
    if not any(shutil.which(name) for name in ("google-chrome", "chromium", "chromium-browser")):
        raise CommandError(
            "Chromium not found: the tours need it (Debian: apt-get install chromium); .ci/run installs it."
        )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port, host="127.0.0.1"):
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) == 0


# --- PostgreSQL ---------------------------------------------------------------------------------


def postgres_bindir():
    candidates = []
    if shutil.which("pg_config"):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        candidates.append(Path(bindir))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    if shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).parent)
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    raise CommandError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: install them (Debian: apt-get install "
        "postgresql) or point PGHOST, PGPORT, PGUSER, PGPASSWORD at a running server."
    )


class Cluster:
    """A PostgreSQL cluster of our own on 127.0.0.1, run as `postgres` when we are root."""

    def __init__(self, datadir, port):
        self.bindir = postgres_bindir()
        self.datadir = Path(datadir)
        self.port = port
        self.user = "odoo"  # Odoo refuses to connect as `postgres`
        self.as_root = os.geteuid() == 0

    def _run(self, *args, **kwargs):
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, **kwargs)

    def _prepare_dir(self):
        self.datadir.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.datadir, "postgres", "postgres")

    def start(self):
        if port_in_use(self.port):
            raise CommandError(f"port {self.port} is in use: stop what listens there or set CC_PG_PORT.")
        if not (self.datadir / "PG_VERSION").exists():
            self._prepare_dir()
            done = self._run("initdb", "-D", str(self.datadir), "-A", "trust", "-U", self.user, "-E", "UTF8")
            if done.returncode:
                raise CommandError(f"initdb failed: {done.stderr.strip().splitlines()[-1]}")
        options = f"-p {self.port} -h 127.0.0.1 -k {self.datadir}"
        log = self.datadir / "server.log"
        done = self._run("pg_ctl", "start", "-w", "-D", str(self.datadir), "-l", str(log), "-o", options)
        if done.returncode:
            raise CommandError(f"PostgreSQL did not start: see {log}")
        say(f"PostgreSQL {self.bindir.parent.name} listening on 127.0.0.1:{self.port}")

    def stop(self):
        if (self.datadir / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-m", "fast", "-w", "-D", str(self.datadir))

    def odoo_options(self):
        return ["--db_host", "127.0.0.1", "--db_port", str(self.port), "--db_user", self.user]


def external_server_options():
    """Odoo reads PGHOST/PGPORT/PGUSER/PGPASSWORD itself; nothing to add."""
    return []


# --- Odoo processes -----------------------------------------------------------------------------


def stream_odoo(command, log_path, echo):
    """Run Odoo, keep its whole log in a file, echo the lines `echo` selects; return (rc, lines)."""
    lines = []
    with (
        open(log_path, "w") as log,
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
        ) as process,
    ):
        try:
            for line in process.stdout:
                log.write(line)
                lines.append(line.rstrip("\n"))
                if echo(line):
                    print(line, end="", flush=True)
        except BaseException:
            os.killpg(process.pid, signal.SIGTERM)
            raise
    return process.returncode, lines


def wait_for_http(url, process, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError(f"Odoo exited with {process.returncode} before serving {url}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(1)
    raise CommandError(f"Odoo did not answer {url} within {seconds} s")


def stop_process(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def is_our_problem(line):
    """A warning or error logged by, or naming, one of our addons."""
    return LOG_LEVEL.match(line) and any(addon in line for addon in OUR_ADDONS)


# --- commands -----------------------------------------------------------------------------------


def command_test(args):
    python = ensure_venv()
    odoo, source = find_odoo(python)
    require_chromium()
    STATE_DIR.mkdir(exist_ok=True)
    logs = STATE_DIR / "logs"
    logs.mkdir(exist_ok=True)
    databases = (f"cc_test_{os.getpid()}", f"cc_demo_{os.getpid()}")
    cluster = None
    server = None
    failures = []
    db_options = external_server_options()
    try:
        if not os.environ.get("PGHOST"):
            cluster = Cluster(tempfile.mkdtemp(prefix="cc-pg-"), free_port())
            cluster.start()
            db_options = cluster.odoo_options()
        common = [*odoo, "--addons-path", addons_path(source), *db_options, "--http-interface", "127.0.0.1"]
        tags = ",".join(f"/{name}" for name in (args.only.split(",") if args.only else (*OUR_ADDONS, *PEER_ADDONS)))
        # The suites run on a database without demo data, as Odoo's and the OCA's own suites expect.
        say(f"installing {', '.join(OUR_ADDONS)} and running the Odoo suites ({tags})")
        started = time.monotonic()
        rc, lines = stream_odoo(
            [
                *common,
                "-d",
                databases[0],
                "-i",
                ",".join(OUR_ADDONS),
                "--test-enable",
                "--test-tags",
                tags,
                "--stop-after-init",
                "--http-port",
                str(free_port()),
                "--log-level",
                "info",
            ],
            logs / "odoo-tests.log",
            echo=lambda line: LOG_LEVEL.match(line) or "odoo.tests.result" in line,
        )
        say(f"Odoo suites finished in {time.monotonic() - started:.0f} s (full log: {logs / 'odoo-tests.log'})")
        odoo_passed, odoo_failed = read_odoo_result(rc, lines, failures)

        # The end-to-end suite runs against a live server on a database with the demo data, which it checks too.
        say("installing the demo database for the end-to-end suite")
        rc, lines = stream_odoo(
            [
                *common,
                "-d",
                databases[1],
                "-i",
                ",".join(OUR_ADDONS),
                "--with-demo",
                "--stop-after-init",
                "--http-port",
                str(free_port()),
            ],
            logs / "odoo-demo.log",
            echo=LOG_LEVEL.match,
        )
        read_install_log(rc, lines, failures)
        e2e_port = free_port()
        with open(logs / "odoo-e2e.log", "w") as e2e_log:
            server = subprocess.Popen(
                [
                    *common,
                    "-d",
                    databases[1],
                    "--db-filter",
                    f"^{databases[1]}$",
                    "--http-port",
                    str(e2e_port),
                    "--load",
                    SERVER_WIDE_MODULES,
                    "--workers",
                    "0",
                    "--max-cron-threads",
                    "0",
                ],
                stdout=e2e_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{e2e_port}"
        wait_for_http(f"{url}/web/health", server)
        e2e_passed, e2e_failed = run_e2e(python, url, databases[1], failures)
        lint_passed = run_lint(python, failures)
    finally:
        stop_process(server)
        for database in databases:
            drop_database(odoo, db_options, database)
        if cluster:
            cluster.stop()
            shutil.rmtree(cluster.datadir, ignore_errors=True)
    passed = odoo_passed + e2e_passed + lint_passed
    failed = odoo_failed + e2e_failed + len(failures)
    for failure in failures:
        say(f"FAILED: {failure}")
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


def read_odoo_result(rc, lines, failures):
    """Count the Odoo suites' tests; record anything that must fail the run though no test failed."""
    results = [ODOO_RESULT.search(line) for line in lines]
    results = [match for match in results if match]
    if not results:
        errors = [line for line in lines if LOG_LEVEL.match(line)]
        hint = errors[0] if errors else "no error was logged"
        failures.append(f"Odoo stopped before its tests finished (exit {rc}); first error: {hint}")
        return 0, 0
    failed, errors, total = (int(group) for group in results[-1].groups())
    if total == 0:
        failures.append("Odoo ran no test: check --test-tags and the addons' tests/__init__.py")
    if rc and not (failed or errors):
        failures.append(f"Odoo exited with {rc}")
    skipped_browser = [line for line in lines if BROWSER_SKIP.search(line)]
    if skipped_browser:
        failures.append(f"browser tests were skipped: {skipped_browser[0].split(': ', 1)[-1]}")
    return total - failed - errors, failed + errors


def read_install_log(rc, lines, failures):
    """A module install must succeed with no warning or error from our addons."""
    if rc:
        errors = [line for line in lines if LOG_LEVEL.match(line)]
        failures.append(f"installing with demo data failed (exit {rc}): {errors[0] if errors else 'see log'}")
    ours = [line for line in lines if is_our_problem(line)]
    if ours:
        failures.append(f"{len(ours)} warning(s)/error(s) from our addons while installing, first: {ours[0]}")


def run_e2e(python, url, database, failures):
    env = dict(os.environ, CC_ODOO_URL=url, CC_ODOO_DB=database)
    junit = STATE_DIR / "logs" / "e2e-junit.xml"
    done = subprocess.run(
        [str(python), "-m", "pytest", str(ROOT / "tests"), "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"],
        env=env,
        cwd=ROOT,
    )
    if done.returncode == 5:
        failures.append("the end-to-end suite (tests/) collected no test")
        return 0, 0
    text = junit.read_text() if junit.exists() else ""
    totals = re.search(r'<testsuite [^>]*errors="(\d+)" failures="(\d+)" skipped="(\d+)" tests="(\d+)"', text)
    if not totals:
        failures.append(f"the end-to-end suite did not report (pytest exit {done.returncode})")
        return 0, 0
    errors, failed, skipped, total = (int(group) for group in totals.groups())
    if skipped:
        failures.append(f"{skipped} end-to-end test(s) skipped: nothing may skip silently")
    return total - errors - failed - skipped, errors + failed


def run_lint(python, failures):
    """ruff over the whole tree (pyproject.toml): one more check, counted as one test."""
    say("ruff check")
    if subprocess.run([str(python), "-m", "ruff", "check", "--quiet", str(ROOT)]).returncode:
        failures.append("ruff check found problems (listed above)")
        return 0
    return 1


def command_run(args):
    python = ensure_venv()
    odoo, source = find_odoo(python)
    if port_in_use(args.port):
        raise CommandError(f"port {args.port} is in use: stop what listens there or pass --port.")
    cluster = None
    db_options = external_server_options()
    if not os.environ.get("PGHOST"):
        cluster = Cluster(STATE_DIR / "pgdata", RUN_PG_PORT)
        cluster.start()
        db_options = cluster.odoo_options()
    base = [
        *odoo,
        "--addons-path",
        addons_path(source),
        "-d",
        args.db,
        *db_options,
        "--db-filter",
        f"^{args.db}$",
        "--http-interface",
        args.interface,
    ]
    try:
        if args.reset:
            drop_database(odoo, db_options, args.db)
        if args.reset or not database_exists(python, args.db, db_options):
            say(f"creating database {args.db} with the contact center and its demo data (a few minutes)")
            rc, _lines = stream_odoo(
                [*base, "-i", ",".join(OUR_ADDONS), "--with-demo", "--stop-after-init"],
                STATE_DIR / "install.log",
                echo=LOG_LEVEL.match,
            )
            if rc:
                raise CommandError(f"installing the addons failed: see {STATE_DIR / 'install.log'}")
        say(f"Contact Center on http://localhost:{args.port}  (database {args.db})")
        say(
            "log in as admin / admin (manager), or the demo users: supervisor / supervisor, agent / agent, "
            "agent2 / agent2, rep / rep"
        )
        return subprocess.run([*base, "--http-port", str(args.port), "--load", SERVER_WIDE_MODULES]).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        if cluster:
            cluster.stop()


def drop_database(odoo, db_options, name):
    """Drop a database and its filestore, if it exists."""
    subprocess.run([*odoo, "db", *db_options, "drop", name], capture_output=True)


def database_exists(python, name, db_options):
    options = dict(zip(db_options[::2], db_options[1::2], strict=True))
    code = (
        "import sys, psycopg2\n"
        "try:\n"
        f"    psycopg2.connect(dbname={name!r}, host={options.get('--db_host')!r},"
        f" port={options.get('--db_port')!r}, user={options.get('--db_user')!r}).close()\n"
        "except psycopg2.OperationalError:\n"
        "    sys.exit(1)\n"
    )
    return subprocess.run([str(python), "-c", code], capture_output=True).returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    test = commands.add_parser("test", help="run every suite; ends with 'N passed, N failed'")
    test.add_argument("--only", help="comma-separated addons whose Odoo tests to run (default: ours + peers)")
    run = commands.add_parser("run", help="serve a demo contact center")
    run.add_argument("--port", type=int, default=8069)
    run.add_argument("--interface", default="127.0.0.1")
    run.add_argument("--db", default=RUN_DB)
    run.add_argument("--reset", action="store_true", help="recreate the demo database")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return {"test": command_test, "run": command_run}[args.command](args)
    except CommandError as error:
        say(f"error: {error}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
