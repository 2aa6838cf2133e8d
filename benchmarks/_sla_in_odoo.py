"""The part of bench_sla.py that runs inside Odoo: build the data, apply the SLAs, time what the issue asks.

Run by bench_sla.py through OdooBench.run_in_odoo (see _in_odoo.py), never by hand. The same data shape goes
into every database: `prepare_base` runs once on a database with helpdesk_mgmt alone, which bench_sla.py then
copies before installing cc_sla or helpdesk_mgmt_sla into the copies.
"""

import contextlib
import cProfile
import io
import pstats
import random
import re
import statistics
import time
from datetime import date, datetime, timedelta
from datetime import time as day_time
from zoneinfo import ZoneInfo

import _in_odoo
from dateutil.easter import easter

from odoo import Command, fields
from odoo.sql_db import Cursor
from odoo.tools import SQL

CALENDAR_NAME = "Bench support hours (Mon-Fri 09-17)"
CALENDAR_TZ = "Europe/Brussels"
TEAM_NAMES = ["Bench Key Accounts", "Bench Billing", "Bench Technical", "Bench Logistics", "Bench General"]
TEAM_WEIGHTS = [0.15, 0.20, 0.25, 0.20, 0.20]
AGENT_LOGIN = "bench_agent_{}"
SPREAD_DAYS = 60
OPEN_STAGES = {"new": 0.35, "in_progress": 0.45, "awaiting": 0.20}
PRIORITIES = {"0": 0.25, "1": 0.45, "2": 0.20, "3": 0.10}
CHANNELS = {"web": 0.35, "email": 0.40, "phone": 0.20, "other": 0.05}
# Our policies and OCA's rules: the same targets, in working minutes (OCA counts whole hours).
#   name, sequence, priority, key-accounts team only, first response, resolution
POLICIES = [
    ("Urgent", 10, "3", False, 60, 240),
    ("Key accounts", 20, False, True, 120, 480),
    ("Standard", 30, False, False, 240, 960),
]
TOPICS = ["Order not delivered", "Invoice question", "Cannot log in", "Damaged parcel", "Refund request",
          "Change of address", "Technician visit", "Subscription renewal", "Password reset", "Wrong item"]  # fmt: skip


# --- helpers ------------------------------------------------------------------------------------------


def weighted(rng, choices):
    return rng.choices(list(choices), weights=list(choices.values()))[0]


def bench_data(env):
    """The records every action works with, found again by name in whichever database it runs."""
    stages = {
        name: env.ref(f"helpdesk_mgmt.helpdesk_ticket_stage_{name}")
        for name in ("new", "in_progress", "awaiting", "done", "cancelled", "rejected")
    }
    channels = {name: env.ref(f"helpdesk_mgmt.helpdesk_ticket_channel_{name}") for name in CHANNELS}
    teams = env["helpdesk.ticket.team"].search([("name", "in", TEAM_NAMES)], order="id")
    users = env["res.users"].search([("login", "=like", AGENT_LOGIN.format("%"))], order="id")
    calendar = env["resource.calendar"].search([("name", "=", CALENDAR_NAME)], limit=1)
    return {"stages": stages, "channels": channels, "teams": teams, "users": users, "calendar": calendar}


def open_ticket_ids(env, without_timers=False):
    """Ids of the open tickets (in a stage that is not closed); optionally only those without any SLA timer."""
    query = """
        SELECT ticket.id FROM helpdesk_ticket ticket JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
         WHERE NOT coalesce(stage.closed, FALSE) AND ticket.active
    """
    if without_timers:
        query += " AND NOT EXISTS (SELECT 1 FROM cc_sla_timer timer WHERE timer.ticket_id = ticket.id)"
    env.cr.execute(query + " ORDER BY ticket.id")
    return [row[0] for row in env.cr.fetchall()]


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def ticket_vals(rng, data, partner_ids, team=None, agent=None, stage=None):
    """Values of one ticket as an agent (or the base load) would give them."""
    teams = data["teams"]
    team = team or rng.choices(teams, weights=TEAM_WEIGHTS[: len(teams)])[0]
    members = team.user_ids
    assigned = agent or (rng.choice(members) if members and rng.random() < 0.75 else None)
    topic = rng.choice(TOPICS)
    vals = {
        "name": f"{topic} #{rng.randrange(100_000)}",
        "description": f"<p>{topic}: the customer wrote in about it, details follow.</p>",
        "partner_id": rng.choice(partner_ids),
        "team_id": team.id,
        "user_id": assigned.id if assigned and rng.random() < 0.6 else False,
        "priority": weighted(rng, PRIORITIES),
        "channel_id": data["channels"][weighted(rng, CHANNELS)].id,
    }
    if stage:
        vals["stage_id"] = data["stages"][stage].id
    return vals


