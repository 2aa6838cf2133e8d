"""What every benchmark script needs: a throwaway PostgreSQL and Odoo, a load runner, figures and a table.

Runs with the standard library (and tools/cc.py), so a benchmark can call `reexec_in_venv()` before it needs
anything from the virtual environment. Code that runs *inside* Odoo lives in `_in_odoo.py`.

    with OdooBench("ingestion") as bench:          # a PostgreSQL cluster and an Odoo data dir of our own
        bench.install("bench", ["cc_omnichannel"])
        facts = bench.run_in_odoo(SCRIPT, "prepare", "bench", partners=1000)
        with bench.server("bench", workers=2, port=port) as server:
            load = run_load(send, count=1000, concurrency=2, make_session=requests.Session)

Everything listens on 127.0.0.1 and is stopped and deleted on exit, Ctrl-C included.
"""

import contextlib
import datetime
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
LOGS_DIR = RESULTS_DIR / "logs"
BENCH_ADDONS = BENCH_DIR / "addons"  # addons that exist for the benchmarks only (installed where one asks)

sys.path.insert(0, str(ROOT / "tools"))
import cc  # noqa: E402 - our dev tooling: venv, Odoo, PostgreSQL cluster

# The werkzeug line Odoo logs per request ends with "<queries> <SQL seconds> <other seconds>".
REQUEST_LOG = re.compile(
    r'werkzeug: \S+ - - \[[^\]]+\] "(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) \S+ '
    r"(?P<queries>\d+) (?P<sql>[\d.]+) (?P<other>[\d.]+)"
)
WARNING_OR_ERROR = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")


class BenchmarkError(Exception):
    """The benchmark could not measure what it should; the message says what went wrong."""


def say(message):
    print(f"[bench] {message}", flush=True)


def reexec_in_venv():
    """Make sure the project's virtual environment is up to date, and continue this script inside it."""
    python = cc.ensure_venv()
    in_venv = Path(sys.prefix).resolve() == cc.VENV.resolve()
    if not in_venv and not getattr(cc, "USE_SYSTEM_PYTHON", False):
        os.execv(str(python), [str(python), *sys.argv])  # noqa: S606 - our own script, in our own venv


# --- figures ------------------------------------------------------------------------------------------


def percentile(values, fraction):
    """The `fraction` (0..1) percentile of `values`, interpolated linearly between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    position = (len(ordered) - 1) * fraction
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def latency_summary_ms(seconds):
    """Mean, p50, p95, p99 and max of latencies given in seconds, in milliseconds rounded to 0.01."""
    milliseconds = [value * 1000 for value in seconds]
    summary = {"mean": statistics.fmean(milliseconds), "max": max(milliseconds)}
    summary.update({f"p{int(share * 100)}": percentile(milliseconds, share) for share in (0.5, 0.95, 0.99)})
    return {name: round(value, 2) for name, value in summary.items()}


def verdict(value, target, higher_is_better=False):
    """'PASS' or 'FAIL' of a figure against its target."""
    passed = value >= target if higher_is_better else value < target
    return "PASS" if passed else "FAIL"


def print_table(rows, headers=("figure", "ours", "target", "verdict")):
    """Print rows of strings as an aligned, Markdown-compatible table."""
    rows = [tuple(str(cell) for cell in row) for row in rows]
    widths = [max(len(str(row[column])) for row in (headers, *rows)) for column in range(len(headers))]

    def line(cells):
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    print(line(headers))
    print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    for row in rows:
        print(line(row))
    sys.stdout.flush()


def write_results(name, payload):
    """Write `payload` and a description of this machine to results/<name>-<date>.json; return the path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}-{datetime.date.today().isoformat()}.json"
    document = {
        "benchmark": name,
        "measured_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": machine_description(),
        **payload,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


def machine_description():
    return {
        "cpus": os.cpu_count(),
        "load_average_1_5_15min": [round(load, 2) for load in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "code": code_version(),
    }


def busy_machine_warning():
    """A sentence when other work kept the CPUs busy during the last five minutes, else None.

    A benchmark keeps about as many processes running as there are CPUs (server, database, client) by itself.
    """
    load, cpus = os.getloadavg()[1], os.cpu_count() or 1
    if load > 1.5 * cpus:
        return f"the machine was busy (5-min load average {load:.1f} on {cpus} CPUs): these figures are noisy"
    return None


def code_version():
    """The commit measured, and the files of addons/ that differed from it (read-only git commands)."""

    def git(*args):
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    changed = git("status", "--porcelain", "--", "addons")
    return {"commit": git("rev-parse", "--short", "HEAD"), "addons_changed": changed.splitlines() if changed else []}


# --- load ---------------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    """Latencies (seconds, in completion order), HTTP statuses and wall time of one load run."""

    latencies: list = field(default_factory=list)
    statuses: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def rate(self):
        """Completed requests per second of wall time."""
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def unexpected(self, expected_status=200):
        """The statuses (and transport errors) that were not `expected_status`."""
        return [status for status in self.statuses if status != expected_status] + self.errors

    def extend(self, other):
        """Add the requests and wall time of another run (a later round of the same load) to this one."""
        self.latencies += other.latencies
        self.statuses += other.statuses
        self.errors += other.errors
        self.elapsed += other.elapsed


def run_load(send, count, concurrency, make_session):
    """Call `send(session, index)` for index 0..count-1 from `concurrency` threads, one session each.

    `send` returns an HTTP response; its latency is measured around the call. Returns a LoadResult.
    """
    local = threading.local()
    result = LoadResult()
    lock = threading.Lock()

    def one(index):
        if not hasattr(local, "session"):
            local.session = make_session()
        started = time.perf_counter()
        try:
            response = send(local.session, index)
        except Exception as error:  # a transport error is a result to report
            with lock:
                result.errors.append(f"{type(error).__name__}: {error}")
            return
        latency = time.perf_counter() - started
        with lock:
            result.latencies.append(latency)
            result.statuses.append(response.status_code)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(count)))
    result.elapsed = time.perf_counter() - started
    return result


