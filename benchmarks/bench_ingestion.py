#!/usr/bin/env python3
"""Benchmark: inbound SMS ingestion through real HTTP into a running Odoo, and the partner lookup.

    python3 benchmarks/bench_ingestion.py [--messages 1000] [--partners 100000] [--workers 1,2]

By itself: the project's venv, a throwaway PostgreSQL, a database with cc_omnichannel (no demo data), a team
of agents, one Twilio SMS channel and --partners customers with phone numbers (nine in ten with a phone
identity already). cc.identity.resolve_partner is timed inside Odoo on that database (--lookups numbers with an
identity, --fallback-lookups found by partner phone and as many new ones), in a transaction rolled back. Then,
for each worker count and job layout (--job-servers), on a fresh copy of the database: Odoo serving 127.0.0.1
with that many prefork workers receives --messages Twilio-signed SMS webhooks, as many at a time as there are
workers, while the jobs run beside them (same, dedicated) or before they run (after: the burst has the machine
to itself, then a job Odoo starts and works through the queue), then the same requests
on two bare routes: GET /web/health (Odoo's read-only health check: no read/write transaction, no commit) and
POST /cc_bench/bare (benchmarks/addons/cc_bench_bare: the webhook route's own decorator, so Odoo's read/write
transaction and commit, and nothing else); the payloads must all have become interactions. The issue's
"bare Odoo HTTP route" is read both ways; each ratio gets its verdict.

Prints a table of figures against the issue's targets and writes it to results/ingestion-<date>.json; the
servers' logs stay in results/logs/. Exits 1 when a target is missed, 2 when webhooks were lost or the
benchmark itself failed.
"""

import argparse
import contextlib
import itertools
import random
import re
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import _harness as harness
from _harness import BenchmarkError, say

try:
    import requests
    from twilio.request_validator import RequestValidator
except ImportError:  # run by the system python: main() continues in the venv, which has them
    requests = RequestValidator = None

IN_ODOO = Path(__file__).resolve().with_name("_ingestion_in_odoo.py")
BASE_DATABASE = "bench_ingestion"
TARGET_RATE_SHARE = 0.70  # of the bare route's requests/s
# The rate is judged where the burst has the machine to itself, as the bare routes have; beside running jobs
# (same, dedicated), the jobs' share of this 2-core machine is measured too, so those figures are diagnostics.
RATE_JUDGED_IN = ("after",)
BARE_ROUTES = {  # key in the results: (path, label)
    "bare_route": ("/web/health", "bare GET /web/health (read-only)"),
    "bare_write_route": ("/cc_bench/bare", "bare POST /cc_bench/bare (read/write)"),
}
TARGET_P95_MS = 50
TARGET_LOOKUP_MS = 5
WARM_UP_REQUESTS = 30
WAITING_PAYLOADS = "SELECT count(*) FROM cc_webhook_event WHERE state = 'received'"
PAYLOAD_FAILED = re.compile(r"cc_inbound_processor: Inbound payload \d+ failed: (.*)")
OUR_SMS_NUMBER = "+3225550000"
SHARE_UNKNOWN_SENDERS = 0.10  # a number no customer has: a new partner, identity and ticket
SHARE_FOLLOW_UPS = 0.15  # a sender who already wrote in this run: threaded onto the open ticket
AGENTS = 10
LOOKUP_PATHS = {
    "identity": "by identity",
    "partner_phone": "by partner phone_sanitized",
    "new_customer": "new customer created",
}
LOOKUPS_WITH_TARGET = ("identity", "partner_phone")  # finding a customer; creating one is no lookup: diagnostic

SMS_BODIES = [
    "Hi, my order {ref} has not arrived yet. Can you check where it is?",
    "Bonjour, j'ai été facturé deux fois pour la commande {ref}. Merci de vérifier.",
    "Goeiedag, mijn pakket {ref} is beschadigd aangekomen. Wat moet ik doen?",
    "Can I change the delivery address of {ref}? I moved last week.",
    "The app says my subscription ended but I paid yesterday. Ref {ref}",
    "STOP",
    "Thanks, that solved it! 👍",
    "Is the shop in Gent open on Sunday?",
    "I need an invoice with our VAT number for {ref}, please.",
    "Hello?? Nobody answered my last message about {ref}. This is urgent, the technician is here now "
    "and needs the access code for the building, please call me back as soon as possible.",
]