def median(values):
    return statistics.median(values) if values else None


# What our profiles detail: the functions of cc_sla whose callees are listed under the top of the profile.
PROFILED_OURS = (
    r"cc_sla/models/\S+\((create|_cc_sla_apply|match_tickets|_schedule|_by_calendar|_refresh_states|pause"
    r"|_compute_cc_sla|_cron_check_timers|fire_due|cc_business_calendar)\)"
)


def profiled(function, top=40):
    """Run `function()` under cProfile; return (its result, the profile as text: the top functions by
    cumulative time, then what each of our SLA functions spends its time in)."""
    profile = cProfile.Profile()
    result = profile.runcall(function)
    text = io.StringIO()
    stats = pstats.Stats(profile, stream=text).sort_stats("cumulative")
    stats.print_stats(top)
    stats.print_callees(PROFILED_OURS)
    return result, text.getvalue()


# --- the data -----------------------------------------------------------------------------------------


def holidays(first_year, last_year):
    """Belgian public holidays: the calendar's global leaves."""
    days = []
    for year in range(first_year, last_year + 1):
        easter_sunday = easter(year)
        days += [date(year, 1, 1), easter_sunday + timedelta(days=1), date(year, 5, 1),
                 easter_sunday + timedelta(days=39), easter_sunday + timedelta(days=50), date(year, 7, 21),
                 date(year, 8, 15), date(year, 11, 1), date(year, 11, 11), date(year, 12, 25)]  # fmt: skip
    return days


