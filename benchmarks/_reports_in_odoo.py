"""The part of bench_reports.py that runs inside Odoo: build the data in bulk SQL, time the KPI refresh, the KPI
service and the dashboard.

Run by bench_reports.py through OdooBench.run_in_odoo (see _in_odoo.py), never by hand. The bulk inserts are
_timeline_in_odoo.py's.
"""

import cProfile
import io
import pstats
import time
from datetime import datetime, timedelta
from unittest.mock import patch

import _in_odoo
from _timeline_in_odoo import (
    QueryMeter,
    Steps,
    crm_stages,
    explain,
    explain_analyze,
    helpdesk_stages,
    insert_customers,
    insert_interactions,
    insert_leads,
    insert_tickets,
    make_agents,
    make_channels,
    median,
    now_utc,
)

from odoo.tools import SQL

# Four teams of five agents; the channels spread over them (name, type, provider, team, share).
TEAMS = {
    "front": ("Front Line", range(0, 5)),
    "billing": ("Billing", range(5, 10)),
    "tech": ("Technical Support", range(10, 15)),
    "back": ("Back Office", range(15, 20)),
}
AGENTS = 20
CHANNELS = [
    ("Phone", "voice", "twilio", "front", 0.30),
    ("SMS", "sms", "twilio", "billing", 0.20),
    ("WhatsApp", "whatsapp", "meta", "tech", 0.20),
    ("Email", "email", "odoo_mail", "back", 0.15),
    ("Live Chat", "livechat", "odoo_livechat", None, 0.05),
    ("Telegram", "telegram", "telegram", "tech", 0.05),
    ("Web Form", "webform", "generic", "back", 0.05),
]
CONTEXT = {"lang": "en_US", "tz": "Europe/Brussels"}


def prepare(env, partners, interactions, tickets, days, timer_share, survey_share, upsell_flags, seed):
    """The contact center of the benchmark: 20 agents in four teams, 7 channels, `partners` customers,
    `interactions` interactions and `tickets` tickets over the last `days` days, SLA timers on `timer_share` of
    the tickets, surveys on `survey_share` of the solved ones, `upsell_flags` prompts (one in five won with
    its opportunity); then a full KPI refresh (timed) and ANALYZE."""
    steps = Steps()
    company = env.ref("base.main_company")
    company.country_id = env.ref("base.be")
    env.cr.execute(SQL("SELECT setseed(%s)", (seed % 1000) / 1000))
    now = now_utc()
    customers = steps("customers", insert_customers, env, partners, company)
    env.cr.execute("ANALYZE res_partner")
    users, teams = make_agents(env, AGENTS, TEAMS)
    channels = make_channels(env, company, teams, CHANNELS, TEAMS)
    policy = env["cc.sla.policy"].create({
        "name": "Standard", "company_id": company.id,
        "target_ids": [(0, 0, {"kind": "first_response", "minutes": 60}),
                       (0, 0, {"kind": "resolution", "minutes": 960})],
    })  # fmt: skip
    salesman = env.ref("sales_team.group_sale_salesman")
    salespeople = env["res.users"].with_context(no_reset_password=True).create([
        {"name": f"Sales Rep {n}", "login": f"bench_sales_{n}", "group_ids": [(6, 0, salesman.ids)]}
        for n in range(3)
    ])  # fmt: skip
    sales_team = env["crm.team"].create({"name": "Upsell Desk", "member_ids": [(6, 0, salespeople.ids)]})
    rule = env["cc.upsell.rule"].create(
        {"name": "Fiber upgrade", "trigger": "inbound", "keywords": "fiber", "offer": "Fiber 1 Gbit", "active": False,
         "company_id": company.id}
    )  # fmt: skip
    env.flush_all()

    steps("tickets", insert_tickets, env, tickets, customers, company=company, channels=channels,
          agent_ids=users.ids, stages=helpdesk_stages(env), now=now, days=days, closed_share=0.85,
          prefix="BT")  # fmt: skip
    steps("interactions", insert_interactions, env, interactions, customers, channels=channels,
          agent_ids=users.ids, now=now, days=days, prefix="bench-")  # fmt: skip
    steps("SLA timers", insert_timers, env, policy, timer_share)
    steps("surveys", insert_surveys, env, survey_share)
    steps("upsell prompts", insert_upsell, env, rule, customers, upsell_flags, sales_team, salespeople.ids, now, days)
    steps("ANALYZE", env.cr.execute, "ANALYZE")
    refreshed = steps("full KPI refresh", env["cc.kpi.contact"].refresh, full=True)
    steps(
        "ANALYZE the KPI facts",
        env.cr.execute,
        "ANALYZE cc_kpi_contact, cc_kpi_summary, cc_kpi_ticket, cc_kpi_sla_outcome",
    )
    env.cr.execute("SELECT state, count(*) FROM cc_sla_timer GROUP BY state")
    timers = dict(env.cr.fetchall())
    return {
        "channels": [
            {"name": channel["name"], "type": channel["type"], "share": channel["share"]} for channel in channels
        ],
        "teams": {key: team.id for key, team in teams.items()},
        "counts": {
            "customers": len(customers),
            "interactions": env["cc.interaction"].search_count([]),
            "inbound_interactions": env["cc.interaction"].search_count([("direction", "=", "inbound")]),
            "tickets": env["helpdesk.ticket"].search_count([]),
            "open_tickets": env["helpdesk.ticket"].search_count([("stage_id.closed", "=", False)]),
            "sla_timers": timers,
            "surveys_answered": env["cc.survey"].search_count([("state", "=", "answered")]),
            "upsell_flags": env["cc.upsell.flag"].search_count([]),
            "upsell_won": env["cc.upsell.flag"].search_count([("state", "=", "won")]),
            "kpi_contact_rows": refreshed,
            "kpi_summary_rows": env["cc.kpi.summary"].search_count([]),
            "kpi_ticket_rows": env["cc.kpi.ticket"].search_count([]),
            "kpi_sla_outcome_rows": env["cc.kpi.sla.outcome"].search_count([]),
        },
        "prepare_seconds": steps.seconds,
        "full_refresh_seconds": steps.seconds["full KPI refresh"],
    }


