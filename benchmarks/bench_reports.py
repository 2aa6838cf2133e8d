#!/usr/bin/env python3
"""Benchmark: the KPI refresh, the KPI service and the supervisor dashboard (cc_reports) on 1,000,000 interactions.

    python3 benchmarks/bench_reports.py [--interactions 1000000] [--tickets 200000] [--runs 5]

By itself: the project's venv, a throwaway PostgreSQL, a database with cc_reports (hence cc_omnichannel and
cc_sla), no demo data. Built in bulk SQL (INSERT ... SELECT over generate_series, random but seeded) over the
last --days days: 20 agents in four teams, 7 channels (voice, SMS, WhatsApp, email, live chat, Telegram, web
form), --partners customers, --tickets tickets (85 % solved within 5 days), --interactions interactions (4 in 5
inbound: answered after a skewed wait, or missed), SLA timers (first response, resolution) on --timer-share of
the tickets (met, late, breached, running, at risk), CSAT and NPS surveys on --survey-share of the solved
tickets, --upsell-flags upsell prompts of which one in five was won with its opportunity: every source of the
KPIs has data. Then a full refresh of the KPI facts (contact rows, their sums per hour and day, ticket rows,
SLA outcomes; timed, for information) and ANALYZE.

Inside Odoo, in a transaction rolled back, as the administrator (a contact center manager: the whole company):

1. `cc.kpi.contact.refresh()` after --new-interactions new contacts (received in the last hour, written now;
   inserted in SQL, untimed): median of --refresh-runs, each rolled back to a savepoint; the time of each of its
   statements and the plan of the slowest.
2. `cc.kpi.compute(first of last month, first of this month, groupby=['team_id', 'channel_type'])`, warm
   (one call first), each call after an emptied ORM cache: median of --runs, queries, time per source (the
   refresh it starts with, the contact facts, FCR, surveys, SLA, backlog, upsell).
3. `cc.dashboard.dashboard_data('7d')` the same way (one refresh, the period's KPIs, the previous period's without
   the backlog, the trend from the contact sums only, the live panel): median of --runs, queries, and the first
   call of the process apart.

The three slowest statements of 2 and 3 are explained (EXPLAIN ANALYZE, BUFFERS): a summary here, the plans in
results/logs/reports-explain-*.txt. A part missing its target runs once more under cProfile
(results/logs/reports-profile-*.txt). Prints a table of figures against the issue's targets and writes
results/reports-<date>.json. Exits 1 when a target is missed, 2 when the benchmark itself failed.
"""

import argparse
import os
import sys
from pathlib import Path

import _harness as harness
from _harness import say

IN_ODOO = Path(__file__).resolve().with_name("_reports_in_odoo.py")
DATABASE = "bench_reports"
TARGET_REFRESH_MS = 1000
TARGET_COMPUTE_MS = 200
TARGET_DASHBOARD_MS = 300


def table_rows(facts, measured):
    refresh, compute, dashboard = measured["refresh"], measured["compute"], measured["dashboard"]
    return [
        (
            "full KPI refresh (all interactions), once",
            f"{facts['full_refresh_seconds'] * 1000:.0f} ms, {facts['counts']['kpi_contact_rows']:,} rows",
            "",
            "",
        ),
        (
            f"refresh after {refresh['new_interactions']:,} new interactions, median",
            f"{refresh['median_ms']:.0f} ms, {refresh['queries_median']:g} queries, "
            f"{refresh['rows_upserted'][0]:,} rows",
            f"< {TARGET_REFRESH_MS} ms",
            harness.verdict(refresh["median_ms"], TARGET_REFRESH_MS),
        ),
        ("refresh with nothing new", f"{refresh['nothing_new_ms']:.1f} ms", "", ""),
        (
            "compute(last month, by team and channel), median",
            f"{compute['median_ms']:.1f} ms, {compute['queries_median']:g} queries",
            f"< {TARGET_COMPUTE_MS} ms",
            harness.verdict(compute["median_ms"], TARGET_COMPUTE_MS),
        ),
        (
            "dashboard_data('7d'), median",
            f"{dashboard['median_ms']:.1f} ms, {dashboard['queries_median']:g} queries",
            f"< {TARGET_DASHBOARD_MS} ms",
            harness.verdict(dashboard["median_ms"], TARGET_DASHBOARD_MS),
        ),
        (
            "dashboard_data('7d'), first call of the process",
            f"{dashboard['first_call_ms']:.1f} ms, {dashboard['first_call_queries']} queries",
            "",
            "",
        ),
    ]


