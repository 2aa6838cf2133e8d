#!/usr/bin/env python3
"""Benchmark: our SLA timers (cc_sla) against OCA helpdesk_mgmt_sla 19.0, at 10,000 and 100,000 open tickets.

    python3 benchmarks/bench_sla.py [--tickets 10000] [--large 100000] [--create 1000] [--runs 3]

By itself: the project's venv (OCA `odoo-addon-helpdesk-mgmt-sla` is pip-installed into it with --no-deps
when missing), one throwaway PostgreSQL cluster, three databases with the same data:

* `sla_helpdesk`: helpdesk_mgmt alone (+ resource, for the calendar). The data is built here once: a Mon-Fri
  09:00-17:00 Europe/Brussels calendar with Belgian public holidays as global leaves, 5 teams of 4 agents,
  2,000 customers, and --tickets open tickets (random team, agent, customer, channel, priority and open
  stage: New, In Progress or Awaiting) created through the ORM in batches of 1,000 with mail tracking, logs
  and subscriptions off, then spread over the last 60 days by one UPDATE of their creation dates;
* `sla_ours`: a copy of it with cc_sla installed; three policies (Urgent, Key accounts, Standard; first
  response and resolution targets) pausing in Awaiting, stopping in Done/Cancelled/Rejected. Every open
  ticket gets real timers from our code: `tickets._cc_sla_apply(now)` in batches of 1,000 (timed); the first
  responses of tickets already In Progress or Awaiting are marked answered (`cc_sla_agent_responded`), then
  the scheduled job runs once so that nothing is due;
* `sla_oca`: a copy with helpdesk_mgmt_sla; the same targets as OCA rules (whole hours; first response =
  reach In Progress, resolution = reach Done; on hold in Awaiting), the teams on the same calendar, and
  OCA's `set_sla()` over all open tickets in one call (timed).

Then, median of --runs runs where it says so:

1. tickets/s creating --create tickets as the agents do (mail on; batches of --batch, each agent in their
   own team; the cursor flushed with its precommit hooks after each batch; rolled back; the databases
   compacted by VACUUM FULL before the first run and vacuumed before each), --create-runs runs
   interleaved between the databases, ours also with `_cc_sla_apply` stubbed out in the creating process
   (what the rest of our stack costs: cc_omnichannel, crm, phone_validation); per second of wall time, per
   CPU-second of the Odoo process (which a busy machine disturbs less) and as the median of each run's
   ratio to helpdesk_mgmt alone's run just before it; the queries of one ticket creation (median of
   --single, and the queries ours and OCA run that helpdesk_mgmt alone does not);
2. one run of our scheduled job `cc.sla.timer._cron_check_timers()` with the clock moved forward (we patch
   `fields.Datetime.now`, as freezegun would without slowing every datetime) to when --due-share of the
   active timers have crossed their at-risk moment or deadline since the last run; rolled back to a
   savepoint after each run (a first, untimed run warms the registry up as in a running worker). Against
   OCA's recompute of its stored SLA fields (hours, expected stage, last state date, state, deadline) over
   the SLA rows of the same open tickets, cold cache, in batches of --apply-batch tickets (linear, as in the
   baseline; all rows at once is slower, reported too), and against its `set_sla()`.
   Once more with an escalation ladder (a note at risk, a notified supervisor at breach; earlier escalations
   logged as fired), reported apart: OCA has no escalations;
3. business-time deadlines/s: `BusinessCalendar.deadlines` over --starts random starts against one
   `resource.calendar.plan_hours` call per ticket (as OCA computes a deadline) on --plan-hours-calls of
   them, scaled; and whether both give the same deadlines.

Then --large: the databases of helpdesk_mgmt alone and ours grow to --large open tickets by SQL
(`INSERT ... SELECT` over generate_series, copies of the open tickets with a new number, date, priority and
stage); ours gets real timers by `_cc_sla_apply` on the new tickets in batches; creation and the job are
measured again. OCA is skipped there when its set_sla() at --tickets, scaled linearly (the baseline saw
worse than linear), would take more than --oca-large-limit seconds.

Prints a table (figure, ours, peer, ratio, target, verdict), writes results/sla-<date>.json; logs stay in
results/logs/. Our job at the last size runs once more under cProfile, and so does ticket creation (ours and
helpdesk_mgmt alone) when it misses its target (--profile always: in any case): the profiles, with what our
SLA functions spend their time in, go to results/logs/sla-profile-*.txt. Exits 1 when a target is missed,
2 when the benchmark itself failed.
"""