def insert_timers(env, policy, share):
    """A first-response and a resolution timer on `share` of the tickets, as cc_sla leaves them: on solved
    tickets met (one in ten late, one in twenty breached and then solved), on open ones running, at risk or
    breached, the deadline 1 and 16 working hours after the ticket opened (in plain hours here)."""
    env.cr.execute(SQL(
        """
        INSERT INTO cc_sla_timer (ticket_id, policy_id, company_id, kind, target_minutes, start_at, deadline,
                                  at_risk_at, reached_at, paused_seconds, state, create_uid, write_uid, create_date,
                                  write_date)
        SELECT t.id, %(policy)s, t.company_id, kind.name, kind.minutes, t.create_date,
               t.create_date + kind.minutes * interval '1 minute',
               t.create_date + kind.minutes * 0.75 * interval '1 minute',
               CASE WHEN t.closed_date IS NULL THEN NULL
                    WHEN kind.name = 'resolution' THEN t.closed_date
                    ELSE t.create_date + (t.id %% 90) * interval '1 minute' END,
               0,
               CASE WHEN t.closed_date IS NOT NULL THEN
                        CASE WHEN t.id %% 20 = 0 THEN 'breached' WHEN t.id %% 10 = 0 THEN 'met_late' ELSE 'met' END
                    WHEN t.create_date + kind.minutes * interval '1 minute' < now() AT TIME ZONE 'UTC' THEN 'breached'
                    WHEN t.create_date + kind.minutes * 0.75 * interval '1 minute' < now() AT TIME ZONE 'UTC'
                        THEN 'at_risk'
                    ELSE 'running' END,
               1, 1, t.create_date, COALESCE(t.closed_date, t.create_date)
          FROM helpdesk_ticket t
         CROSS JOIN (VALUES ('first_response', 60), ('resolution', 960)) AS kind(name, minutes)
         WHERE (t.id::bigint * 7919) %% 1000 < %(share)s * 1000
        """,
        policy=policy.id, share=share,
    ))  # fmt: skip
    return env.cr.rowcount