# --- the customers' numbers (shared with _ingestion_in_odoo.py) ------------------------------------------


def known_number(n):
    """The phone number of customer n, in E.164 (Belgian mobile +32 47x)."""
    return f"+3247{n:07d}"


def unknown_number(n):
    """A valid number no customer has (Belgian mobile +32 48x)."""
    return f"+3248{n:07d}"


def has_identity(n):
    """Whether customer n already has a phone identity (nine in ten); the others are found by phone_sanitized."""
    return n % 10 != 0


def national_format(e164):
    """'+32470012345' as a Belgian types it: '0470 01 23 45'."""
    digits = e164[3:]
    return f"0{digits[:3]} {digits[3:5]} {digits[5:7]} {digits[7:]}"


# --- the webhooks -----------------------------------------------------------------------------------------


def build_sms_webhooks(count, *, partners, webhook_url, signing_secret, sid_prefix, seed):
    """`count` (body, headers) pairs of inbound SMS webhooks, signed as Twilio signs them.

    Senders: SHARE_UNKNOWN_SENDERS new numbers, SHARE_FOLLOW_UPS earlier senders of the run, the rest drawn
    from the known customers. MessageSids are `sid_prefix` + a counter.
    """
    rng = random.Random(seed)
    validator = RequestValidator(signing_secret)
    senders = []
    webhooks = []
    for index in range(count):
        draw = rng.random()
        if draw < SHARE_UNKNOWN_SENDERS:
            sender = unknown_number(rng.randrange(10_000_000))
        elif draw < SHARE_UNKNOWN_SENDERS + SHARE_FOLLOW_UPS and senders:
            sender = rng.choice(senders)
        else:
            sender = known_number(rng.randrange(partners))
        senders.append(sender)
        sid = f"{sid_prefix}{index:06d}"
        body = rng.choice(SMS_BODIES).format(ref=f"SO{rng.randrange(10_000, 99_999)}")
        form = {  # what Twilio posts for an inbound SMS
            "ToCountry": "BE", "ToState": "", "SmsMessageSid": sid, "NumMedia": "0", "ToCity": "", "FromZip": "",
            "SmsSid": sid, "FromState": "", "SmsStatus": "received", "FromCity": "", "Body": body,
            "FromCountry": "BE", "To": OUR_SMS_NUMBER, "ToZip": "", "NumSegments": "1", "MessageSid": sid,
            "AccountSid": "AC" + "0" * 32, "From": sender, "ApiVersion": "2010-04-01",
        }  # fmt: skip
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "TwilioProxy/1.1",
            "I-Twilio-Idempotency-Token": str(uuid.UUID(int=rng.getrandbits(128))),
            "X-Twilio-Signature": validator.compute_signature(webhook_url, form),
        }
        webhooks.append((urlencode(form), headers))
    return webhooks


def post_each(url, webhooks):
    """A run_load sender that posts webhooks[index] to `url`."""

    def send(session, index):
        body, headers = webhooks[index]
        return session.post(url, data=body, headers=headers, timeout=60)

    return send


def get(url):
    """A run_load sender that GETs `url`."""

    def send(session, _index):
        return session.get(url, timeout=60)

    return send


def require_all_ok(load, what):
    """Raise BenchmarkError unless every request of `load` answered 200."""
    unexpected = load.unexpected(200)
    if unexpected:
        raise BenchmarkError(f"{len(unexpected)} of the {what} did not answer 200, e.g. {unexpected[:5]}")


# --- one worker count -------------------------------------------------------------------------------------


JOB_SERVERS = {
    "same": "the web workers run the jobs as the webhooks come",
    "dedicated": "a one-worker Odoo runs the jobs as the webhooks come",
    "after": "a one-worker Odoo runs the jobs once the burst is in",
}