import argparse
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import _harness as harness
from _harness import BenchmarkError, say

IN_ODOO = Path(__file__).resolve().with_name("_sla_in_odoo.py")
OCA_SLA_DISTRIBUTION = "odoo-addon-helpdesk-mgmt-sla"
OCA_SLA_REQUIREMENT = f"{OCA_SLA_DISTRIBUTION}==19.0.*"
DB_ALONE, DB_OURS, DB_OCA = "sla_helpdesk", "sla_ours", "sla_oca"
STUB = f"{DB_OURS}:no_sla_apply"  # our database, `_cc_sla_apply` stubbed out in the creating process
LABELS = {DB_ALONE: "helpdesk_mgmt alone", DB_OURS: "ours (cc_sla)", DB_OCA: "OCA helpdesk_mgmt_sla",
          STUB: "ours with _cc_sla_apply stubbed out"}  # fmt: skip
TEAMS_AGENTS, PARTNERS = 20, 2000

TARGET_CREATE_SHARE = 0.90  # of helpdesk_mgmt alone's tickets/s
TARGET_JOB_SPEEDUP = 50  # x OCA's SLA recompute over the same open tickets
TARGET_JOB_LARGE_SECONDS = 1.0
TARGET_DEADLINE_SPEEDUP = 500  # x resource.calendar.plan_hours per ticket
# OCA's figures at 10,000 open tickets in shared/docs/perf-baseline.md, shown beside ours for reference.
BASELINE_DOC = {"oca_recompute_seconds": 9.0, "oca_set_sla_seconds": 146.0}


def ensure_oca_sla(python):
    """pip-install OCA helpdesk_mgmt_sla 19.0 into the venv (--no-deps: its Python deps are there) if missing."""
    shown = subprocess.run(
        [str(python), "-m", "pip", "show", OCA_SLA_DISTRIBUTION], capture_output=True, text=True, check=False
    )
    if shown.returncode == 0:
        version = next((line.split(":", 1)[1].strip() for line in shown.stdout.splitlines()
                        if line.startswith("Version:")), "?")  # fmt: skip
        say(f"{OCA_SLA_DISTRIBUTION} {version} is installed")
        return version
    say(f"installing {OCA_SLA_REQUIREMENT} into the venv (pip --no-deps)")
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
         OCA_SLA_REQUIREMENT],
        check=False,
    )  # fmt: skip
    if done.returncode:
        raise BenchmarkError(f"pip could not install {OCA_SLA_REQUIREMENT}")
    return ensure_oca_sla(python)


class Steps:
    """Say what runs, and keep how long each step took."""

    def __init__(self):
        self.started = time.monotonic()
        self.seconds = {}

    def run(self, label, function, *args, **kwargs):
        say(f"{label} ...")
        started = time.monotonic()
        result = function(*args, **kwargs)
        self.seconds[label] = round(time.monotonic() - started, 1)
        say(f"{label}: {self.seconds[label]:.0f} s (total {time.monotonic() - self.started:.0f} s)")
        return result


def median(values):
    values = sorted(values)
    return harness.percentile(values, 0.5) if values else None