def insert_surveys(env, share):
    """A CSAT survey on `share` of the solved tickets (and an NPS one on half of those), seven in ten answered
    a day after the ticket was solved, the others expired."""
    env.cr.execute(SQL(
        """
        INSERT INTO cc_survey (kind, partner_id, ticket_id, team_id, user_id, company_id, token, state, score,
                               channel_type, sent_at, answered_at, expires_at, create_uid, write_uid, create_date,
                               write_date)
        SELECT kind, t.partner_id, t.id, t.team_id, t.user_id, t.company_id, md5(kind || t.id),
               CASE WHEN answered THEN 'answered' ELSE 'expired' END,
               CASE WHEN NOT answered THEN NULL WHEN kind = 'csat' THEN 1 + (t.id * 31) %% 5 ELSE (t.id * 17) %% 11 END,
               COALESCE(ch.channel_type, 'email'), t.closed_date,
               CASE WHEN answered THEN LEAST(t.closed_date + interval '1 day', now() AT TIME ZONE 'UTC') END,
               t.closed_date + interval '14 days', 1, 1, t.closed_date, t.closed_date
          FROM helpdesk_ticket t
          LEFT JOIN cc_channel ch ON ch.id = t.cc_channel_id
         CROSS JOIN LATERAL (SELECT (t.id * 13) %% 10 < 7 AS answered) a
         CROSS JOIN (VALUES ('csat'), ('nps')) AS kinds(kind)
         WHERE t.closed_date IS NOT NULL AND (t.id::bigint * 104729) %% 1000 < %(share)s * 1000
           AND (kind = 'csat' OR t.id %% 2 = 0)
        """,
        share=share,
    ))  # fmt: skip
    return env.cr.rowcount


def insert_upsell(env, rule, customers, count, sales_team, salespeople, now, days):
    """`count` prompts raised on recent inbound contacts with a ticket-less interaction, one in five won (with a
    won opportunity closed after it), two in five dismissed, the rest open."""
    insert_leads(env, count, customers[:count], company=env.company, sales_team=sales_team,
                 salespeople=salespeople, stages=crm_stages(env), now=now, days=days)  # fmt: skip
    env.cr.execute(SQL(
        """
        WITH prompt AS (
            SELECT i.id AS interaction_id, i.partner_id, i.received_at, row_number() OVER (ORDER BY i.id) AS n
              FROM cc_interaction i
             WHERE i.direction = 'inbound' AND i.id %% 97 = 0 AND i.partner_id IS NOT NULL
             LIMIT %(count)s
        ), won AS (
            SELECT l.id, l.partner_id, l.expected_revenue, row_number() OVER (ORDER BY l.id) AS n
              FROM crm_lead l WHERE l.won_status = 'won'
        )
        INSERT INTO cc_upsell_flag (partner_id, rule_id, company_id, state, offer, interaction_id, lead_id, won_revenue,
                                    expected_revenue, create_date, write_date, create_uid, write_uid)
        SELECT p.partner_id, %(rule)s, %(company)s,
               CASE WHEN won.id IS NOT NULL THEN 'won' WHEN p.n %% 5 < 3 THEN 'dismissed' ELSE 'lost' END,
               'Fiber 1 Gbit', p.interaction_id, won.id, won.expected_revenue, 500, p.received_at, p.received_at, 1, 1
          FROM prompt p LEFT JOIN won ON won.n * 5 = p.n
        """,
        count=count, rule=rule.id, company=env.company.id,
    ))  # fmt: skip
    return env.cr.rowcount


# --- measuring ---------------------------------------------------------------------------------------------


def admin_env(env):
    admin = env.ref("base.user_admin")
    return env(user=admin, su=False, context={**CONTEXT, "allowed_company_ids": admin.company_ids.ids})


def previous_month(now):
    first_of_this = datetime(now.year, now.month, 1)
    first_of_previous = (first_of_this - timedelta(days=1)).replace(day=1)
    return first_of_previous, first_of_this


SOURCES = ("refresh", "_contact_figures", "_fcr", "_surveys", "_sla", "_backlog", "_upsell", "live_data")


