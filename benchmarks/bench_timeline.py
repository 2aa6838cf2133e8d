#!/usr/bin/env python3
"""Benchmark: a customer's timeline (cc.timeline.item) with 50,000 items, and the upsell rules of an inbound contact.

    python3 benchmarks/bench_timeline.py [--interactions 1000000] [--tickets 100000] [--leads 50000] [--runs 5]

By itself: the project's venv, a throwaway PostgreSQL, a database with the whole suite (cc_reports, hence
cc_omnichannel and cc_sla: the timeline's survey branch is cc_reports'), no demo data. Built in bulk SQL
(INSERT ... SELECT over generate_series, random but seeded): 10 agents in two teams, 7 channels (voice, SMS,
WhatsApp, email, live chat, Telegram, web form), --partners customers with a phone identity, --tickets tickets
over two years (one message in each chatter, a stage change tracked on one closed ticket in three),
--leads leads and --interactions interactions. A company, Big Customer NV, has five contacts; one of them, Bea
Big, holds about 50,000 timeline items: --big-interactions contacts, --big-tickets tickets (opened, solved,
stage changes, messages), --big-leads leads, 200 upsell prompts and 300 answered surveys. Then ANALYZE.

Inside Odoo, in a transaction rolled back, each call after an emptied ORM cache as in a new request:

1. `cc.timeline.item.timeline_page` for Bea: page 1 and page --page (--page-size items each; the cursor is
   that of the last item of the pages before, where walking them ends: checked once by walking), without
   and with a channel filter (--channel-filter), and for the whole company; as a team agent and as the
   administrator (both non-superusers: the record rules of each source apply, inside its branch) and, for
   reference, as the superuser (the union alone). Median server time of --runs calls, its SQL time and its
   queries; then EXPLAIN (ANALYZE, BUFFERS) of each case's page query: a summary here, the plans in
   results/logs/timeline-explain-*.txt. Statements run under a --timeout statement_timeout, in savepoints: a
   page past it is reported as timed out (with its plan, not executed), and page --page is then not tried.
2. The processing of a stored inbound SMS (`cc.inbound.processor.process_event`, as the background job runs
   it: parsed, customer found, ticket created and routed, upsell rules evaluated, then the transaction flushed
   with its pre-commit hooks as the job's commit would; storing the payload is untimed), from --contacts
   different customers with no active inbound rule and as many with --rules rules (keywords, customer domains,
   channels, contact counts over windows, salespeople), in alternating blocks; `cc.upsell.rule.evaluate`
   timed on its own too. Then --big-contacts contacts from Bea Big with the rules active. When the target is
   missed, evaluate runs once more under cProfile (results/logs/timeline-upsell-profile.txt).

Prints a table of figures against the issue's targets and writes results/timeline-<date>.json. Exits 1 when a
target is missed, 2 when the benchmark itself failed.
"""

import argparse
import os
import sys
from pathlib import Path

import _harness as harness
from _harness import say

IN_ODOO = Path(__file__).resolve().with_name("_timeline_in_odoo.py")
DATABASE = "bench_timeline"
TARGET_PAGE_MS = 20
TARGET_PAGE_QUERIES = 3
TARGET_RULES_ADDED_MS = 5
USERS = {"agent": "agent", "admin": "admin", "superuser": "superuser (no access check)"}  # as the table says
CASES = ("contact", "contact, channel filter", "whole company")


def page_rows(pages, page_number):
    rows = []
    for user, label in USERS.items():
        for case in CASES:
            for number in (1, page_number):
                result = next(
                    (r for r in pages["results"] if r["user"] == user and r["case"] == case and r["page"] == number),
                    None,
                )
                if result is None:
                    continue
                if result["timed_out"]:
                    ours = (
                        f"> {result['timeout_s']:g} s (timed out)"
                        if result["tried"]
                        else f"not run: pages 1-{page_number - 1} at once took > {result['timeout_s']:g} s"
                    )
                else:
                    ours = f"{result['median_ms']:.1f} ms, {result['queries_median']:g} queries"
                if user == "superuser":
                    rows.append((f"{label}: {case}, page {number}", ours, "", ""))
                    continue
                passed = (
                    not result["timed_out"]
                    and result["median_ms"] < TARGET_PAGE_MS
                    and result["queries_max"] <= TARGET_PAGE_QUERIES
                )
                target = f"< {TARGET_PAGE_MS} ms, <= {TARGET_PAGE_QUERIES} queries"
                rows.append((f"{label}: {case}, page {number}", ours, target, "PASS" if passed else "FAIL"))
    return rows