@contextlib.contextmanager
def serving(bench, database, workers, port, job_server, job_capacity):
    """Yield (web server, a function that returns the server running the jobs, starting it when need be).

    same: the web server's own runner sends the jobs to its workers. dedicated: its runner sends them to a
    one-worker Odoo of their own (OCA's layout for busy sites). after: the web server has no runner; a
    one-worker Odoo with the runner starts when asked, so that the burst has the machine to itself.
    """
    runner = {"ODOO_QUEUE_JOB_CHANNELS": f"root:{job_capacity}"}
    with contextlib.ExitStack() as stack:

        def job_odoo(job_port, with_runner):
            environment = {**runner, "ODOO_QUEUE_JOB_PORT": str(job_port)} if with_runner else None
            options = ("--load", harness.cc.SERVER_WIDE_MODULES) if with_runner else ()
            return stack.enter_context(
                bench.server(
                    database, workers=1, port=job_port, label="jobs", extra_options=options, environment=environment
                )
            )

        web_options, web_environment, jobs = ("--load", harness.cc.SERVER_WIDE_MODULES), runner, None
        if job_server == "dedicated":
            job_port = harness.cc.free_port()
            web_environment = {**runner, "ODOO_QUEUE_JOB_HOST": "127.0.0.1", "ODOO_QUEUE_JOB_PORT": str(job_port)}
            jobs = job_odoo(job_port, with_runner=False)
        elif job_server == "after":
            web_options, web_environment = (), None
        web = stack.enter_context(
            bench.server(database, workers=workers, port=port, extra_options=web_options, environment=web_environment)
        )
        if job_server == "same":
            jobs = web

        def job_server_process():
            nonlocal jobs
            if jobs is None:
                jobs = job_odoo(harness.cc.free_port(), with_runner=True)
            return jobs

        yield web, job_server_process


def measure_ingestion(bench, facts, workers, job_server, port, args):
    """Webhooks then the bare routes on a fresh copy of the database, `workers` prefork workers."""
    variant = f"w{workers}_{job_server}"
    database = f"{BASE_DATABASE}_{variant}"
    bench.copy_database(BASE_DATABASE, database)
    sid_prefix = f"SMbench{variant}x"
    build = {"partners": args.partners, "webhook_url": facts["webhook_url"], "signing_secret": facts["signing_secret"]}
    warm_up = build_sms_webhooks(WARM_UP_REQUESTS, **build, sid_prefix=f"SMwarm{variant}x", seed=args.seed + 1)
    measured = build_sms_webhooks(args.messages, **build, sid_prefix=sid_prefix, seed=args.seed)
    say(f"{workers} worker(s), {JOB_SERVERS[job_server]}: serving {database} on 127.0.0.1:{port}")
    with serving(bench, database, workers, port, job_server, args.job_capacity) as (server, job_server_process):
        bare_senders = {
            "bare_route": get(f"{server.url}{BARE_ROUTES['bare_route'][0]}"),
            "bare_write_route": post_each(f"{server.url}{BARE_ROUTES['bare_write_route'][0]}", measured),
        }
        # Warm up every worker: registry, ORM caches, the first ticket and partner creations.
        require_all_ok(
            harness.run_load(post_each(facts["webhook_url"], warm_up), len(warm_up), workers, requests.Session),
            "warm-up webhooks",
        )
        if job_server != "after":
            wait_until_processed(bench, database)
        for send in bare_senders.values():
            require_all_ok(harness.run_load(send, WARM_UP_REQUESTS, workers, requests.Session), "warm-up requests")

        say(
            f"{workers} worker(s): {args.messages} signed SMS webhooks and as many requests to each bare route, "
            f"{workers} at a time, in {args.rounds} alternating rounds"
        )
        since = server.log_position()
        jobs_since = job_server_process().log_position() if job_server != "after" else 0
        ingestion = harness.LoadResult()
        bare = {key: harness.LoadResult() for key in BARE_ROUTES}
        waiting_after_burst, drain_seconds = 0, 0.0
        for start, end in rounds(len(measured), args.rounds):
            ingestion.extend(
                harness.run_load(
                    post_each(facts["webhook_url"], measured[start:end]), end - start, workers, requests.Session
                )
            )
            if job_server != "after":  # the jobs of this round's webhooks run, then the bare routes have an idle server
                waiting_after_burst += bench.query(database, WAITING_PAYLOADS)[0][0]
                drain_seconds += wait_until_processed(bench, database)
            for key, send in bare_senders.items():
                round_load = harness.run_load(send, end - start, workers, requests.Session)
                require_all_ok(round_load, f"{BARE_ROUTES[key][1]} requests")
                bare[key].extend(round_load)
        ingestion_costs = server.request_costs("/cc/webhook/", since=since)
        if job_server == "after":
            waiting_after_burst = bench.query(database, WAITING_PAYLOADS)[0][0]
        jobs = job_server_process()
        drain_seconds += wait_until_processed(bench, database)
        processing_costs = jobs.request_costs("/queue_job/runjob", since=jobs_since)
        failure_reasons = payload_failure_reasons(jobs, jobs_since)
        bare_routes = {
            key: {
                "path": path,
                "requests": len(bare[key].latencies),
                "seconds": round(bare[key].elapsed, 2),
                "per_second": round(bare[key].rate, 1),
                "latency_ms": harness.latency_summary_ms(bare[key].latencies),
                "per_request_in_odoo": server.request_costs(path, since=since),
            }
            for key, (path, _label) in BARE_ROUTES.items()
        }
    counts = bench.run_in_odoo(IN_ODOO, "count", database, sid_prefix=sid_prefix)
    integrity = {
        "webhooks_sent": len(measured),
        "answered_200": ingestion.statuses.count(200),
        "other_answers": ingestion.unexpected(200)[:20],
        "interactions": counts["interactions"],
        "payloads_failed": counts["events_by_state"].get("failed", 0),
        "failure_reasons": failure_reasons,
    }
    integrity["ok"] = (
        integrity["answered_200"] == integrity["interactions"] == len(measured) and not integrity["payloads_failed"]
    )
    return {
        "workers": workers,
        "job_server": job_server,
        "concurrency": workers,
        "ingestion": {
            "messages": len(ingestion.latencies),
            "seconds": round(ingestion.elapsed, 2),
            "per_second": round(ingestion.rate, 1),
            "latency_ms": harness.latency_summary_ms(ingestion.latencies),
            "per_request_in_odoo": ingestion_costs,
        },
        "processing": {
            "job_capacity": args.job_capacity,
            "waiting_after_burst": waiting_after_burst,
            "drain_seconds": round(drain_seconds, 2),
            "drained_per_second": round(waiting_after_burst / drain_seconds, 1) if drain_seconds else None,
            "processed_per_second": round(len(measured) / (ingestion.elapsed + drain_seconds), 1),
            "per_job_in_odoo": processing_costs,
        },
        **bare_routes,
        **{f"rate_share_of_{key}": round(ingestion.rate / bare["per_second"], 4) for key, bare in bare_routes.items()},
        "integrity": integrity,
        "after": counts,
        "server_log": str(server.log_path.relative_to(harness.ROOT)),
    }