def prepare_base(env, tickets, partners, agents, seed):
    """Calendar, teams and agents, customers, and `tickets` open tickets spread over the last 60 days.

    Tickets are created through the ORM in batches with mail tracking, logging and subscriptions turned off
    (as an import would), then their creation dates are spread over SPREAD_DAYS days in one UPDATE.
    """
    rng = random.Random(seed)
    started = time.perf_counter()
    today = fields.Date.today()
    zone = ZoneInfo(CALENDAR_TZ)
    calendar = env["resource.calendar"].create({
        "name": CALENDAR_NAME,
        "tz": CALENDAR_TZ,
        "attendance_ids": [Command.clear()] + [
            Command.create({"name": f"Day {day}", "dayofweek": str(day), "hour_from": 9, "hour_to": 17,
                            "day_period": "full_day"})
            for day in range(5)
        ],
    })  # fmt: skip
    leaves = []
    for day in holidays(today.year - 1, today.year + 2):
        start = datetime.combine(day, day_time(0), zone).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
        end = datetime.combine(day + timedelta(days=1), day_time(0), zone).astimezone(ZoneInfo("UTC"))
        leaves.append({"name": f"Public holiday {day}", "calendar_id": calendar.id, "date_from": start,
                       "date_to": end.replace(tzinfo=None), "time_type": "leave"})  # fmt: skip
    env["resource.calendar.leaves"].create(leaves)

    quiet = env(context={**env.context, "tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True,
                         "mail_create_nosubscribe": True, "no_reset_password": True})  # fmt: skip
    team_group = env.ref("helpdesk_mgmt.group_helpdesk_user_team")
    users = quiet["res.users"].create([
        {"name": f"Agent {number}", "login": AGENT_LOGIN.format(f"{number:02d}"),
         "email": f"agent{number}@example.com", "notification_type": "inbox",
         "group_ids": [Command.set(team_group.ids)]}
        for number in range(agents)
    ])  # fmt: skip
    per_team = max(1, agents // len(TEAM_NAMES))
    quiet["helpdesk.ticket.team"].create([
        {"name": name, "user_ids": [Command.set(users[index * per_team : (index + 1) * per_team].ids)]}
        for index, name in enumerate(TEAM_NAMES)
    ])  # fmt: skip
    customers = quiet["res.partner"].create([
        {"name": f"Customer {number}", "email": f"customer{number}@example.com", "lang": "en_US"}
        for number in range(partners)
    ])  # fmt: skip
    data = bench_data(env)
    setup_seconds = time.perf_counter() - started

    started = time.perf_counter()
    created = []
    for batch in chunks(range(tickets), 1000):
        vals_list = [ticket_vals(rng, data, customers.ids, stage=weighted(rng, OPEN_STAGES)) for _ in batch]
        created += quiet["helpdesk.ticket"].create(vals_list).ids
        env.flush_all()
        env.invalidate_all()
    orm_seconds = time.perf_counter() - started
    spread_creation_dates(env, created, rng)
    env.cr.execute("ANALYZE")
    return {
        "teams": len(data["teams"]),
        "agents": len(users),
        "partners": len(customers),
        "calendar_leaves": len(leaves),
        "open_tickets": len(open_ticket_ids(env)),
        "setup_seconds": round(setup_seconds, 1),
        "ticket_load_seconds": round(orm_seconds, 1),
        "ticket_load_per_second": round(tickets / orm_seconds, 1),
    }


def spread_creation_dates(env, ticket_ids, rng):
    """Tickets opened at random over the last SPREAD_DAYS days; moved to their stage some time after."""
    now = fields.Datetime.now()
    created, moved = [], []
    for _ in ticket_ids:
        opened = now - timedelta(seconds=rng.uniform(0, SPREAD_DAYS * 86400))
        created.append(opened)
        moved.append(opened + (now - opened) * rng.random())
    env.cr.execute(SQL(
        """
        UPDATE helpdesk_ticket ticket
           SET create_date = given.opened, write_date = given.opened, last_stage_update = given.moved,
               assigned_date = CASE WHEN ticket.user_id IS NOT NULL THEN given.opened END
          FROM unnest(%(ids)s::int[], %(opened)s::timestamp[], %(moved)s::timestamp[]) AS given(id, opened, moved)
         WHERE ticket.id = given.id
        """,
        ids=ticket_ids, opened=created, moved=moved,
    ))  # fmt: skip


def grow(env, target, seed):
    """Add open tickets by SQL until there are `target`: copies of the open tickets already there (team,
    agent, customer, channel), each with a new number, a creation date drawn over the last SPREAD_DAYS days,
    and a priority and open stage drawn at random. The SLA columns of our module start empty (no policy, no
    timers, the clock started at the creation date): apply_ours() then gives them real timers."""
    existing = len(open_ticket_ids(env))
    missing = target - existing
    if missing <= 0:
        return {"added": 0, "open_tickets": existing}
    data = bench_data(env)
    stages = data["stages"]
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'helpdesk_ticket' AND column_name != 'id'"
    )
    columns = [row[0] for row in env.cr.fetchall()]
    priority = "CASE WHEN gen.r3 < 0.25 THEN '0' WHEN gen.r3 < 0.70 THEN '1' WHEN gen.r3 < 0.90 THEN '2' ELSE '3' END"
    stage = (
        f"CASE WHEN gen.r4 < 0.35 THEN {stages['new'].id} WHEN gen.r4 < 0.80 THEN {stages['in_progress'].id} "
        f"ELSE {stages['awaiting'].id} END"
    )
    overrides = {
        "number": "'HT-B' || to_char(gen.g, 'FM0000000')",
        "create_date": "gen.opened",
        "write_date": "gen.opened",
        "last_stage_update": "gen.opened + gen.r2 * (%(now)s - gen.opened)",
        "assigned_date": "CASE WHEN src.user_id IS NOT NULL THEN gen.opened END",
        "closed_date": "NULL",
        "priority": priority,
        "stage_id": stage,
        "unattended": f"({stage}) = {stages['new'].id}",
        "access_token": "NULL",
        "message_main_attachment_id": "NULL",
        "duplicate_id": "NULL",
        "cc_sla_start_at": "gen.opened",
        "cc_sla_policy_id": "NULL",
        "cc_sla_state": "NULL",
        "cc_sla_deadline": "NULL",
        "cc_last_contact_at": "NULL",
    }
    select = ", ".join(overrides.get(column, f"src.{column}") for column in columns)
    env.cr.execute("SELECT setseed(%s)", [seed % 1000 / 1000])
    started = time.perf_counter()
    env.cr.execute(
        f"""
        WITH src AS (
            SELECT ticket.*, row_number() OVER (ORDER BY ticket.id) - 1 AS rn
              FROM helpdesk_ticket ticket JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
             WHERE NOT coalesce(stage.closed, FALSE) AND ticket.active
        ), gen AS (
            SELECT g, %(now)s - random() * interval '{SPREAD_DAYS} days' AS opened,
                   random() AS r2, random() AS r3, random() AS r4
              FROM generate_series(0, %(missing)s - 1) AS g
        )
        INSERT INTO helpdesk_ticket ({", ".join(columns)})
        SELECT {select} FROM gen JOIN src ON src.rn = gen.g %% %(existing)s
        """,  # noqa: S608 - column names from information_schema, values as parameters
        {"now": fields.Datetime.now(), "missing": missing, "existing": existing},
    )
    seconds = time.perf_counter() - started
    env.cr.execute("ANALYZE helpdesk_ticket")
    return {"added": missing, "open_tickets": len(open_ticket_ids(env)), "insert_seconds": round(seconds, 1)}