def create_runs(bench, steps, keys, args, size_label):
    """Interleaved creation runs: run 1 in each database, then run 2 in each... -> {key: [results]}.

    A key is a database, or "database:variant" (see _sla_in_odoo.create). The databases start alike: compacted
    once (our setup rewrote every open ticket to start its timers, the others' did not), vacuumed before each
    run (each run leaves its rolled-back rows behind, and ours is also used by the stubbed variant)."""
    results = {key: [] for key in keys}
    for database in dict.fromkeys(key.partition(":")[0] for key in keys):
        bench.vacuum(database, full=True)
    for run in range(args.create_runs):
        for key in keys:
            database, _, variant = key.partition(":")
            bench.vacuum(database)
            results[key].append(steps.run(
                f"{size_label}: create {args.create} tickets in {key}, run {run + 1}/{args.create_runs}",
                bench.run_in_odoo, IN_ODOO, "create", database, count=args.create, batch=args.batch,
                seed=args.seed + 100 * run, single=args.single, capture_sql=run == 0 and not variant,
                variant=variant or "normal",
            ))  # fmt: skip
    return results


def creation_summary(results):
    """Medians per key, and the median of the ratios to helpdesk_mgmt alone's run made just before (runs are
    interleaved, so each pair saw about the same machine: less noisy than the ratio of the medians)."""
    alone = [run["tickets_per_second"] for run in results[DB_ALONE]]
    return {
        key: {
            "paired_ratio_to_alone": round(
                median([run["tickets_per_second"] / base for run, base in zip(runs, alone, strict=True)]), 3
            ),
            "tickets_per_second_runs": [run["tickets_per_second"] for run in runs],
            "tickets_per_second": round(median([run["tickets_per_second"] for run in runs]), 2),
            "tickets_per_odoo_cpu_second_runs": [run["tickets_per_odoo_cpu_second"] for run in runs],
            "tickets_per_odoo_cpu_second": round(median([run["tickets_per_odoo_cpu_second"] for run in runs]), 2),
            "single_ticket_queries": median([run["single_ticket_queries"] for run in runs]),
            "single_ticket_ms": median([run["single_ticket_ms"] for run in runs]),
            "queries_per_ticket_in_batches": median([run["queries_per_ticket_in_batches"] for run in runs]),
            "open_tickets_before": runs[0]["open_tickets_before"],
            "one_ticket_sql": runs[0]["one_ticket_sql"],
        }
        for key, runs in results.items()
    }


def extra_queries(create, database):
    """The queries one ticket creation runs in `database` and not with helpdesk_mgmt alone: [(count, text)]."""
    ours, alone = create[database].get("one_ticket_sql"), create[DB_ALONE].get("one_ticket_sql")
    if ours is None or alone is None:
        return None
    extra = Counter(ours) - Counter(alone)
    return [(count, text) for text, count in extra.most_common()]


def save_profile(name, label, text):
    path = harness.LOGS_DIR / f"{name}-profile-{label}.txt"
    path.write_text(text or "")
    say(f"profile of {label} written to {path.relative_to(harness.ROOT)}")
    return str(path.relative_to(harness.ROOT))