# --- Odoo and PostgreSQL ------------------------------------------------------------------------------


class OdooServer:
    """An Odoo server process of a benchmark, its log kept in a file whose request lines we can read."""

    def __init__(self, command, log_path, url, environment=None):
        self.command = command
        self.log_path = log_path
        self.url = url
        self.environment = environment
        self.process = None

    def start(self):
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, env=self.environment, start_new_session=True
            )
        cc.wait_for_http(f"{self.url}/web/health", self.process)

    def stop(self):
        cc.stop_process(self.process)

    def log_position(self):
        """Where the log ends now: pass it to request_costs() to read only what comes next."""
        return self.log_path.stat().st_size

    def request_costs(self, path_prefix, since=0):
        """Median queries, SQL ms and other ms per request whose path starts with `path_prefix`."""
        matches = [REQUEST_LOG.search(line) for line in self.log_lines(since)]
        lines = [match for match in matches if match and match["path"].startswith(path_prefix)]
        if not lines:
            return {"requests": 0}
        return {
            "requests": len(lines),
            "queries_median": statistics.median(int(match["queries"]) for match in lines),
            "sql_ms_median": round(statistics.median(float(match["sql"]) for match in lines) * 1000, 2),
            "other_ms_median": round(statistics.median(float(match["other"]) for match in lines) * 1000, 2),
        }

    def problems(self, since=0):
        """The WARNING/ERROR/CRITICAL lines logged since `since`."""
        return [line for line in self.log_lines(since) if WARNING_OR_ERROR.match(line)]

    def log_lines(self, since=0):
        """The lines of the log from byte offset `since` on."""
        with open(self.log_path, "rb") as log:
            log.seek(since)
            return log.read().decode(errors="replace").splitlines()