def rounds(count, number):
    """(start, end) of `number` consecutive slices of range(count), as even as can be."""
    bounds = [count * index // number for index in range(number + 1)]
    return list(itertools.pairwise(bounds))


def wait_until_processed(bench, database, timeout=900):
    """Wait until queue_job's runner has processed every stored payload; return the seconds it took."""
    started = time.monotonic()
    while bench.query(database, WAITING_PAYLOADS)[0][0]:
        if time.monotonic() - started > timeout:
            raise BenchmarkError(f"payloads still waiting for their job after {timeout} s: is the job runner up?")
        time.sleep(0.1)
    return time.monotonic() - started


def payload_failure_reasons(server, since):
    """{reason: count} of the payloads the processor logged as failed since `since`."""
    reasons = [match.group(1) for line in server.problems(since) if (match := PAYLOAD_FAILED.search(line))]
    return dict(Counter(reasons).most_common())


# --- report -----------------------------------------------------------------------------------------------


def table_rows(runs, lookup):
    """(figure, ours, target, verdict) rows of every figure the issue asks for."""
    rows = []
    for run in runs:
        label = f"{run['workers']} worker{'s' if run['workers'] > 1 else ''}, jobs {run['job_server']}"
        ingestion = run["ingestion"]
        latency, integrity, processing = ingestion["latency_ms"], run["integrity"], run["processing"]
        # A lone worker that also runs the jobs makes webhooks wait behind a job: shown, not judged.
        p95_judged = run["workers"] > 1 or run["job_server"] != "same"
        rate_judged = run["job_server"] in RATE_JUDGED_IN
        rows += [
            (f"{label}: SMS webhooks/s", f"{ingestion['per_second']:.1f}", "", ""),
            (f"{label}: webhook p50 / p99", f"{latency['p50']:.1f} / {latency['p99']:.1f} ms", "", ""),
            (
                f"{label}: webhook p95",
                f"{latency['p95']:.1f} ms",
                f"< {TARGET_P95_MS} ms" if p95_judged else "diagnostic",
                harness.verdict(latency["p95"], TARGET_P95_MS) if p95_judged else "",
            ),
        ]
        for key, (_path, bare_label) in BARE_ROUTES.items():
            share = run[f"rate_share_of_{key}"]
            rows += [
                (f"{label}: {bare_label} req/s", f"{run[key]['per_second']:.1f}", "", ""),
                (
                    f"{label}: webhooks/s ÷ {bare_label} req/s",
                    f"{share:.1%}",
                    f">= {TARGET_RATE_SHARE:.0%}" if rate_judged else "diagnostic",
                    harness.verdict(share, TARGET_RATE_SHARE, higher_is_better=True) if rate_judged else "",
                ),
            ]
        rows += [
            (
                f"{label}: waiting after the burst, then all processed in",
                f"{processing['waiting_after_burst']}, {processing['drain_seconds']:.1f} s "
                f"({processing['drained_per_second']}/s)",
                "",
                "",
            ),
            (f"{label}: processed/s, burst to last job", f"{processing['processed_per_second']:.1f}", "", ""),
            (
                f"{label}: webhooks turned into interactions",
                f"{integrity['interactions']} / {integrity['webhooks_sent']}",
                "all",
                "PASS" if integrity["ok"] else "FAIL",
            ),
        ]
    for path, label in LOOKUP_PATHS.items():
        figures = lookup[path]
        has_target = path in LOOKUPS_WITH_TARGET
        rows.append(
            (
                f"resolve_partner {label}: mean / p50 / p95",
                f"{figures['mean']:.2f} / {figures['p50']:.2f} / {figures['p95']:.2f} ms",
                f"p95 < {TARGET_LOOKUP_MS} ms" if has_target else "diagnostic",
                harness.verdict(figures["p95"], TARGET_LOOKUP_MS) if has_target else "",
            )
        )
    return rows


def print_diagnostics(runs, lookup):
    """Where the time goes, from Odoo's own per-request figures, and the lookups' query plans."""
    for run in runs:
        costs = {
            "webhook": run["ingestion"]["per_request_in_odoo"],
            "its job": run["processing"]["per_job_in_odoo"],
            **{path: run[key]["per_request_in_odoo"] for key, (path, _label) in BARE_ROUTES.items()},
        }
        say(
            f"{run['workers']} worker(s), jobs {run['job_server']}, medians per request inside Odoo: "
            + "; ".join(
                f"{what} {cost.get('queries_median')} queries, {cost.get('sql_ms_median')} ms SQL + "
                f"{cost.get('other_ms_median')} ms other"
                for what, cost in costs.items()
            )
        )
    for path, label in LOOKUP_PATHS.items():
        say(f"resolve_partner {label}: {lookup[path]['queries_per_call']} queries per call")
    for path, plan in lookup["plans"].items():
        say(f"plan of the {path} query: {plan['plan']} ({plan['execution_ms']} ms for a number nobody has)")


def report_integrity_failures(runs):
    """Say loudly which runs lost webhooks; return whether any did."""
    failed = [run for run in runs if not run["integrity"]["ok"]]
    for run in failed:
        integrity = run["integrity"]
        say(
            f"FAILED with {run['workers']} worker(s), jobs {run['job_server']}: of {integrity['webhooks_sent']} "
            f"webhooks, "
            f"{integrity['answered_200']} answered 200, {integrity['interactions']} became interactions, "
            f"{integrity['payloads_failed']} payloads are 'failed' (see {run['server_log']})"
        )
        for reason, count in integrity["failure_reasons"].items():
            say(f"    {count} x {reason}")
        if integrity["other_answers"]:
            say(f"    other answers: {integrity['other_answers']}")
    return bool(failed)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1000, help="webhooks (and bare requests) per run")
    parser.add_argument("--partners", type=int, default=100_000, help="customers in the database")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts, one run each")
    parser.add_argument("--lookups", type=int, default=2000, help="resolve_partner calls on numbers with an identity")
    parser.add_argument(
        "--fallback-lookups",
        type=int,
        default=300,
        help="resolve_partner calls on numbers found by partner phone, and on new numbers (each)",
    )
    parser.add_argument(
        "--routing",
        default="least_open",
        choices=("least_open", "round_robin", "manual"),
        help="the team's routing (manual: no agent is picked, so no agent row is written per contact)",
    )
    parser.add_argument(
        "--job-servers",
        default="same,dedicated,after",
        help="where and when the jobs run, one run each: " + "; ".join(f"{k}: {v}" for k, v in JOB_SERVERS.items()),
    )
    parser.add_argument(
        "--job-capacity",
        type=int,
        default=1,
        help="jobs queue_job's runner runs at once (ODOO_QUEUE_JOB_CHANNELS=root:N; its default is 1)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="the webhooks and the bare requests alternate in this many rounds, so that the machine's drift "
        "weighs on both alike",
    )
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--tag", help="name a variant: its results go to results/ingestion-TAG-<date>.json")
    args = parser.parse_args()
    args.workers = [int(count) for count in args.workers.split(",")]
    args.job_servers = args.job_servers.split(",")
    if not set(args.job_servers) <= set(JOB_SERVERS):
        parser.error(f"--job-servers takes {', '.join(JOB_SERVERS)}")
    if args.messages < args.rounds or args.rounds < 1 or args.partners < 100 or min(args.workers) < 1:
        parser.error("--messages >= --rounds >= 1, --partners >= 100 and worker counts >= 1, please")
    return args