def measure(bench, steps, args, name):
    """Everything, in order; returns the figures."""
    figures = {"sizes": {}}
    bench.install(DB_ALONE, ["helpdesk_mgmt", "resource"])
    figures["base_data"] = steps.run(
        f"building the data in {DB_ALONE}: {args.tickets:,} open tickets", bench.run_in_odoo, IN_ODOO,
        "prepare_base", DB_ALONE, tickets=args.tickets, partners=PARTNERS, agents=TEAMS_AGENTS, seed=args.seed,
    )  # fmt: skip
    bench.copy_database(DB_ALONE, DB_OURS)
    bench.copy_database(DB_ALONE, DB_OCA)
    steps.run(f"installing cc_sla in {DB_OURS}", bench.install, DB_OURS, ["cc_sla"])
    steps.run(f"installing helpdesk_mgmt_sla in {DB_OCA}", bench.install, DB_OCA, ["helpdesk_mgmt_sla"])
    bench.run_in_odoo(IN_ODOO, "setup_ours", DB_OURS)
    figures["apply_ours"] = steps.run(
        f"our timers for {args.tickets:,} open tickets (_cc_sla_apply)", bench.run_in_odoo, IN_ODOO,
        "apply_ours", DB_OURS, batch=args.apply_batch,
    )  # fmt: skip
    bench.run_in_odoo(IN_ODOO, "setup_oca", DB_OCA)
    figures["apply_oca"] = steps.run(
        f"OCA set_sla() over {args.tickets:,} open tickets", bench.run_in_odoo, IN_ODOO, "apply_oca", DB_OCA
    )
    figures["business_time"] = steps.run(
        "business-time deadlines", bench.run_in_odoo, IN_ODOO, "business_time", DB_OURS, starts=args.starts,
        calls=args.plan_hours_calls, seed=args.seed, runs=args.runs,
    )  # fmt: skip

    small = figures["sizes"]["small"] = {"open_tickets": args.tickets}
    creations = create_runs(bench, steps, [DB_ALONE, DB_OURS, STUB, DB_OCA], args, f"{args.tickets:,}")
    small["create"] = creation_summary(creations)
    small["job"] = steps.run(
        f"our scheduled job at {args.tickets:,}", bench.run_in_odoo, IN_ODOO, "cron", DB_OURS,
        share=args.due_share, runs=args.runs,
    )  # fmt: skip
    small["job_with_escalations"] = steps.run(
        f"our scheduled job at {args.tickets:,} with an escalation ladder", bench.run_in_odoo, IN_ODOO, "cron",
        DB_OURS, share=args.due_share, runs=1, escalations=True,
    )  # fmt: skip
    small["oca_recompute"] = steps.run(
        f"OCA stored SLA fields recomputed at {args.tickets:,}", bench.run_in_odoo, IN_ODOO, "oca_recompute",
        DB_OCA, runs=args.runs, batch=args.apply_batch,
    )  # fmt: skip

    if args.large:
        large = figures["sizes"]["large"] = {"open_tickets": args.large}
        scale = args.large / args.tickets
        estimate = (figures["apply_oca"]["seconds"] + small["oca_recompute"]["median_seconds"]) * scale
        large["oca_skipped"] = None
        if estimate > args.oca_large_limit:
            large["oca_skipped"] = (
                f"skipped (would take ~{estimate / 60:.0f} min: OCA set_sla() took "
                f"{figures['apply_oca']['seconds']:.0f} s at {args.tickets:,} open tickets, scaled linearly; "
                f"the baseline saw worse than linear)"
            )
            say(f"OCA at {args.large:,}: {large['oca_skipped']}")
        large["grow_alone"] = steps.run(
            f"{DB_ALONE}: growing to {args.large:,} open tickets by SQL", bench.run_in_odoo, IN_ODOO, "grow",
            DB_ALONE, target=args.large, seed=args.seed,
        )  # fmt: skip
        large["grow_ours"] = steps.run(
            f"{DB_OURS}: growing to {args.large:,} open tickets by SQL", bench.run_in_odoo, IN_ODOO, "grow",
            DB_OURS, target=args.large, seed=args.seed,
        )  # fmt: skip
        large["apply_ours"] = steps.run(
            f"our timers for the {large['grow_ours']['added']:,} new tickets (_cc_sla_apply)", bench.run_in_odoo,
            IN_ODOO, "apply_ours", DB_OURS, batch=args.apply_batch,
        )  # fmt: skip
        databases = [DB_ALONE, DB_OURS]
        if not large["oca_skipped"]:
            large["grow_oca"] = bench.run_in_odoo(IN_ODOO, "grow", DB_OCA, target=args.large, seed=args.seed)
            large["apply_oca"] = steps.run(
                f"OCA set_sla() at {args.large:,}", bench.run_in_odoo, IN_ODOO, "apply_oca", DB_OCA
            )
            databases.append(DB_OCA)
        creations = create_runs(bench, steps, databases, args, f"{args.large:,}")
        large["create"] = creation_summary(creations)
        large["job"] = steps.run(
            f"our scheduled job at {args.large:,}", bench.run_in_odoo, IN_ODOO, "cron", DB_OURS,
            share=args.due_share, runs=args.runs,
        )  # fmt: skip
        if not large["oca_skipped"]:
            large["oca_recompute"] = steps.run(
                f"OCA stored SLA fields recomputed at {args.large:,}", bench.run_in_odoo, IN_ODOO,
                "oca_recompute", DB_OCA, runs=args.runs, batch=args.apply_batch,
            )  # fmt: skip

    profile_missed_targets(bench, steps, args, name, figures)
    return figures