# --- our module -----------------------------------------------------------------------------------------


def setup_ours(env):
    """Agents in the contact center's agent group; three policies with first response and resolution targets,
    pausing in Awaiting and stopping in Done, Cancelled and Rejected."""
    data = bench_data(env)
    stages = data["stages"]
    data["users"].write({"group_ids": [Command.link(env.ref("cc_omnichannel.group_cc_agent").id)]})
    key_team = data["teams"][0]
    for name, sequence, priority, key_only, first_response, resolution in POLICIES:
        env["cc.sla.policy"].create({
            "name": name, "sequence": sequence, "priority": priority,
            "team_ids": [Command.set(key_team.ids)] if key_only else [],
            "calendar_id": data["calendar"].id,
            "pause_stage_ids": [Command.set(stages["awaiting"].ids)],
            "stop_stage_ids": [Command.set((stages["done"] | stages["cancelled"] | stages["rejected"]).ids)],
            "target_ids": [Command.create({"kind": "first_response", "minutes": first_response}),
                           Command.create({"kind": "resolution", "minutes": resolution})],
        })  # fmt: skip
    return {"policies": env["cc.sla.policy"].search_count([])}


def apply_ours(env, batch, profile=False):
    """Real timers for the open tickets that have none: `_cc_sla_apply(now)` in batches of `batch` (timed);
    then the first response of tickets already In Progress or Awaiting is marked answered (an agent replied),
    and the scheduled job runs once, so that nothing is due at the start of the measurements."""
    ids = open_ticket_ids(env, without_timers=True)
    now = fields.Datetime.now()
    Ticket = env["helpdesk.ticket"]
    queries = env.cr.sql_log_count
    started = time.perf_counter()

    def apply_all():
        for chunk in chunks(ids, batch):
            Ticket.browse(chunk)._cc_sla_apply(now)
            env.cr.flush()
            env.invalidate_all()

    report = None
    if profile:
        _, report = profiled(apply_all)
    else:
        apply_all()
    seconds = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries
    stages = bench_data(env)["stages"]
    answered = Ticket.search([("id", "in", ids), ("stage_id", "in", (stages["in_progress"] | stages["awaiting"]).ids)])
    for chunk in chunks(answered.ids, batch):
        Ticket.browse(chunk).cc_sla_agent_responded(now)
        env.cr.flush()
        env.invalidate_all()
    settled = env["cc.sla.timer"]._cron_check_timers()
    env.cr.flush()
    env.cr.execute("ANALYZE")
    return {
        "tickets": len(ids),
        "seconds": round(seconds, 2),
        "tickets_per_second": round(len(ids) / seconds, 1) if seconds else None,
        "queries_per_ticket": round(queries / len(ids), 2) if ids else None,
        "first_responses_answered": len(answered),
        "settled_by_first_job_run": settled,
        "timers_by_state": timer_states(env),
        "profile": report,
    }


def timer_states(env):
    env.cr.execute("SELECT state, count(*) FROM cc_sla_timer GROUP BY state ORDER BY state")
    return dict(env.cr.fetchall())