def run(args):
    """Prepare, measure, print and record; return the exit status."""
    name = f"ingestion-{args.tag}" if args.tag else "ingestion"
    with harness.OdooBench(name) as bench:
        port = harness.cc.free_port()
        bench.install(BASE_DATABASE, ["cc_omnichannel", "cc_bench_bare"])
        say(f"preparing {args.partners:,} customers, a team of agents ({args.routing}) and a Twilio SMS channel")
        facts = bench.run_in_odoo(
            IN_ODOO,
            "prepare",
            BASE_DATABASE,
            partners=args.partners,
            base_url=f"http://127.0.0.1:{port}",
            agents=AGENTS,
            routing=args.routing,
        )
        say(f"{facts['partners']:,} customers with a phone number, {facts['identities']:,} identities")
        bench.vacuum(BASE_DATABASE)  # the customers were just bulk-inserted: no autovacuum run during the timing
        say(f"timing resolve_partner over {args.lookups:,} + 2 x {args.fallback_lookups:,} numbers (rolled back)")
        lookup = bench.run_in_odoo(
            IN_ODOO,
            "lookup",
            BASE_DATABASE,
            partners=args.partners,
            samples=args.lookups,
            fallback_samples=args.fallback_lookups,
            seed=args.seed,
        )
        runs = [
            measure_ingestion(bench, facts, workers, job_server, port, args)
            for workers in args.workers
            for job_server in args.job_servers
        ]
    rows = table_rows(runs, lookup)
    print()
    harness.print_table(rows)
    print()
    print_diagnostics(runs, lookup)
    options = {
        **{
            name: getattr(args, name)
            for name in (
                "messages",
                "partners",
                "workers",
                "job_servers",
                "job_capacity",
                "lookups",
                "fallback_lookups",
                "routing",
                "rounds",
                "seed",
                "tag",
            )
        },
        "agents": AGENTS,
        "share_unknown_senders": SHARE_UNKNOWN_SENDERS,
        "share_follow_ups": SHARE_FOLLOW_UPS,
    }
    data = {key: value for key, value in facts.items() if key != "signing_secret"}
    table = [dict(zip(("figure", "ours", "target", "verdict"), row, strict=True)) for row in rows]
    path = harness.write_results(
        name,
        {"options": options, "data": data, "runs": runs, "lookup": lookup, "table": table},
    )
    say(f"results written to {path.relative_to(harness.ROOT)}")
    if warning := harness.busy_machine_warning():
        say(f"warning: {warning}")
    if report_integrity_failures(runs):
        return 2
    return 1 if any(row[3] == "FAIL" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(harness.main(parse_args, run))