def profile_missed_targets(bench, steps, args, name, figures):
    """Run once more under cProfile what missed its target; keep the profiles' paths in `figures`."""
    profiles = figures["profiles"] = {}
    if args.profile == "never":
        return
    sizes = figures["sizes"]
    last = sizes.get("large") or sizes["small"]
    creation_missed = any(
        creation_share(size) is not None and creation_share(size) < TARGET_CREATE_SHARE for size in sizes.values()
    )
    if creation_missed or args.profile == "always":
        result = steps.run(
            f"profiling the creation of {args.create} tickets in {DB_OURS}", bench.run_in_odoo, IN_ODOO, "create",
            DB_OURS, count=args.create, batch=args.batch, seed=args.seed, single=1, profile=True,
        )  # fmt: skip
        profiles["create_ours"] = save_profile(name, "create-ours", result["profile"])
        result = steps.run(
            f"profiling the creation of {args.create} tickets in {DB_ALONE}", bench.run_in_odoo, IN_ODOO,
            "create", DB_ALONE, count=args.create, batch=args.batch, seed=args.seed, single=1, profile=True,
        )  # fmt: skip
        profiles["create_alone"] = save_profile(name, "create-alone", result["profile"])
    # The job is cheap to profile: always, at the last size, to show where its time goes.
    result = steps.run(
        f"profiling our scheduled job at {last['open_tickets']:,}", bench.run_in_odoo, IN_ODOO, "cron",
        DB_OURS, share=args.due_share, runs=1, profile=True,
    )  # fmt: skip
    profiles["job_ours"] = save_profile(name, "job-ours", result["profile"])


def creation_share(size):
    create = size.get("create", {})
    if DB_OURS not in create or DB_ALONE not in create:
        return None
    return create[DB_OURS]["tickets_per_second"] / create[DB_ALONE]["tickets_per_second"]