# --- OCA helpdesk_mgmt_sla ------------------------------------------------------------------------------


def setup_oca(env):
    """The same targets as OCA rules: teams with use_sla on the same calendar; per policy a first-response
    rule (reach In Progress) and a resolution rule (reach Done), on hold in Awaiting. OCA applies every
    matching rule, so the rules' domains make them exclusive as our policy order does."""
    data = bench_data(env)
    stages, key_team = data["stages"], data["teams"][0]
    data["teams"].write({"use_sla": True, "resource_calendar_id": data["calendar"].id})
    rules = []
    for name, _sequence, priority, key_only, first_response, resolution in POLICIES:
        if priority:
            domain = [("priority", "=", priority)]
        elif key_only:
            domain = [("priority", "!=", "3")]
        else:
            domain = [("priority", "!=", "3"), ("team_id", "!=", key_team.id)]
        for kind, minutes, stage in (("first response", first_response, "in_progress"),
                                     ("resolution", resolution, "done")):  # fmt: skip
            rules.append({
                "name": f"{name}: {kind}", "hours": minutes // 60, "days": 0, "stage_id": stages[stage].id,
                "ignore_stage_ids": [Command.set(stages["awaiting"].ids)], "domain": repr(domain),
                "team_ids": [Command.set(key_team.ids)] if key_only else [],
            })  # fmt: skip
    env["helpdesk.sla"].create(rules)
    return {"rules": len(rules)}


def apply_oca(env):
    """OCA's `set_sla()` over every open ticket, in one call (as the baseline measured it)."""
    tickets = env["helpdesk.ticket"].browse(open_ticket_ids(env))
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    tickets.set_sla()
    env.cr.flush()
    seconds = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries
    env.cr.execute("ANALYZE")
    env.cr.execute("SELECT state, count(*) FROM helpdesk_ticket_sla GROUP BY state ORDER BY state")
    return {
        "tickets": len(tickets),
        "seconds": round(seconds, 2),
        "tickets_per_second": round(len(tickets) / seconds, 1),
        "queries_per_ticket": round(queries / len(tickets), 2),
        "sla_rows_by_state": dict(env.cr.fetchall()),
    }


def oca_recompute(env, runs, batch, one_shot_runs=1):
    """OCA's stored SLA fields recomputed over the SLA rows of every open ticket (hours, expected stage,
    last state date, state, deadline: one plan_hours call per row still counting), cold cache, flushed.

    In batches of the SLA rows of `batch` tickets (flushed and the cache emptied after each), `runs` times:
    the comparator, since it grows linearly as the baseline's figures do; and all rows at once,
    `one_shot_runs` times, which grows worse than linearly. Each run is rolled back to a savepoint."""
    Sla = env["helpdesk.ticket.sla"]
    field_names = ("hours", "expected_stage_id", "last_state_date", "state", "deadline")
    ticket_ids = open_ticket_ids(env)

    def recompute(slas):
        for name in field_names:
            env.add_to_compute(Sla._fields[name], slas)
        env.flush_all()

    def one_run(size):
        env.cr.execute("SAVEPOINT oca_recompute")
        env.invalidate_all()
        count = env.cr.sql_log_count
        started = time.perf_counter()
        rows = 0
        for chunk in chunks(ticket_ids, size):
            slas = Sla.search([("ticket_id", "in", chunk)])
            rows += len(slas)
            recompute(slas)
            env.invalidate_all()
        seconds = time.perf_counter() - started
        queries = env.cr.sql_log_count - count
        env.cr.execute("ROLLBACK TO SAVEPOINT oca_recompute")
        env.invalidate_all(flush=False)
        return seconds, queries, rows

    batched = [one_run(batch) for _ in range(runs)]
    one_shot = [one_run(len(ticket_ids)) for _ in range(one_shot_runs)]
    return {
        "sla_rows": batched[0][2],
        "batch_tickets": batch,
        "runs_seconds": [round(run[0], 3) for run in batched],
        "median_seconds": round(median([run[0] for run in batched]), 3),
        "queries": median([run[1] for run in batched]),
        "one_shot_runs_seconds": [round(run[0], 3) for run in one_shot],
        "one_shot_median_seconds": round(median([run[0] for run in one_shot]), 3) if one_shot else None,
    }