class SourceTimer:
    """Seconds, queries and calls of each method of SOURCES (the KPI sources, the refresh, the live panel)."""

    def __init__(self, env):
        self.env = env
        self.figures = {}
        self.patches = []

    def __enter__(self):
        for model, method in [("cc.kpi.contact", "refresh"), ("cc.dashboard", "live_data")] + [
            ("cc.kpi", name) for name in SOURCES if name.startswith("_")
        ]:
            cls = type(self.env[model])
            self.patches.append(patch.object(cls, method, self._timed(method, getattr(cls, method))))
        for patcher in self.patches:
            patcher.start()
        return self

    def __exit__(self, *_exc):
        for patcher in self.patches:
            patcher.stop()

    def _timed(self, name, original):
        timer = self

        def timed(model, *args, **kwargs):
            count, started = model.env.cr.sql_log_count, time.perf_counter()
            try:
                return original(model, *args, **kwargs)
            finally:
                seconds, queries, calls = timer.figures.get(name, (0.0, 0, 0))
                timer.figures[name] = (
                    seconds + time.perf_counter() - started,
                    queries + model.env.cr.sql_log_count - count,
                    calls + 1,
                )

        return timed

    def take(self):
        figures, self.figures = self.figures, {}
        return figures


def timed_runs(env, function, runs, explain_dir, explain_prefix, label, explain_top=3):
    """`function()` once to warm up, then `runs` times after an emptied ORM cache: seconds, SQL seconds,
    queries, and per source; the slowest statements of the last run explained."""
    env.invalidate_all()
    with QueryMeter(env.cr) as first:
        function()
    seconds, sql_seconds, queries, sources = [], [], [], []
    with SourceTimer(env) as source_timer:
        for run in range(runs):
            env.invalidate_all()
            source_timer.take()
            with QueryMeter(env.cr, capture=run == runs - 1) as meter:
                function()
            seconds.append(meter.seconds)
            sql_seconds.append(meter.sql_seconds)
            queries.append(meter.queries)
            sources.append(source_timer.take())
    per_source = {}
    for name in SOURCES:
        values = [run[name] for run in sources if name in run]
        if values:
            per_source[name] = {
                "calls_per_run": median([value[2] for value in values]),
                "ms_median": round(median([value[0] for value in values]) * 1000, 2),
                "queries_median": median([value[1] for value in values]),
            }
    slowest = sorted(meter.statements, key=lambda statement: -statement["ms"])[:explain_top]
    plans = [
        explain(env, statement, explain_dir, f"{label} {n + 1}", explain_prefix) for n, statement in enumerate(slowest)
    ]
    for plan, statement in zip(plans, slowest, strict=True):
        plan["query_start"] = " ".join(statement["query"].split())[:160]
        plan["ms_in_run"] = round(statement["ms"], 2)
        if "Gather" in plan["top"]:  # on 2 busy cores, do the parallel workers help?
            env.cr.execute("SET max_parallel_workers_per_gather = 0")
            serial = explain_analyze(env.cr, statement["query"], statement["params"])
            env.cr.execute("RESET max_parallel_workers_per_gather")
            plan["serial_execution_ms"] = round(serial["Execution Time"], 2)
    return {
        "runs": runs,
        "first_call_ms": round(first.seconds * 1000, 2),
        "first_call_queries": first.queries,
        "median_ms": round(median(seconds) * 1000, 2),
        "min_ms": round(min(seconds) * 1000, 2),
        "max_ms": round(max(seconds) * 1000, 2),
        "sql_median_ms": round(median(sql_seconds) * 1000, 2),
        "queries_median": median(queries),
        "queries_max": max(queries),
        "per_source": per_source,
        "slowest_statements": plans,
    }


def insert_new_contacts(env, count, prefix):
    """`count` interactions received in the last hour and written now, on the benchmark's channel mix."""
    channels = [
        {"id": channel.id, "type": channel.channel_type, "team_id": channel.team_id.id or None, "share": share,
         "agents": list(TEAMS[team][1]) if team else None}
        for channel, (_name, _type, _provider, team, share) in zip(
            env["cc.channel"].search([], order="id"), CHANNELS, strict=True)
    ]  # fmt: skip
    agent_ids = env["res.users"].search([("login", "like", "bench_agent_%")], order="id").ids
    customers = env["res.partner"].search([("phone_sanitized", "like", "+3247%")]).ids
    return insert_interactions(env, count, customers, channels=channels, agent_ids=agent_ids, now=now_utc(),
                               days=1 / 24, prefix=prefix, written_at=now_utc())  # fmt: skip