def table_rows(figures, args):
    """(figure, ours, peer, ratio, target, verdict) rows."""
    rows = []
    for key, size in figures["sizes"].items():
        label = f"{size['open_tickets']:,} open"
        create = size["create"]
        ours, alone = create[DB_OURS]["tickets_per_second"], create[DB_ALONE]["tickets_per_second"]
        share = ours / alone
        rows.append((
            f"{label}: create {args.create:,} tickets, tickets/s, vs helpdesk_mgmt alone",
            f"{ours:.1f}", f"{alone:.1f}", f"{share:.2f}", f">= {TARGET_CREATE_SHARE:.2f}",
            harness.verdict(share, TARGET_CREATE_SHARE, higher_is_better=True),
        ))  # fmt: skip
        if DB_OCA in create:
            oca = create[DB_OCA]["tickets_per_second"]
            rows.append((f"{label}: create, tickets/s, vs helpdesk_mgmt_sla", f"{ours:.1f}", f"{oca:.1f}",
                         f"{ours / oca:.2f}", "reference", ""))  # fmt: skip
        else:
            rows.append((f"{label}: create, tickets/s, vs helpdesk_mgmt_sla", f"{ours:.1f}",
                         size.get("oca_skipped") or "skipped", "", "reference", ""))  # fmt: skip
        queries = f"{create[DB_ALONE]['single_ticket_queries']:.0f}"
        if DB_OCA in create:
            queries += f" / OCA {create[DB_OCA]['single_ticket_queries']:.0f}"
        ours_queries = create[DB_OURS]["single_ticket_queries"]
        rows.append((f"{label}: queries to create one ticket (alone / OCA)", f"{ours_queries:.0f}", queries,
                     f"{ours_queries / create[DB_ALONE]['single_ticket_queries']:.2f}", "", ""))  # fmt: skip
        cpu_ours, cpu_alone = (create[database]["tickets_per_odoo_cpu_second"] for database in (DB_OURS, DB_ALONE))
        rows.append((
            f"{label}: create, tickets per CPU-second of the Odoo process, vs helpdesk_mgmt alone",
            f"{cpu_ours:.1f}", f"{cpu_alone:.1f}", f"{cpu_ours / cpu_alone:.2f}", "diagnostic", "",
        ))  # fmt: skip
        if STUB in create:
            stub = create[STUB]["tickets_per_second"]
            rows.append((
                f"{label}: create, tickets/s, ours with _cc_sla_apply stubbed out (the rest of our stack)",
                f"{stub:.1f}", f"{alone:.1f}", f"{stub / alone:.2f}", "diagnostic", "",
            ))  # fmt: skip
        job = size["job"]
        moved = f"{job['timers_moved']:,} of {job['active_timers']:,} timers due"
        if "oca_recompute" in size:
            oca = size["oca_recompute"]["median_seconds"]
            speedup = oca / job["median_seconds"]
            rows.append((
                f"{label}: scheduled job, one run ({moved}) vs OCA stored-SLA recompute "
                f"(batches of {size['oca_recompute']['batch_tickets']:,} tickets)",
                f"{job['median_seconds']:.3f} s", f"{oca:.2f} s", f"{speedup:.0f}x", f">= {TARGET_JOB_SPEEDUP}x",
                harness.verdict(speedup, TARGET_JOB_SPEEDUP, higher_is_better=True),
            ))  # fmt: skip
            one_shot = size["oca_recompute"].get("one_shot_median_seconds")
            if one_shot:
                rows.append((
                    f"{label}: scheduled job vs OCA stored-SLA recompute, all rows at once",
                    f"{job['median_seconds']:.3f} s", f"{one_shot:.2f} s",
                    f"{one_shot / job['median_seconds']:.0f}x", "reference", "",
                ))  # fmt: skip
        else:
            rows.append((
                f"{label}: scheduled job, one run ({moved}) vs OCA stored-SLA recompute",
                f"{job['median_seconds']:.3f} s", size.get("oca_skipped") or "skipped", "", "", "",
            ))  # fmt: skip
        apply_oca = size.get("apply_oca") or (figures["apply_oca"] if key == "small" else None)
        if apply_oca:
            rows.append((
                f"{label}: scheduled job vs OCA set_sla() over all open tickets",
                f"{job['median_seconds']:.3f} s", f"{apply_oca['seconds']:.1f} s",
                f"{apply_oca['seconds'] / job['median_seconds']:.0f}x", "reference", "",
            ))  # fmt: skip
        if size["open_tickets"] == 10_000:
            rows.append((
                f"{label}: scheduled job vs OCA recompute in perf-baseline.md",
                f"{job['median_seconds']:.3f} s", f"{BASELINE_DOC['oca_recompute_seconds']:.1f} s",
                f"{BASELINE_DOC['oca_recompute_seconds'] / job['median_seconds']:.0f}x", "reference", "",
            ))  # fmt: skip
        if key == "large":
            rows.append((
                f"{label}: scheduled job, one run, absolute", f"{job['median_seconds']:.3f} s", "", "",
                f"< {TARGET_JOB_LARGE_SECONDS:.0f} s", harness.verdict(job["median_seconds"], TARGET_JOB_LARGE_SECONDS),
            ))  # fmt: skip
        if "job_with_escalations" in size:
            escalated = size["job_with_escalations"]
            rows.append((
                f"{label}: scheduled job with an escalation ladder ({escalated['escalations_fired']:,} fired)",
                f"{escalated['median_seconds']:.2f} s", "OCA: none", "", "diagnostic", "",
            ))  # fmt: skip
    apply_ours, apply_oca = figures["apply_ours"], figures["apply_oca"]
    rows.append((
        f"{args.tickets:,} open: SLA applied to every open ticket, tickets/s (_cc_sla_apply / set_sla)",
        f"{apply_ours['tickets_per_second']:.0f}", f"{apply_oca['tickets_per_second']:.0f}",
        f"{apply_ours['tickets_per_second'] / apply_oca['tickets_per_second']:.0f}x", "reference", "",
    ))  # fmt: skip
    business = figures["business_time"]
    speedup = business["ours_warm_per_second"] / business["plan_hours_per_second"]
    rows.append((
        f"business-time deadlines/s: BusinessCalendar.deadlines ({business['starts']:,}) vs plan_hours per ticket",
        f"{business['ours_warm_per_second']:,}", f"{business['plan_hours_per_second']:,.0f}", f"{speedup:,.0f}x",
        f">= {TARGET_DEADLINE_SPEEDUP}x", harness.verdict(speedup, TARGET_DEADLINE_SPEEDUP, higher_is_better=True),
    ))  # fmt: skip
    rows.append((
        "business-time deadlines/s, cold (calendar read from the database first)",
        f"{business['ours_cold_per_second']:,}", f"{business['plan_hours_per_second']:,.0f}",
        f"{business['ours_cold_per_second'] / business['plan_hours_per_second']:,.0f}x", "reference", "",
    ))  # fmt: skip
    rows.append((
        "business-time: same deadline as plan_hours", f"{business['agree_with_plan_hours']:,}",
        f"of {business['plan_hours_calls']:,}", "", "all", "PASS" if business["agree_with_plan_hours"] ==
        business["plan_hours_calls"] else "FAIL",
    ))  # fmt: skip
    return rows