def print_diagnostics(facts, measured):
    say(f"data: {facts['counts']}")
    refresh = measured["refresh"]
    plan = refresh["upsert_plan"]
    say(
        f"refresh: runs {refresh['all_ms']} ms for {refresh['rows_upserted']} rows; upsert {plan['execution_ms']} ms, "
        f"{plan['top']}; reads: {summarize_scans(plan)} [{plan['file']}]"
    )
    for statement in refresh["statements_first_run"][:6]:
        say(f"  {statement['ms']} ms: {statement['query_start']}...")
    for name in ("compute", "dashboard"):
        figures = measured[name]
        sources = ", ".join(
            f"{source.lstrip('_')} {values['ms_median']:.1f} ms/{values['queries_median']:g} q"
            + (f" (x{values['calls_per_run']:g})" if values["calls_per_run"] != 1 else "")
            for source, values in figures["per_source"].items()
        )
        say(
            f"{name}: {figures['median_ms']} ms in Odoo (min {figures['min_ms']}, max {figures['max_ms']}), "
            f"{figures['sql_median_ms']} ms of it SQL; per part: {sources}"
        )
        for plan in figures["slowest_statements"]:
            hit, read = plan["buffers_hit_read"]
            serial = (
                f"; {plan['serial_execution_ms']} ms without parallel workers" if "serial_execution_ms" in plan else ""
            )
            say(
                f"  {plan['ms_in_run']} ms: {plan['query_start'][:90]}... -> {plan['top']}; "
                f"{summarize_scans(plan)}; buffers {hit} hit, {read} read{serial} [{plan['file']}]"
            )


def summarize_scans(plan, count=3):
    return "; ".join(
        f"{scan['scan']} {scan['rows']:,} rows{' (' + scan['in'] + ')' if scan['in'] != 'main' else ''}"
        for scan in plan["scans"][:count]
    )


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partners", type=int, default=20_000, help="customers")
    parser.add_argument("--interactions", type=int, default=1_000_000, help="interactions in all")
    parser.add_argument("--tickets", type=int, default=200_000, help="tickets in all")
    parser.add_argument("--days", type=int, default=180, help="the history the data spans, up to now")
    parser.add_argument("--timer-share", type=float, default=0.4, help="tickets with SLA timers")
    parser.add_argument("--survey-share", type=float, default=0.3, help="solved tickets with a survey")
    parser.add_argument("--upsell-flags", type=int, default=5000, help="upsell prompts (one in five won)")
    parser.add_argument("--new-interactions", type=int, default=10_000, help="new contacts before the refresh")
    parser.add_argument("--refresh-runs", type=int, default=3, help="timed refreshes (median)")
    parser.add_argument("--runs", type=int, default=5, help="timed compute and dashboard calls (median)")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--tag", help="name a variant: its results go to results/reports-TAG-<date>.json")
    args = parser.parse_args()
    if args.partners < 100 or args.interactions < 1000 or args.tickets < 100 or args.days < 40 or args.runs < 1:
        parser.error("--partners >= 100, --interactions >= 1000, --tickets >= 100, --days >= 40, --runs >= 1")
    return args


def run(args):
    """Prepare, measure, print and record; return the exit status."""
    name = f"reports-{args.tag}" if args.tag else "reports"
    load_at_start = [round(load, 2) for load in os.getloadavg()]
    profiles = {}
    with harness.OdooBench(name) as bench:
        bench.install(DATABASE, ["cc_reports"])
        say(
            f"preparing {args.partners:,} customers, {args.interactions:,} interactions, {args.tickets:,} tickets "
            f"over {args.days} days in bulk SQL, then a full KPI refresh (a few minutes)"
        )
        facts = bench.run_in_odoo(
            IN_ODOO, "prepare", DATABASE,
            partners=args.partners, interactions=args.interactions, tickets=args.tickets, days=args.days,
            timer_share=args.timer_share, survey_share=args.survey_share, upsell_flags=args.upsell_flags,
            seed=args.seed,
        )  # fmt: skip
        say(f"prepared in {sum(facts['prepare_seconds'].values()):.0f} s: {facts['prepare_seconds']}")
        say(
            f"timing refresh after {args.new_interactions:,} new interactions ({args.refresh_runs} runs), "
            f"compute and dashboard_data ({args.runs} runs each)"
        )
        measured = bench.run_in_odoo(
            IN_ODOO, "measure", DATABASE,
            new_interactions=args.new_interactions, refresh_runs=args.refresh_runs, runs=args.runs,
            explain_dir=str(harness.LOGS_DIR), explain_prefix=name,
        )  # fmt: skip
        rows = table_rows(facts, measured)
        missed = {"refresh": rows[1][3], "compute": rows[3][3], "dashboard": rows[4][3]}
        for what, outcome in missed.items():
            if outcome == "FAIL":
                say(f"{what} misses its target: once more under cProfile")
                profile = bench.run_in_odoo(
                    IN_ODOO, "profile", DATABASE, what=what, new_interactions=args.new_interactions
                )
                profiles[what] = harness.LOGS_DIR / f"{name}-profile-{what}.txt"
                profiles[what].write_text(profile["profile"])
    print()
    harness.print_table(rows)
    print()
    print_diagnostics(facts, measured)
    for what, path in profiles.items():
        say(f"profile of {what}: {path.relative_to(harness.ROOT)}")
    table = [dict(zip(("figure", "ours", "target", "verdict"), row, strict=True)) for row in rows]
    path = harness.write_results(
        name,
        {
            "options": vars(args),
            "load_average_at_start": load_at_start,
            "data": facts,
            "measured": measured,
            "profiles": {what: str(path.relative_to(harness.ROOT)) for what, path in profiles.items()},
            "table": table,
        },
    )
    say(f"results written to {path.relative_to(harness.ROOT)}")
    if warning := harness.busy_machine_warning():
        say(f"warning: {warning}")
    return 1 if any(row[3] == "FAIL" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(harness.main(parse_args, run))