# --- measurements -----------------------------------------------------------------------------------------


def create(env, count, batch, seed, variant="normal", single=10, profile=False, capture_sql=False):
    """Time `count` tickets created as agents create them (mail and tracking on, each agent in their own
    team), `batch` per create() call; the cursor is flushed (precommit hooks run, as at commit) after each
    batch. Also the queries of `single` one-ticket creations. All rolled back.

    variant "no_sla_apply": our `_cc_sla_apply` replaced by a no-op in this process only, to tell the cost
    of our timers from the rest of our modules."""
    data = bench_data(env)
    Ticket = env["helpdesk.ticket"]
    if variant == "no_sla_apply":
        type(Ticket)._cc_sla_apply = lambda self, now: None
    rng = random.Random(seed)
    partner_ids = env["res.partner"].search([("email", "=like", "customer%@example.com")]).ids
    teams_of = {user: data["teams"].filtered(lambda team, user=user: user in team.user_ids) for user in data["users"]}
    agents = [user for user in data["users"] if teams_of[user]]
    open_before = len(open_ticket_ids(env))

    def make(agent, number):
        return [ticket_vals(rng, data, partner_ids, team=teams_of[agent][:1], agent=agent) for _ in range(number)]

    # Warm up, as a worker that has served these agents before: the first creations fill the registry's
    # caches (sequences, templates, access rules per user: those are computed when a record is read from the
    # database as that user, so each warm-up creation starts, as a request does, with an empty record cache).
    for agent in agents:
        env.invalidate_all()
        Ticket.with_user(agent).create(make(agent, 2))
        env.cr.flush()
    env.invalidate_all()

    single_queries, single_seconds, single_sql = [], [], []
    for index in range(single):
        agent = agents[index % len(agents)]
        vals = make(agent, 1)
        before = env.cr.sql_log_count
        started = time.perf_counter()
        with recorded_queries(capture_sql) as queries:
            Ticket.with_user(agent).create(vals)
            env.cr.flush()
        single_seconds.append(time.perf_counter() - started)
        single_queries.append(env.cr.sql_log_count - before)
        single_sql.append(queries)
        env.invalidate_all()
    # The queries of the one-ticket creation with the median number of queries.
    captured = sorted(single_sql, key=len)[len(single_sql) // 2] if capture_sql and single_sql else None

    batches = [(agents[index % len(agents)], size) for index, size in enumerate(
        [batch] * (count // batch) + ([count % batch] if count % batch else []))]  # fmt: skip
    prepared = [(agent, make(agent, size)) for agent, size in batches]
    batch_seconds, batch_cpu = [], []
    before = env.cr.sql_log_count

    def create_all():
        for agent, vals_list in prepared:
            started, cpu = time.perf_counter(), time.process_time()
            Ticket.with_user(agent).create(vals_list)
            env.cr.flush()
            batch_seconds.append(time.perf_counter() - started)
            batch_cpu.append(time.process_time() - cpu)
            env.invalidate_all()

    report = None
    if profile:
        _, report = profiled(create_all)
    else:
        create_all()
    total = sum(batch_seconds)
    queries = env.cr.sql_log_count - before
    return {
        "variant": variant,
        "tickets": count,
        "batch": batch,
        "seconds": round(total, 3),
        "tickets_per_second": round(count / total, 2),
        "odoo_cpu_seconds": round(sum(batch_cpu), 3),
        "tickets_per_odoo_cpu_second": round(count / sum(batch_cpu), 2),
        "queries_per_ticket_in_batches": round(queries / count, 1),
        "single_ticket_queries": median(single_queries),
        "single_ticket_ms": round(median(single_seconds) * 1000, 1),
        "open_tickets_before": open_before,
        "profile": report,
        "one_ticket_sql": captured,
    }


@contextlib.contextmanager
def recorded_queries(active=True):
    """Collect the queries run meanwhile (their text, numbers as N, whitespace folded) into the list yielded."""
    queries = []
    if not active:
        yield queries
        return
    original = Cursor.execute

    def execute(self, query, params=None, log_exceptions=True):
        text = getattr(query, "code", query)
        queries.append(re.sub(r"\d+", "N", " ".join(str(text).split()))[:200])
        return original(self, query, params, log_exceptions)

    Cursor.execute = execute
    try:
        yield queries
    finally:
        Cursor.execute = original


def move_clock(moment):
    """Make fields.Datetime.now() return `moment` (what freezegun does, without slowing every datetime down);
    return a function that puts the clock back."""
    Datetime = fields.Datetime
    original = Datetime.__dict__["now"]
    Datetime.now = staticmethod(lambda *args: moment)

    def restore():
        Datetime.now = original

    return restore


def cron(env, share, runs, escalations=False, profile=False):
    """One run of our scheduled job, `runs` times from the same state, rolled back to a savepoint each time.

    The clock is moved forward from now to the moment at which `share` of the active timers have crossed a
    threshold (at-risk or deadline) since the last run. With `escalations`, the policies also get a two-rung
    ladder (a note at risk, a notified supervisor at breach) whose earlier escalations are logged as already
    fired, so that only the timers crossing now escalate; that run is reported apart."""
    Timer = env["cc.sla.timer"]
    now = fields.Datetime.now()
    settled = Timer._cron_check_timers()
    env.cr.flush()
    env.cr.execute("SELECT count(*) FROM cc_sla_timer WHERE state IN ('running', 'at_risk', 'breached', 'paused')")
    active = env.cr.fetchone()[0]
    crossing = max(1, round(active * share))
    env.cr.execute(
        """
        SELECT moment FROM (
            SELECT at_risk_at AS moment FROM cc_sla_timer WHERE state = 'running' AND at_risk_at > %(now)s
             UNION ALL
            SELECT deadline FROM cc_sla_timer WHERE state IN ('running', 'at_risk') AND deadline > %(now)s
        ) AS threshold ORDER BY moment OFFSET %(offset)s LIMIT 1
        """,
        {"now": now, "offset": crossing - 1},
    )
    row = env.cr.fetchone()
    run_at = row[0] if row else now + timedelta(days=30)
    if escalations:
        add_escalation_ladder(env, now)
    seconds, queries, due = [], [], []
    report = None
    for index in range(-1, runs):  # run -1 warms up, as a worker that ran the job before: not counted
        env.cr.execute("SAVEPOINT cron_run")
        env.invalidate_all()
        restore = move_clock(run_at)
        try:
            before = env.cr.sql_log_count
            started = time.perf_counter()

            def job():
                moved = Timer._cron_check_timers()
                env.cr.flush()  # what the cron runner's commit does
                return moved

            if profile and index == runs - 1:
                moved, report = profiled(job)
            else:
                moved = job()
            if index >= 0:
                seconds.append(time.perf_counter() - started)
                queries.append(env.cr.sql_log_count - before)
                due.append(moved)
            fired = env["cc.sla.escalation.log"].search_count([("fired_at", "=", run_at)]) if escalations else 0
        finally:
            restore()
            env.cr.execute("ROLLBACK TO SAVEPOINT cron_run")
            env.invalidate_all(flush=False)
    return {
        "active_timers": active,
        "open_tickets": len(open_ticket_ids(env)),
        "settled_before": settled,
        "clock_moved_by_minutes": round((run_at - now).total_seconds() / 60, 1),
        "timers_moved": due[0],
        "escalations_fired": fired,
        "runs_seconds": [round(s, 4) for s in seconds],
        "median_seconds": round(median(seconds), 4),
        "queries": median(queries),
        "timers_by_state": timer_states(env),
        "profile": report,
    }


def add_escalation_ladder(env, now):
    data = bench_data(env)
    supervisor = data["users"][-1]
    for policy in env["cc.sla.policy"].search([]):
        env["cc.sla.escalation"].create([
            {"name": "Note at risk", "policy_id": policy.id, "level": 1, "trigger": "at_risk",
             "note": "This ticket is at risk of breaching its SLA."},
            {"name": "Supervisor at breach", "policy_id": policy.id, "level": 2, "trigger": "breached",
             "notify_user_ids": [Command.set(supervisor.ids)]},
        ])  # fmt: skip
    env.flush_all()
    # What the job fired before: every at-risk or breached timer has escalated already.
    env.cr.execute(
        """
        SELECT timer.id, rule.id FROM cc_sla_timer timer
          JOIN cc_sla_escalation rule ON rule.policy_id = timer.policy_id
         WHERE timer.state = 'breached' OR (timer.state = 'at_risk' AND rule.trigger = 'at_risk')
        """
    )
    pairs = env.cr.fetchall()
    if pairs:
        env["cc.sla.escalation.log"].claim(pairs, now - timedelta(minutes=1))


def business_time(env, starts, calls, seed, runs):
    """Deadlines per second: our BusinessCalendar.deadlines over `starts` random starts (warm calendar, and
    cold: built from the database first), its one-at-a-time add_working_seconds, and
    resource.calendar.plan_hours on the first `calls` of them, one call per ticket as OCA does; and whether
    both give the same deadlines."""
    from odoo.addons.cc_sla.models import resource_calendar  # noqa: PLC0415 - only in our database

    rng = random.Random(seed)
    calendar = bench_data(env)["calendar"]
    now = fields.Datetime.now()
    moments = [now - timedelta(seconds=rng.uniform(0, SPREAD_DAYS * 86400)) for _ in range(starts)]
    moments = [moment.replace(microsecond=0) for moment in moments]
    targets = [rng.choice((60, 120, 240, 480, 960)) * 60 for _ in range(starts)]

    cold = []
    for _ in range(runs):
        resource_calendar._cache.clear()
        env.invalidate_all()
        started = time.perf_counter()
        ours = calendar.cc_business_calendar().deadlines(moments, targets)
        cold.append(time.perf_counter() - started)
    business = calendar.cc_business_calendar()
    warm = []
    for _ in range(runs):
        started = time.perf_counter()
        ours = business.deadlines(moments, targets)
        warm.append(time.perf_counter() - started)
    started = time.perf_counter()
    one_by_one = [business.add_working_seconds(moment, target) for moment, target in zip(moments, targets, strict=True)]
    single_seconds = time.perf_counter() - started

    sample = list(zip(moments[:calls], targets[:calls], strict=True))
    env.invalidate_all()
    calendar.plan_hours(1, now, compute_leaves=True)  # warm: attendances in the cache
    before = env.cr.sql_log_count
    started = time.perf_counter()
    theirs = [calendar.plan_hours(target / 3600, moment, compute_leaves=True) for moment, target in sample]
    plan_seconds = time.perf_counter() - started
    plan_queries = env.cr.sql_log_count - before
    agree = sum(ours[index] == (theirs[index].replace(tzinfo=None) if theirs[index] else None)
                for index in range(len(sample)))  # fmt: skip
    disagree = [
        {"start": str(moments[i]), "seconds": targets[i], "ours": str(ours[i]), "plan_hours": str(theirs[i])}
        for i in range(len(sample))
        if ours[i] != (theirs[i].replace(tzinfo=None) if theirs[i] else None)
    ][:5]
    return {
        "starts": starts,
        "ours_warm_seconds": round(median(warm), 4),
        "ours_warm_per_second": round(starts / median(warm)),
        "ours_cold_seconds": round(median(cold), 4),
        "ours_cold_per_second": round(starts / median(cold)),
        "ours_one_by_one_per_second": round(starts / single_seconds),
        "same_as_bulk": one_by_one == ours,
        "plan_hours_calls": len(sample),
        "plan_hours_seconds": round(plan_seconds, 3),
        "plan_hours_per_second": round(len(sample) / plan_seconds, 1),
        "plan_hours_ms_per_call": round(plan_seconds / len(sample) * 1000, 3),
        "plan_hours_queries_per_call": round(plan_queries / len(sample), 2),
        "plan_hours_for_all_starts_seconds_estimate": round(plan_seconds / len(sample) * starts, 1),
        "agree_with_plan_hours": agree,
        "disagreements": disagree,
    }


if __name__ == "__main__":
    _in_odoo.main(
        {
            "prepare_base": prepare_base,
            "grow": grow,
            "setup_ours": setup_ours,
            "apply_ours": apply_ours,
            "setup_oca": setup_oca,
            "apply_oca": apply_oca,
            "oca_recompute": oca_recompute,
            "create": create,
            "cron": cron,
            "business_time": business_time,
        },
        rolled_back=("oca_recompute", "create", "cron", "business_time"),
    )