def upsell_rows(upsell):
    rules = upsell["rules"]
    without, with_rules, added = upsell["without_rules"], upsell["with_rules"], upsell["added_ms"]
    rows = [
        (
            f"processing a stored inbound SMS, median: 0 -> {rules} rules",
            f"{without['processing_ms']['p50']:.1f} -> {with_rules['processing_ms']['p50']:.1f} ms",
            "",
            "",
        ),
        (
            f"queries per inbound SMS, median: 0 -> {rules} rules",
            f"{without['queries_median']:g} -> {with_rules['queries_median']:g}",
            "",
            "",
        ),
        (
            f"{rules} rules: added to an inbound contact, median (evaluate)",
            f"{added['evaluate_median']:.2f} ms",
            f"< {TARGET_RULES_ADDED_MS} ms",
            harness.verdict(added["evaluate_median"], TARGET_RULES_ADDED_MS),
        ),
        (
            f"{rules} rules: added, mean / p95 (evaluate)",
            f"{added['evaluate_mean']:.2f} / {added['evaluate_p95']:.2f} ms",
            "",
            "",
        ),
    ]
    no_flag = with_rules["evaluate_ms_no_flag"]
    if no_flag:
        rows.append(
            (
                f"{rules} rules: evaluate when no rule matched, median",
                f"{no_flag['p50']:.2f} ms, {with_rules['evaluate_queries_no_flag_median']:g} queries",
                f"< {TARGET_RULES_ADDED_MS} ms",
                harness.verdict(no_flag["p50"], TARGET_RULES_ADDED_MS),
            )
        )
    flagged = with_rules["evaluate_ms_flagged"]
    if flagged:
        rows.append(
            (
                f"{rules} rules: evaluate when prompts were raised, median",
                f"{flagged['p50']:.2f} ms ({with_rules['contacts_raising_flags']} of {with_rules['contacts']} "
                f"contacts, {with_rules['flags_raised']} prompts)",
                "",
                "",
            )
        )
    big = upsell["big_customer"]
    if big:
        rows.append(
            (
                f"{rules} rules, Bea Big's contacts: evaluate median",
                f"{big['evaluate_ms']['p50']:.2f} ms, {big['evaluate_queries_median']:g} queries",
                f"< {TARGET_RULES_ADDED_MS} ms",
                harness.verdict(big["evaluate_ms"]["p50"], TARGET_RULES_ADDED_MS),
            )
        )
    return rows


def print_diagnostics(facts, pages, upsell, page_number):
    counts = facts["counts"]
    say(
        f"Bea Big's timeline: {counts['timeline_items_bea']:,} items {counts['timeline_items_bea_by_kind']}; "
        f"her company's: {counts['timeline_items_company']:,}"
    )
    walk = pages["walk"]
    if walk:
        say(
            f"cursor check: walking {walk['pages_walked']} pages one by one (superuser, median "
            f"{walk['page_ms_median']} ms a page) reaches the cursor used for page {page_number}: {walk['same_cursor']}"
        )
    say("where a page's time goes: PostgreSQL's plan of the page query (EXPLAIN ANALYZE), largest reads first")
    for key, plan in pages["plans"].items():
        result = next(r for r in pages["results"] if f"{r['user']} | {r['case']} | page {r['page']}" == key)
        scans = "; ".join(
            f"{scan['scan']} {scan['rows']:,} rows{' (' + scan['in'] + ')' if scan['in'] != 'main' else ''}"
            for scan in plan["scans"][:3]
        )
        unhashed = [
            f"{subplan['name']} ({subplan['node']}, {subplan['rows']:,} rows) not hashed: scanned again for each row"
            for subplan in plan["subplans"]
            if not subplan["hashed"]
        ]
        if result["timed_out"]:
            head = f"timed out after {result['timeout_s']:g} s"
        else:
            head = (
                f"{result['median_ms']} ms in Odoo, {result['sql_median_ms']} ms of it SQL, queries "
                f"{result['query_ms']} ms"
            )
        if plan["executed"]:
            head += (
                f"; page query {plan['execution_ms']} ms (+{plan['planning_ms']} ms planning), "
                f"{plan['rows_read']:,} rows read"
            )
        else:
            head += f"; its plan, not executed (estimated cost {plan['estimated_cost']:,.0f}, rows are estimates)"
        say(f"  {key}: {head}, {plan['top']}; {scans}{'; ' if unhashed else ''}{'; '.join(unhashed)} [{plan['file']}]")
    with_rules = upsell["with_rules"]
    say(
        f"upsell: {with_rules['contacts_raising_flags']} of {with_rules['contacts']} contacts raised "
        f"{with_rules['flags_raised']} prompts with {upsell['rules']} rules; evaluate ran "
        f"{upsell['without_rules']['evaluate_queries_median']:g} -> {with_rules['evaluate_queries_median']:g} queries "
        f"(median; max {with_rules['evaluate_queries_max']})"
    )


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partners", type=int, default=20_000, help="customers")
    parser.add_argument("--interactions", type=int, default=1_000_000, help="interactions in all")
    parser.add_argument("--tickets", type=int, default=100_000, help="tickets in all")
    parser.add_argument("--leads", type=int, default=50_000, help="leads in all")
    parser.add_argument("--big-interactions", type=int, default=35_000, help="Bea Big's interactions")
    parser.add_argument("--big-tickets", type=int, default=4_000, help="Bea Big's tickets")
    parser.add_argument("--big-leads", type=int, default=1_500, help="Bea Big's leads")
    parser.add_argument("--page-size", type=int, default=40, help="items per page (the web client's)")
    parser.add_argument("--page", type=int, default=20, help="the deep page measured besides the first")
    parser.add_argument("--channel-filter", default="sms,whatsapp", help="channel types of the filtered pages")
    parser.add_argument("--runs", type=int, default=5, help="timed calls per page (median)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=20,
        help="statement_timeout of the page queries, seconds (a case past it fails)",
    )
    parser.add_argument("--contacts", type=int, default=200, help="inbound SMS without rules, and as many with")
    parser.add_argument("--rules", type=int, default=50, help="active inbound upsell rules")
    parser.add_argument("--blocks", type=int, default=4, help="alternations between 0 and --rules rules")
    parser.add_argument("--big-contacts", type=int, default=20, help="inbound SMS from Bea Big, rules active")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--tag", help="name a variant: its results go to results/timeline-TAG-<date>.json")
    args = parser.parse_args()
    args.channel_filter = [code.strip() for code in args.channel_filter.split(",") if code.strip()]
    smallest = {"partners": 100, "page_size": 1, "page": 2, "runs": 1, "contacts": 1, "blocks": 1}
    if any(getattr(args, name) < low for name, low in smallest.items()):
        parser.error(f"minimums: {smallest}")
    big = args.big_interactions + 500 * 4, args.big_tickets + 50 * 4, args.big_leads
    if args.interactions < big[0] or args.tickets < big[1] or args.leads < big[2]:
        parser.error("--interactions, --tickets and --leads must hold Big Customer NV's share")
    return args