def print_diagnostics(figures):
    base, ours = figures["base_data"], figures["apply_ours"]
    say(f"base data: {base['open_tickets']:,} open tickets loaded at {base['ticket_load_per_second']}/s through "
        f"the ORM (tracking off), {base['teams']} teams, {base['agents']} agents, {base['partners']:,} customers, "
        f"{base['calendar_leaves']} public holidays")  # fmt: skip
    say(f"our timers: {ours['tickets']:,} tickets in {ours['seconds']:.1f} s ({ours['queries_per_ticket']} "
        f"queries/ticket); timers by state {ours['timers_by_state']}")  # fmt: skip
    oca = figures["apply_oca"]
    say(f"OCA set_sla(): {oca['tickets']:,} tickets in {oca['seconds']:.1f} s ({oca['queries_per_ticket']} "
        f"queries/ticket); SLA rows by state {oca['sla_rows_by_state']}")  # fmt: skip
    for size in figures["sizes"].values():
        job = size["job"]
        say(f"{size['open_tickets']:,} open: job runs {job['runs_seconds']} s, {job['queries']} queries, clock "
            f"moved {job['clock_moved_by_minutes']} min, {job['timers_moved']} timers moved")  # fmt: skip
        for database, create in size["create"].items():
            say(f"{size['open_tickets']:,} open: create in {LABELS[database]}: runs {create['tickets_per_second_runs']}"
                f" tickets/s (median of the ratios to alone's run just before: {create['paired_ratio_to_alone']}), "
                f"{create['tickets_per_odoo_cpu_second_runs']} per Odoo CPU-second; one ticket "
                f"{create['single_ticket_queries']} queries, {create['single_ticket_ms']} ms; "
                f"{create['queries_per_ticket_in_batches']} queries/ticket in batches")  # fmt: skip
        for database in (DB_OURS, DB_OCA):
            extra = size["create"].get(database) and extra_queries(size["create"], database)
            if extra:
                say(f"{size['open_tickets']:,} open: queries creating one ticket in {LABELS[database]} and not in "
                    f"{LABELS[DB_ALONE]} ({sum(count for count, _ in extra)}):")  # fmt: skip
                for count, text in extra[:25]:
                    print(f"    {count:3d} x {text}")
        if "oca_recompute" in size:
            recompute = size["oca_recompute"]
            say(f"{size['open_tickets']:,} open: OCA recompute runs {recompute['runs_seconds']} s in batches, "
                f"{recompute['one_shot_runs_seconds']} s all at once, over {recompute['sla_rows']:,} SLA rows, "
                f"{recompute['queries']} queries")  # fmt: skip
    business = figures["business_time"]
    say(f"business time: plan_hours {business['plan_hours_ms_per_call']} ms and "
        f"{business['plan_hours_queries_per_call']} queries per call; ours one at a time "
        f"{business['ours_one_by_one_per_second']:,}/s; disagreements {business['disagreements']}")  # fmt: skip


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=10_000, help="open tickets in every database")
    parser.add_argument("--large", type=int, default=100_000, help="open tickets of the second size (0: skip)")
    parser.add_argument("--create", type=int, default=1000, help="tickets created per creation run")
    parser.add_argument("--batch", type=int, default=100, help="tickets per create() call")
    parser.add_argument("--single", type=int, default=10, help="one-ticket creations whose queries are counted")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--create-runs", type=int, default=5, help="creation runs per database (median)")
    parser.add_argument("--apply-batch", type=int, default=1000, help="tickets per _cc_sla_apply() call")
    parser.add_argument("--due-share", type=float, default=0.03, help="share of active timers due in the job run")
    parser.add_argument("--starts", type=int, default=100_000, help="deadlines computed by BusinessCalendar")
    parser.add_argument("--plan-hours-calls", type=int, default=2000, help="resource.calendar.plan_hours calls")
    parser.add_argument(
        "--oca-large-limit", type=float, default=600, help="skip OCA at --large if its estimate exceeds this (s)"
    )
    parser.add_argument("--profile", default="auto", choices=("auto", "always", "never"),
                        help="profile with cProfile what misses its target (auto), everything, or nothing")  # fmt: skip
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--tag", help="name a variant: its results go to results/sla-TAG-<date>.json")
    args = parser.parse_args()
    if args.tickets < 100 or args.create < 1 or args.runs < 1 or (args.large and args.large <= args.tickets):
        parser.error("--tickets >= 100, --create >= 1, --runs >= 1, and --large (if any) above --tickets, please")
    return args