def measure(env, new_interactions, refresh_runs, runs, explain_dir, explain_prefix="reports"):
    """In a transaction rolled back: the incremental refresh after `new_interactions` new contacts (median of
    `refresh_runs`, each rolled back to a savepoint), `cc.kpi.compute` for last month by team and channel and the
    dashboard's data for 7 days, as the administrator (`runs` each, median)."""
    admin = admin_env(env)
    Facts = admin["cc.kpi.contact"]

    refresh = {"seconds": [], "queries": [], "rows": [], "insert_seconds": []}
    for run in range(refresh_runs):
        savepoint = env.cr.savepoint()
        started = time.perf_counter()
        insert_new_contacts(env, new_interactions, f"new{run}-")
        refresh["insert_seconds"].append(time.perf_counter() - started)
        env.invalidate_all()
        with QueryMeter(env.cr, capture=run == 0) as meter:
            refresh["rows"].append(Facts.refresh())
        refresh["seconds"].append(meter.seconds)
        refresh["queries"].append(meter.queries)
        if run == 0:
            refresh["statements"] = [
                {"ms": round(statement["ms"], 2), "query_start": " ".join(statement["query"].split())[:100]}
                for statement in sorted(meter.statements, key=lambda statement: -statement["ms"])
            ]
            upsert = max(meter.statements, key=lambda statement: statement["ms"])
            refresh_plan = explain(env, upsert, explain_dir, "refresh upsert", explain_prefix)
        savepoint.close(rollback=True)  # the new contacts and the watermark go: the next run starts the same
        env.invalidate_all()
        env.registry.clear_cache()  # ir.config_parameter's cache may hold the rolled back watermark
    # nothing new since the last refresh: only the safety margin of 10 minutes is read again
    with QueryMeter(env.cr) as idle:
        idle_rows = Facts.refresh()

    month_start, month_end = previous_month(now_utc())
    compute = timed_runs(
        env,
        lambda: admin["cc.kpi"].compute(month_start, month_end, groupby=["team_id", "channel_type"]),
        runs,
        explain_dir,
        explain_prefix,
        "compute",
    )
    rows = admin["cc.kpi"].compute(month_start, month_end, groupby=["team_id", "channel_type"])
    dashboard = timed_runs(
        env, lambda: admin["cc.dashboard"].dashboard_data("7d"), runs, explain_dir, explain_prefix, "dashboard"
    )
    data = admin["cc.dashboard"].dashboard_data("7d")
    return {
        "refresh": {
            "new_interactions": new_interactions,
            "runs": refresh_runs,
            "median_ms": round(median(refresh["seconds"]) * 1000, 2),
            "all_ms": [round(value * 1000, 2) for value in refresh["seconds"]],
            "rows_upserted": refresh["rows"],
            "queries_median": median(refresh["queries"]),
            "insert_ms_median": round(median(refresh["insert_seconds"]) * 1000, 2),
            "upsert_plan": refresh_plan,
            "statements_first_run": refresh["statements"],
            "nothing_new_ms": round(idle.seconds * 1000, 2),
            "nothing_new_rows": idle_rows,
        },
        "compute": {
            **compute,
            "period": [month_start.isoformat(), month_end.isoformat()],
            "groups": len(rows),
            "offered": sum(row["offered"] for row in rows),
            "sample_row": {key: value for key, value in rows[0].items() if not isinstance(value, dict)}
            if rows
            else None,
        },
        "dashboard": {
            **dashboard,
            "offered": data["cards"]["offered"]["value"],
            "trend_days": len(data["trend"]),
            "agents": len(data["live"]["agents"]),
        },
    }


def profile(env, what, new_interactions=10_000, top=30):
    """cProfile of one warm call of `compute` ('compute') or `dashboard_data` ('dashboard') as the administrator,
    or of the refresh after `new_interactions` new contacts ('refresh')."""
    admin = admin_env(env)
    month_start, month_end = previous_month(now_utc())
    calls = {
        "compute": lambda: admin["cc.kpi"].compute(month_start, month_end, groupby=["team_id", "channel_type"]),
        "dashboard": lambda: admin["cc.dashboard"].dashboard_data("7d"),
        "refresh": admin["cc.kpi.contact"].refresh,
    }
    if what == "refresh":
        insert_new_contacts(env, new_interactions, "profiled-")
    else:
        calls[what]()  # warm
    env.invalidate_all()
    profiler = cProfile.Profile()
    profiler.runcall(calls[what])
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    return {"profile": text.getvalue()}


if __name__ == "__main__":
    _in_odoo.main({"prepare": prepare, "measure": measure, "profile": profile}, rolled_back=("measure", "profile"))