class OdooBench:
    """A throwaway PostgreSQL cluster, Odoo data directory and servers for one benchmark; all removed on exit."""

    def __init__(self, name):
        self.name = name
        self.python = cc.ensure_venv()
        self.odoo, self.odoo_source = cc.find_odoo(self.python)
        self.addons_path = f"{cc.addons_path(self.odoo_source)},{BENCH_ADDONS}"
        self.workdir = Path(tempfile.mkdtemp(prefix=f"cc-bench-{name}-"))
        # Its own directory, so that the `postgres` user can own it when we are root.
        self.cluster = cc.Cluster(tempfile.mkdtemp(prefix=f"cc-bench-{name}-pg-"), cc.free_port())
        self.smtp_port = cc.free_port()  # nothing listens there: an email Odoo tries to send fails at once, locally
        self.servers = []
        LOGS_DIR.mkdir(parents=True, exist_ok=True)

    def __enter__(self):
        try:
            self.cluster.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_exc):
        self.close()

    def close(self):
        """Stop every server and the cluster, and delete their files (logs stay in results/logs)."""
        for server in self.servers:
            server.stop()
        self.cluster.stop()
        shutil.rmtree(self.cluster.datadir, ignore_errors=True)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def log_path(self, label):
        return LOGS_DIR / f"{self.name}-{label}.log"

    def odoo_options(self, database):
        """The options every Odoo process of this benchmark takes: our cluster, data dir, 127.0.0.1 only."""
        return [
            "--addons-path", self.addons_path, *self.cluster.odoo_options(),
            "-d", database, "--db-filter", f"^{database}$",
            "--data-dir", str(self.workdir / "odoo-data"),
            "--http-interface", "127.0.0.1",
            "--smtp", "127.0.0.1", "--smtp-port", str(self.smtp_port),
        ]  # fmt: skip

    def install(self, database, modules):
        """Create `database` with `modules` installed, without demo data."""
        log = self.log_path(f"install-{database}")
        say(f"installing {', '.join(modules)} in {database} (log: {log.relative_to(ROOT)})")
        started = time.monotonic()
        command = [
            *self.odoo, *self.odoo_options(database), "-i", ",".join(modules), "--without-demo",
            "--stop-after-init", "--http-port", str(cc.free_port()),
        ]  # fmt: skip
        rc, _lines = cc.stream_odoo(command, log, echo=WARNING_OR_ERROR.match)
        if rc:
            raise BenchmarkError(f"installing {modules} failed (exit {rc}): see {log}")
        say(f"installed in {time.monotonic() - started:.0f} s")

    def run_in_odoo(self, script, action, database, **options):
        """Run `action` of `script` (an `_in_odoo.main` script) on `database`; return the dict it produced."""
        result_path = self.workdir / f"{Path(script).stem}-{action}.json"
        command = [
            str(self.python), str(script), action, "--result", str(result_path), "--options", json.dumps(options),
            "--", *self.odoo_options(database),
        ]  # fmt: skip
        environment = dict(os.environ)
        if self.odoo[-1].endswith("odoo-bin"):  # Odoo runs from its source tree: make `import odoo` find it
            environment["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(self.odoo_source), environment.get("PYTHONPATH")])
            )
        log = self.log_path(f"{action}-{database}")
        with open(log, "w") as log_file:
            done = subprocess.run(command, stdout=log_file, stderr=subprocess.STDOUT, env=environment, check=False)
        if done.returncode or not result_path.exists():
            tail = "".join(log.read_text(errors="replace").splitlines(keepends=True)[-15:])
            raise BenchmarkError(f"{Path(script).name} {action} failed (exit {done.returncode}):\n{tail}")
        return json.loads(result_path.read_text())

    def _client(self, program, *args, failure):
        """Run one of PostgreSQL's client programs against our cluster; raise BenchmarkError(failure) if it fails."""
        command = [
            str(self.cluster.bindir / program), "-h", "127.0.0.1", "-p", str(self.cluster.port),
            "-U", self.cluster.user, *args,
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise BenchmarkError(f"{failure}: {done.stderr.strip()}")

    def copy_database(self, source, target):
        """Create `target` as a copy of `source` (which nothing may be connected to), filestore included."""
        self._client("createdb", "-T", source, target, failure=f"could not copy database {source} to {target}")
        filestore = self.workdir / "odoo-data" / "filestore"
        if (filestore / source).is_dir():
            shutil.copytree(filestore / source, filestore / target)

    def vacuum(self, database, full=False):
        """VACUUM (FULL: rewrite tables and indexes compactly) and ANALYZE `database`, so that databases compared
        in one benchmark start alike whatever their setup left behind (rows updated, transactions rolled back)."""
        options = ["--full"] if full else []
        self._client("vacuumdb", "--quiet", "--analyze", *options, database, failure=f"could not vacuum {database}")

    def query(self, database, sql, params=()):
        """The rows of one SQL statement on `database`, read from outside Odoo (while a server runs)."""
        import psycopg2  # noqa: PLC0415 - in the venv only, which main() switches to first

        connection = psycopg2.connect(host="127.0.0.1", port=self.cluster.port, user=self.cluster.user, dbname=database)
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            connection.close()

    @contextlib.contextmanager
    def server(self, database, workers, port, extra_options=(), environment=None, label="server"):
        """Serve `database` on 127.0.0.1:`port` with `workers` prefork workers and no cron; yield the server.

        `environment`: variables added to ours for the server (queue_job's runner reads its own there)."""
        command = [
            *self.odoo, *self.odoo_options(database), "--http-port", str(port), "--gevent-port", str(cc.free_port()),
            "--workers", str(workers), "--max-cron-threads", "0", "--limit-time-real", "120",
            "--limit-time-cpu", "60", "--log-level", "info", *extra_options,
        ]  # fmt: skip
        server = OdooServer(
            command,
            self.log_path(f"{label}-{database}"),
            f"http://127.0.0.1:{port}",
            {**os.environ, **environment} if environment else None,
        )
        self.servers.append(server)
        try:
            server.start()
            yield server
        finally:
            server.stop()
            self.servers.remove(server)


def main(parse_args, run):
    """A benchmark's entry point: in the venv, cleaned up on SIGTERM and Ctrl-C; exit 2 when it failed itself."""
    reexec_in_venv()
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops servers and cluster
    try:
        return run(args)
    except (BenchmarkError, cc.CommandError) as error:
        say(f"error: {error}")
        return 2
    except KeyboardInterrupt:
        say("interrupted: servers and cluster stopped")
        return 130