def run(args):
    name = f"sla-{args.tag}" if args.tag else "sla"
    steps = Steps()
    python = harness.cc.ensure_venv()
    oca_version = ensure_oca_sla(python)
    with harness.OdooBench(name) as bench:
        figures = measure(bench, steps, args, name)
    rows = table_rows(figures, args)
    headers = ("figure", "ours", "peer", "ratio", "target", "verdict")
    print()
    harness.print_table(rows, headers=headers)
    print()
    print_diagnostics(figures)
    options = vars(args)
    table = [dict(zip(headers, row, strict=True)) for row in rows]
    path = harness.write_results(
        name,
        {
            "options": options,
            "oca_helpdesk_mgmt_sla": oca_version,
            "how": {
                "base_tickets": "ORM create in batches of 1,000, tracking_disable/mail_create_nolog/mail_notrack/"
                "mail_create_nosubscribe, creation dates spread over 60 days by one UPDATE",
                "large_tickets": "SQL INSERT ... SELECT over generate_series: copies of the open tickets with a new "
                "number, creation date, priority and open stage",
                "our_timers": "tickets._cc_sla_apply(now) in batches, then cc_sla_agent_responded(now) for tickets "
                "In Progress or Awaiting, then one _cron_check_timers() run",
                "job_clock": "fields.Datetime.now patched to the moment when --due-share of the active timers "
                "have crossed a threshold since the last run; each run rolled back to a savepoint",
                "oca_recompute": "env.add_to_compute(hours, expected_stage_id, last_state_date, state, deadline) "
                "on the helpdesk.ticket.sla rows of the open tickets, then flush_all(), cold cache; in batches of "
                "--apply-batch tickets (the comparator), and all at once (reference)",
                "create": "as the agents (helpdesk team users; in ours also contact center agents), batches of "
                "--batch, cr.flush() (ORM flush + precommit hooks) after each, rolled back; every database VACUUM "
                "FULL ANALYZE once before the first run, VACUUM ANALYZE before each run; Odoo CPU-seconds are the "
                "Odoo process's CPU time (PostgreSQL's excluded): less sensitive to a busy machine",
            },
            "steps_seconds": steps.seconds,
            "figures": figures,
            "table": table,
        },
    )
    say(f"results written to {path.relative_to(harness.ROOT)} (total {time.monotonic() - steps.started:.0f} s)")
    if warning := harness.busy_machine_warning():
        say(f"warning: {warning}")
    return 1 if any(row[5] == "FAIL" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(harness.main(parse_args, run))