def run(args):
    """Prepare, measure, print and record; return the exit status."""
    name = f"timeline-{args.tag}" if args.tag else "timeline"
    load_at_start = [round(load, 2) for load in os.getloadavg()]
    with harness.OdooBench(name) as bench:
        bench.install(DATABASE, ["cc_reports"])
        say(
            f"preparing {args.partners:,} customers, {args.interactions:,} interactions, {args.tickets:,} tickets, "
            f"{args.leads:,} leads in bulk SQL (a few minutes)"
        )
        facts = bench.run_in_odoo(
            IN_ODOO, "prepare", DATABASE,
            partners=args.partners, interactions=args.interactions, tickets=args.tickets, leads=args.leads,
            big_interactions=args.big_interactions, big_tickets=args.big_tickets, big_leads=args.big_leads,
            seed=args.seed,
        )  # fmt: skip
        say(f"prepared in {sum(facts['prepare_seconds'].values()):.0f} s: {facts['counts']}")
        say(f"timing timeline_page: pages 1 and {args.page}, {args.runs} runs each, agent / admin / superuser")
        pages = bench.run_in_odoo(
            IN_ODOO, "pages", DATABASE,
            partner_id=facts["partner_id"],
            agent_login=facts["agent_login"], page_size=args.page_size, page=args.page,
            channel_filter=args.channel_filter, runs=args.runs, timeout=args.timeout, explain_dir=str(harness.LOGS_DIR),
            explain_prefix=name,
        )  # fmt: skip
        say(f"timing {2 * args.contacts} stored inbound SMS processed, with 0 and {args.rules} upsell rules")
        upsell = bench.run_in_odoo(
            IN_ODOO, "upsell", DATABASE,
            sms_channel_id=facts["sms_channel_id"], partner_id=facts["partner_id"], customers=args.partners,
            contacts=args.contacts, rules=args.rules, blocks=args.blocks, big_contacts=args.big_contacts,
            seed=args.seed,
        )  # fmt: skip
        rows = page_rows(pages, args.page) + upsell_rows(upsell)
        profile_path = None
        if any(row[3] == "FAIL" for row in upsell_rows(upsell)):
            say("the upsell target is missed: evaluate once more under cProfile")
            profile = bench.run_in_odoo(
                IN_ODOO, "profile_upsell", DATABASE,
                sms_channel_id=facts["sms_channel_id"], partner_id=facts["partner_id"], customers=args.partners,
                rules=args.rules, contacts=min(args.contacts, 60), big_contacts=min(args.big_contacts, 5),
                seed=args.seed,
            )  # fmt: skip
            profile_path = harness.LOGS_DIR / f"{name}-upsell-profile.txt"
            profile_path.write_text(profile["profile"])
    print()
    harness.print_table(rows)
    print()
    print_diagnostics(facts, pages, upsell, args.page)
    if profile_path:
        say(f"profile of evaluate: {profile_path.relative_to(harness.ROOT)}")
    options = dict(vars(args))
    table = [dict(zip(("figure", "ours", "target", "verdict"), row, strict=True)) for row in rows]
    path = harness.write_results(
        name,
        {
            "options": options,
            "load_average_at_start": load_at_start,
            "data": facts,
            "pages": pages,
            "upsell": upsell,
            "table": table,
        },
    )
    say(f"results written to {path.relative_to(harness.ROOT)}")
    if warning := harness.busy_machine_warning():
        say(f"warning: {warning}")
    return 1 if any(row[3] == "FAIL" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(harness.main(parse_args, run))
