"""The part of bench_timeline.py that runs inside Odoo: build the data in bulk SQL, time the timeline pages and
the upsell rules of an inbound contact.

Run by bench_timeline.py through OdooBench.run_in_odoo (see _in_odoo.py), never by hand. The bulk helpers
(customers, tickets, leads, interactions, chatter) are shared with _reports_in_odoo.py.
"""

import cProfile
import io
import json
import pstats
import random
import statistics
import threading
import time
from pathlib import Path
from unittest.mock import patch
from urllib.parse import urlencode

import _in_odoo
from _harness import latency_summary_ms

from odoo import fields
from odoo.tools import SQL

# (name, channel type, provider, team, share of the interactions); the team is a key of TEAMS or None.
CHANNELS = [
    ("Phone", "voice", "twilio", "front", 0.30),
    ("SMS", "sms", "twilio", "front", 0.20),
    ("WhatsApp", "whatsapp", "meta", "front", 0.20),
    ("Email", "email", "odoo_mail", "back", 0.15),
    ("Live Chat", "livechat", "odoo_livechat", None, 0.05),
    ("Telegram", "telegram", "telegram", "front", 0.05),
    ("Web Form", "webform", "generic", "back", 0.05),
]
TEAMS = {"front": ("Front Line", range(0, 6)), "back": ("Back Office", range(6, 10))}  # agents by number
AGENTS = 10
SMS_NUMBER = "+3225550000"

BODIES = [
    "Hi, my order has not arrived yet. Can you check where it is?",
    "Bonjour, j'ai été facturé deux fois ce mois-ci. Merci de vérifier.",
    "Goeiedag, mijn pakket is beschadigd aangekomen. Wat moet ik doen?",
    "Can I upgrade my fiber line to 1 Gbit? What is the price?",
    "The app says my subscription ended but I paid yesterday.",
    "We are moving next month, how do I transfer the contract?",
    "I need an invoice with our VAT number, please.",
    "Is roaming included when I travel to Spain?",
    "Our business needs five more lines, who can help?",
    "Thanks, that solved it!",
]
FIRST_NAMES = ["Emma", "Lucas", "Olivia", "Noah", "Louise", "Arthur", "Léa", "Mohamed", "Elena", "Hugo"]
LAST_NAMES = ["Peeters", "Janssens", "Maes", "Mertens", "De Smet", "Dubois", "Dupont", "Van Damme", "Nguyen"]


def now_utc():
    return fields.Datetime.now()


def customer_phone(n):
    """Customer n's mobile number, E.164 (Belgian +32 47x)."""
    return f"+3247{n:07d}"


# --- bulk data, shared with _reports_in_odoo.py ---------------------------------------------------------


def insert_customers(env, count, company):
    """`count` people, customer n with phone customer_phone(n), a phone identity and an email; 4 in 5 in
    Belgium. Returns their ids, in the order of n."""
    env.cr.execute(SQL(
        """
        INSERT INTO res_partner (id, name, complete_name, commercial_partner_id, type, active, is_company,
                                 partner_share, lang, color, phone, phone_sanitized, email, email_normalized,
                                 country_id, create_uid, write_uid, create_date, write_date)
        SELECT id, name, name, id, 'contact', TRUE, FALSE, TRUE, 'en_US', 0, phone, phone,
               'customer' || n || '@example.com', 'customer' || n || '@example.com',
               CASE WHEN n %% 5 <> 0 THEN %(country)s END, 1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM (SELECT nextval('res_partner_id_seq') AS id, n,
                       (%(first)s::varchar[])[1 + n %% %(n_first)s] || ' ' ||
                       (%(last)s::varchar[])[1 + (n / %(n_first)s) %% %(n_last)s] || ' ' || n AS name,
                       '+3247' || lpad(n::text, 7, '0') AS phone
                  FROM generate_series(0, %(count)s - 1) AS n) AS customer
         ORDER BY n
        RETURNING id
        """,
        first=FIRST_NAMES, last=LAST_NAMES, n_first=len(FIRST_NAMES), n_last=len(LAST_NAMES), count=count,
        country=env.ref("base.be").id,
    ))  # fmt: skip
    ids = sorted(row[0] for row in env.cr.fetchall())
    env.cr.execute(SQL(
        """
        INSERT INTO cc_identity (partner_id, company_id, kind, value, create_uid, write_uid, create_date, write_date)
        SELECT id, %(company)s, 'phone', phone_sanitized, 1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM res_partner WHERE id = ANY(%(ids)s)
        """,
        company=company.id, ids=ids,
    ))  # fmt: skip
    return ids


def channel_arrays(channels, agent_ids):
    """The SQL arrays the bulk inserts pick a channel from: ids, types, teams, the upper bounds of their
    shares (for width_bucket), and the range of agents (1-based, in agent_ids) who work each one.

    `channels`: dicts with id, type, team_id, share and agents (the numbers of the agents of its team, or
    None for every agent).
    """
    bounds, total = [], 0.0
    for channel in channels[:-1]:
        total += channel["share"]
        bounds.append(round(total, 6))
    lows, highs = [], []
    for channel in channels:
        numbers = channel["agents"] or range(len(agent_ids))
        lows.append(min(numbers) + 1)
        highs.append(max(numbers) + 1)
    return {
        "ch_ids": [channel["id"] for channel in channels],
        "ch_types": [channel["type"] for channel in channels],
        "ch_teams": [channel["team_id"] for channel in channels],
        "ch_bounds": bounds or [2.0],
        "ch_low": lows,
        "ch_high": highs,
        "agents": agent_ids,
    }


def insert_tickets(env, count, partner_ids, *, company, channels, agent_ids, stages, now, days, closed_share,
                   prefix):  # fmt: skip
    """`count` tickets of customers drawn from `partner_ids`, created over the last `days` days, numbered
    prefix + id; `closed_share` of them closed within 5 days (Done, one in ten Cancelled), the others in an
    open stage. Team and channel as the channel mix says, an agent of the team for 9 in 10."""
    env.cr.execute(SQL(
        """
        WITH source AS (
            SELECT nextval('helpdesk_ticket_id_seq') AS id, random() AS r_at, random() AS r_stage,
                   random() AS r_close, random() AS r_agent, random() AS r_name, random() AS r_channel,
                   (%(partners)s::int[])[1 + floor(random() * %(n_partners)s)::int] AS partner_id
              FROM generate_series(1, %(count)s)
        ), picked AS (
            SELECT source.*, 1 + width_bucket(r_channel, %(ch_bounds)s::float8[]) AS ch,
                   %(now)s::timestamp - r_at * %(days)s * interval '1 day' AS at,
                   r_stage < %(closed_share)s AND r_at * %(days)s > 1.0 / 24 AS closed
              FROM source
        ), staged AS (
            SELECT picked.*,
                   CASE WHEN closed AND r_stage < %(closed_share)s * 0.9 THEN %(done)s
                        WHEN closed THEN %(cancelled)s
                        ELSE (%(open)s::int[])[1 + floor(r_close * %(n_open)s)::int] END AS stage_id,
                   CASE WHEN closed THEN LEAST(at + r_close * interval '5 days', %(now)s::timestamp) END AS closed_at
              FROM picked
        )
        INSERT INTO helpdesk_ticket (id, number, name, description, partner_id, commercial_partner_id,
                                     partner_name, partner_email, company_id, team_id, user_id, stage_id,
                                     unattended, priority, kanban_state, active, sequence, color, cc_channel_id,
                                     create_date, write_date, last_stage_update, assigned_date, closed_date,
                                     create_uid, write_uid)
        SELECT s.id, %(prefix)s || lpad(s.id::text, 7, '0'), left(body, 60), '<p>' || body || '</p>', s.partner_id,
               p.commercial_partner_id, p.name, p.email, %(company)s, (%(ch_teams)s::int[])[ch],
               CASE WHEN r_agent < 0.9 THEN (%(agents)s::int[])[(%(ch_low)s::int[])[ch]
                   + floor(r_agent / 0.9 * ((%(ch_high)s::int[])[ch] - (%(ch_low)s::int[])[ch] + 1))::int] END,
               s.stage_id, st.unattended, (1 + floor(r_name * 3))::int::text, 'normal', TRUE, 10, 0,
               (%(ch_ids)s::int[])[ch], at, COALESCE(closed_at, at), COALESCE(closed_at, at), at, closed_at, 1, 1
          FROM staged s
          JOIN res_partner p ON p.id = s.partner_id
          JOIN helpdesk_ticket_stage st ON st.id = s.stage_id
         CROSS JOIN LATERAL (SELECT (%(bodies)s::varchar[])[1 + floor(r_name * %(n_bodies)s)::int] AS body) b
        """,
        partners=partner_ids, n_partners=len(partner_ids), count=count, now=now, days=days,
        closed_share=closed_share, done=stages["done"], cancelled=stages["cancelled"], open=stages["open"],
        n_open=len(stages["open"]), prefix=prefix, company=company.id, bodies=BODIES, n_bodies=len(BODIES),
        **channel_arrays(channels, agent_ids),
    ))  # fmt: skip
    return env.cr.rowcount


def insert_leads(env, count, partner_ids, *, company, sales_team, salespeople, stages, now, days):
    """`count` leads and opportunities of customers drawn from `partner_ids`, over the last `days` days: one in
    five won, one in five lost (archived), the rest pending; closed ones with their date_closed."""
    env.cr.execute(SQL(
        """
        WITH source AS (
            SELECT random() AS r_at, random() AS r_state, random() AS r_close, random() AS r_name,
                   (%(partners)s::int[])[1 + floor(random() * %(n_partners)s)::int] AS partner_id
              FROM generate_series(1, %(count)s)
        ), picked AS (
            SELECT source.*, %(now)s::timestamp - r_at * %(days)s * interval '1 day' AS at,
                   CASE WHEN r_state < 0.2 THEN 'won' WHEN r_state < 0.4 THEN 'lost' ELSE 'pending' END AS status
              FROM source
        )
        INSERT INTO crm_lead (name, type, partner_id, contact_name, email_from, company_id, team_id, user_id,
                              stage_id, active, won_status, probability, automated_probability, expected_revenue,
                              prorated_revenue, priority, date_open, date_closed, date_last_stage_update,
                              create_date, write_date, create_uid, write_uid)
        SELECT CASE WHEN r_name < 0.5 THEN 'Upgrade ' ELSE 'New lines ' END || p.name,
               CASE WHEN r_name < 0.3 THEN 'lead' ELSE 'opportunity' END, p.id, p.name, p.email, %(company)s,
               %(team)s, (%(salespeople)s::int[])[1 + floor(r_close * %(n_sales)s)::int],
               CASE status WHEN 'won' THEN %(won)s ELSE (%(open)s::int[])[1 + floor(r_close * %(n_open)s)::int] END,
               status <> 'lost', status, CASE status WHEN 'won' THEN 100 WHEN 'lost' THEN 0 ELSE 30 END, 30,
               round((100 + r_name * 5000)::numeric, 2),
               round((100 + r_name * 5000)::numeric * CASE status WHEN 'won' THEN 1 WHEN 'lost' THEN 0 ELSE 0.3 END, 2),
               '1', at,
               CASE WHEN status <> 'pending' THEN LEAST(at + r_close * interval '20 days', %(now)s::timestamp) END,
               at, at, at, 1, 1
          FROM picked JOIN res_partner p ON p.id = picked.partner_id
        """,
        partners=partner_ids, n_partners=len(partner_ids), count=count, now=now, days=days, company=company.id,
        team=sales_team.id, salespeople=salespeople, n_sales=len(salespeople), won=stages["won"],
        open=stages["open"], n_open=len(stages["open"]),
    ))  # fmt: skip
    return env.cr.rowcount


def insert_interactions(env, count, partner_ids, *, channels, agent_ids, now, days, prefix, missed_share=0.08,
                        ticket_ids=(), ticket_share=0.0, written_at=None):  # fmt: skip
    """`count` interactions of customers drawn from `partner_ids`, received over the last `days` days on the
    channel mix: 4 in 5 inbound (answered after a skewed wait, talked 1-11 minutes, or missed), the others
    outbound. External ids prefix + n. `ticket_share` of them linked to a ticket drawn from `ticket_ids`.
    write_date is when the contact ended (as the KPI refresh expects of history), or `written_at`."""
    env.cr.execute(SQL(
        """
        WITH source AS (
            SELECT n, random() AS r_at, random() AS r_channel, random() AS r_direction, random() AS r_state,
                   random() AS r_wait, random() AS r_talk, random() AS r_agent, random() AS r_body,
                   random() AS r_ticket,
                   (%(partners)s::int[])[1 + floor(random() * %(n_partners)s)::int] AS partner_id
              FROM generate_series(1, %(count)s) AS n
        ), picked AS (
            SELECT source.*, 1 + width_bucket(r_channel, %(ch_bounds)s::float8[]) AS ch,
                   %(now)s::timestamp - r_at * %(days)s * interval '1 day' AS at,
                   r_direction < 0.8 AS inbound, floor(r_wait * r_wait * 90)::int AS wait,
                   60 + floor(r_talk * 600)::int AS talk
              FROM source
        ), states AS (
            SELECT picked.*,
                   CASE WHEN NOT inbound THEN 'done'
                        WHEN r_state < %(missed_share)s THEN 'missed'
                        WHEN at > %(now)s::timestamp - interval '15 minutes' THEN 'queued'
                        WHEN at > %(now)s::timestamp - interval '30 minutes' THEN 'in_progress'
                        ELSE 'done' END AS state
              FROM picked
        )
        INSERT INTO cc_interaction (channel_id, channel_type, company_id, direction, partner_id, external_id, body,
                                    summary, state, received_at, queued_at, answered_at, ended_at, wait_seconds,
                                    talk_seconds, user_id, team_id, ticket_id, create_uid, write_uid, create_date,
                                    write_date)
        SELECT (%(ch_ids)s::int[])[ch], (%(ch_types)s::varchar[])[ch], %(company)s,
               CASE WHEN inbound THEN 'inbound' ELSE 'outbound' END, partner_id, %(prefix)s || n, body, body, state,
               at, CASE WHEN inbound THEN at END,
               CASE WHEN state IN ('done', 'in_progress') AND inbound THEN at + wait * interval '1 second' END,
               CASE WHEN state = 'done' AND inbound THEN at + (wait + talk) * interval '1 second'
                    WHEN state = 'missed' THEN at + wait * interval '1 second' END,
               CASE WHEN inbound AND state IN ('done', 'in_progress', 'missed') THEN wait END,
               CASE WHEN inbound AND state = 'done' AND (%(ch_types)s::varchar[])[ch] = 'voice' THEN talk END,
               CASE WHEN state <> 'missed' AND r_agent < 0.95 THEN (%(agents)s::int[])[(%(ch_low)s::int[])[ch]
                   + floor(r_agent / 0.95 * ((%(ch_high)s::int[])[ch] - (%(ch_low)s::int[])[ch] + 1))::int] END,
               (%(ch_teams)s::int[])[ch],
               CASE WHEN r_ticket < %(ticket_share)s
                    THEN (%(tickets)s::int[])[1 + floor(r_ticket / %(ticket_share)s * %(n_tickets)s)::int] END,
               1, 1, at,
               COALESCE(%(written_at)s::timestamp, LEAST(
                   at + CASE WHEN state = 'done' AND inbound THEN (wait + talk) ELSE wait END * interval '1 second',
                   %(now)s::timestamp))
          FROM states
         CROSS JOIN LATERAL (SELECT (%(bodies)s::varchar[])[1 + floor(r_body * %(n_bodies)s)::int] AS body) b
        """,
        partners=partner_ids, n_partners=len(partner_ids), count=count, now=now, days=days, prefix=prefix,
        missed_share=missed_share, company=env.company.id, bodies=BODIES, n_bodies=len(BODIES),
        tickets=list(ticket_ids) or [None], n_tickets=max(len(ticket_ids), 1), ticket_share=ticket_share,
        written_at=written_at,
        **channel_arrays(channels, agent_ids),
    ))  # fmt: skip
    return env.cr.rowcount


def insert_ticket_messages(env, prefix, *, share=1.0):
    """One public message in the chatter of `share` of the tickets numbered prefix..., written by the
    customer or the agent a few hours after the ticket opened; and a stage-change tracking message
    (In Progress -> Done or Cancelled) on one closed ticket in three."""
    comment = env.ref("mail.mt_comment").id
    env.cr.execute(SQL(
        """
        INSERT INTO mail_message (model, res_id, record_company_id, message_type, subtype_id, author_id, body, date,
                                  message_id, create_uid, write_uid, create_date, write_date)
        SELECT 'helpdesk.ticket', t.id, t.company_id, 'comment', %(comment)s,
               CASE WHEN t.id %% 2 = 0 OR u.partner_id IS NULL THEN t.partner_id ELSE u.partner_id END,
               '<p>' || t.name || '</p>',
               LEAST(t.create_date + (t.id %% 48) * interval '1 hour', now() AT TIME ZONE 'UTC'),
               '<bench-t' || t.id || '@example.com>', 1, 1, t.create_date, t.create_date
          FROM helpdesk_ticket t LEFT JOIN res_users u ON u.id = t.user_id
         WHERE t.number LIKE %(prefix)s AND (t.id %% 100) < %(share)s * 100
        """,
        comment=comment, prefix=f"{prefix}%", share=share,
    ))  # fmt: skip
    messages = env.cr.rowcount
    stage_field = env["ir.model.fields"]._get("helpdesk.ticket", "stage_id").id
    env.cr.execute(SQL(
        """
        WITH tracked AS (
            INSERT INTO mail_message (model, res_id, record_company_id, message_type, subtype_id, author_id, body,
                                      date, message_id, create_uid, write_uid, create_date, write_date)
            SELECT 'helpdesk.ticket', t.id, t.company_id, 'notification', NULL, u.partner_id, '', t.closed_date,
                   '<bench-s' || t.id || '@example.com>', 1, 1, t.closed_date, t.closed_date
              FROM helpdesk_ticket t LEFT JOIN res_users u ON u.id = t.user_id
             WHERE t.number LIKE %(prefix)s AND t.closed_date IS NOT NULL AND t.id %% 3 = 0
            RETURNING id, res_id
        )
        INSERT INTO mail_tracking_value (field_id, mail_message_id, old_value_char, new_value_char, create_uid,
                                         write_uid, create_date, write_date)
        SELECT %(field)s, tracked.id, 'In Progress', st.name->>'en_US', 1, 1, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM tracked
          JOIN helpdesk_ticket t ON t.id = tracked.res_id
          JOIN helpdesk_ticket_stage st ON st.id = t.stage_id
        """,
        prefix=f"{prefix}%", field=stage_field,
    ))  # fmt: skip
    return messages, env.cr.rowcount


def insert_lead_messages(env, partner_ids):
    """One public message on one lead in three of these customers."""
    env.cr.execute(SQL(
        """
        INSERT INTO mail_message (model, res_id, record_company_id, message_type, subtype_id, author_id, body, date,
                                  message_id, create_uid, write_uid, create_date, write_date)
        SELECT 'crm.lead', l.id, l.company_id, 'comment', %(comment)s, l.partner_id, '<p>About ' || l.name || '</p>',
               l.create_date + interval '2 hours', '<bench-l' || l.id || '@example.com>', 1, 1, l.create_date,
               l.create_date
          FROM crm_lead l WHERE l.partner_id = ANY(%(partners)s) AND l.id %% 3 = 0
        """,
        comment=env.ref("mail.mt_comment").id, partners=partner_ids,
    ))  # fmt: skip
    return env.cr.rowcount


def helpdesk_stages(env):
    stages = env["helpdesk.ticket.stage"].search([])
    closed = stages.filtered("closed")
    return {
        "open": stages.filtered(lambda stage: not stage.closed).ids,
        "done": closed[:1].id,
        "cancelled": closed[1:2].id or closed[:1].id,
    }


def crm_stages(env):
    stages = env["crm.stage"].search([])
    return {"won": stages.filtered("is_won")[:1].id, "open": stages.filtered(lambda stage: not stage.is_won).ids}


def make_agents(env, count, teams):
    """`count` agent users (bench_agent_<n>), available with room for any load, in the teams of TEAMS-like
    `teams` ({key: (name, agent numbers)}); returns (users, {key: team})."""
    group = env.ref("cc_omnichannel.group_cc_agent")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create([
            {"name": f"Agent {n}", "login": f"bench_agent_{n}", "email": f"agent{n}@company.example",
             "notification_type": "inbox", "group_ids": [(6, 0, group.ids)]}
            for n in range(count)
        ])
    )  # fmt: skip
    created = {
        key: env["helpdesk.ticket.team"].create(
            {"name": name, "user_ids": [(6, 0, users[numbers.start : numbers.stop].ids)], "cc_routing": "least_open"}
        )
        for key, (name, numbers) in teams.items()
    }
    env["cc.agent"].create([{"user_id": user.id, "presence": "available", "capacity": 10**6} for user in users])
    return users, created


def make_channels(env, company, teams, spec=CHANNELS, team_agents=TEAMS):
    """One channel per line of `spec` (as CHANNELS); returns the dicts the bulk inserts take. `teams`: {key:
    team}, `team_agents`: {key: (name, agent numbers)}."""
    channels = []
    for name, channel_type, provider, team_key, share in spec:
        creates = "interaction" if channel_type in ("voice", "livechat", "telegram") else "ticket"
        vals = {"name": name, "channel_type": channel_type, "provider": provider, "company_id": company.id,
                "team_id": teams[team_key].id if team_key else False, "signing_secret": f"secret-{channel_type}",
                "inbound_creates": creates}  # fmt: skip
        if channel_type == "sms":
            vals["sender_id"] = SMS_NUMBER
        channel = env["cc.channel"].create(vals)
        channels.append({
            "id": channel.id, "name": name, "type": channel_type, "team_id": channel.team_id.id or None,
            "share": share, "agents": list(team_agents[team_key][1]) if team_key else None,
        })  # fmt: skip
    return channels


class Steps:
    """The seconds each preparation step took."""

    def __init__(self):
        self.seconds = {}

    def __call__(self, label, function, *args, **kwargs):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        self.seconds[label] = round(time.perf_counter() - started, 1)
        print(f"[prepare] {label}: {self.seconds[label]} s", flush=True)
        return result


# --- the timeline's data -----------------------------------------------------------------------------------


def prepare(env, partners, interactions, tickets, leads, big_interactions, big_tickets, big_leads, seed):
    """The contact center of the benchmark: 10 agents in two teams, 7 channels, `partners` customers, and a
    company (Big Customer NV) whose contact Bea Big holds about 50,000 timeline items; everything else in bulk
    SQL, random but seeded."""
    steps = Steps()
    company = env.ref("base.main_company")
    company.country_id = env.ref("base.be")
    env.cr.execute(SQL("SELECT setseed(%s)", (seed % 1000) / 1000))
    now = now_utc()
    customers = steps("customers", insert_customers, env, partners, company)
    env.cr.execute("ANALYZE res_partner")

    users, teams = make_agents(env, AGENTS, TEAMS)
    agent_ids = users.ids
    channels = make_channels(env, company, teams)
    big_company = env["res.partner"].create(
        {"name": "Big Customer NV", "is_company": True, "country_id": company.country_id.id}
    )
    people = env["res.partner"].create([
        {"name": name, "parent_id": big_company.id, "phone": phone, "email": f"{name.split()[0].lower()}@big.example"}
        for name, phone in [("Bea Big", "+32479000001"), ("Bob Big", "+32479000002"), ("Cleo Big", "+32479000003"),
                            ("Dirk Big", "+32479000004"), ("Eva Big", "+32479000005")]
    ])  # fmt: skip
    env["cc.identity"].create(
        [
            {"partner_id": person.id, "kind": "phone", "value": person.phone, "company_id": company.id}
            for person in people
        ]
    )
    bea, colleagues = people[0], people[1:]
    salesman = env.ref("sales_team.group_sale_salesman")
    salespeople = env["res.users"].with_context(no_reset_password=True).create([
        {"name": f"Sales Rep {n}", "login": f"bench_sales_{n}", "group_ids": [(6, 0, salesman.ids)]}
        for n in range(3)
    ])  # fmt: skip
    sales_team = env["crm.team"].create({"name": "Upsell Desk", "member_ids": [(6, 0, salespeople.ids)]})
    env.flush_all()

    stages = helpdesk_stages(env)
    common = {
        "company": company,
        "channels": channels,
        "agent_ids": agent_ids,
        "stages": stages,
        "now": now,
        "days": 730,
    }
    steps("tickets", insert_tickets, env, tickets - big_tickets - 50 * len(colleagues), customers,
          closed_share=0.85, prefix="BT", **common)  # fmt: skip
    steps(
        "tickets of Big Customer NV", insert_tickets, env, big_tickets, bea.ids, closed_share=0.7, prefix="BB", **common
    )
    insert_tickets(env, 50 * len(colleagues), colleagues.ids, closed_share=0.7, prefix="BC", **common)
    leads_common = {"company": company, "sales_team": sales_team, "salespeople": salespeople.ids,
                    "stages": crm_stages(env), "now": now, "days": 730}  # fmt: skip
    steps("leads", insert_leads, env, leads - big_leads, customers, **leads_common)
    insert_leads(env, big_leads, bea.ids, **leads_common)

    bea_tickets = env["helpdesk.ticket"].search([("partner_id", "=", bea.id)]).ids
    interaction_common = {"channels": channels, "agent_ids": agent_ids, "now": now, "days": 730}
    steps("interactions", insert_interactions, env, interactions - big_interactions - 500 * len(colleagues),
          customers, prefix="bench-", **interaction_common)  # fmt: skip
    steps("interactions of Big Customer NV", insert_interactions, env, big_interactions, bea.ids, prefix="big-",
          ticket_ids=bea_tickets, ticket_share=0.6, **interaction_common)  # fmt: skip
    insert_interactions(env, 500 * len(colleagues), colleagues.ids, prefix="colleague-", **interaction_common)
    ticket_messages, stage_changes = steps("chatter of the tickets", insert_ticket_messages, env, "B")
    lead_messages = steps("chatter of the leads", insert_lead_messages, env, people.ids)

    # Upsell prompts and answered surveys in Bea's history (their own timeline branches).
    rule = env["cc.upsell.rule"].create(
        {"name": "Loyalty upgrade", "trigger": "rating", "offer": "Fiber 1 Gbit at the price of 500 Mbit",
         "company_id": company.id}
    )  # fmt: skip
    env.flush_all()
    env.cr.execute(SQL(
        """
        INSERT INTO cc_upsell_flag (partner_id, rule_id, company_id, state, offer, create_date, write_date,
                                    create_uid, write_uid)
        SELECT %(bea)s, %(rule)s, %(company)s, (ARRAY['dismissed', 'won', 'lost'])[1 + n %% 3], 'Fiber upgrade',
               %(now)s::timestamp - n * interval '3 days', %(now)s::timestamp - n * interval '3 days', 1, 1
          FROM generate_series(1, 200) AS n
        """,
        bea=bea.id, rule=rule.id, company=company.id, now=now,
    ))  # fmt: skip
    env.cr.execute(SQL(
        """
        INSERT INTO cc_survey (kind, partner_id, ticket_id, company_id, token, state, score, channel_type, sent_at,
                               answered_at, expires_at, create_date, write_date, create_uid, write_uid)
        SELECT CASE WHEN n %% 2 = 0 THEN 'csat' ELSE 'nps' END, %(bea)s, (%(tickets)s::int[])[1 + n %% %(n_tickets)s],
               %(company)s, md5('bench-survey-' || n), 'answered',
               CASE WHEN n %% 2 = 0 THEN 1 + n %% 5 ELSE n %% 11 END, 'sms',
               %(now)s::timestamp - n * interval '2 days',
               %(now)s::timestamp - n * interval '2 days' + interval '1 hour',
               %(now)s::timestamp, %(now)s::timestamp, %(now)s::timestamp, 1, 1
          FROM generate_series(1, 300) AS n
        """,
        bea=bea.id, tickets=bea_tickets, n_tickets=len(bea_tickets), company=company.id, now=now,
    ))  # fmt: skip
    steps("ANALYZE", env.cr.execute, "ANALYZE")
    Item = env["cc.timeline.item"]
    return {
        "partner_id": bea.id,
        "company_partner_id": big_company.id,
        "agent_login": users[0].login,
        "sms_channel_id": next(channel["id"] for channel in channels if channel["type"] == "sms"),
        "channels": [{key: channel[key] for key in ("name", "type", "share")} for channel in channels],
        "counts": {
            "customers": len(customers),
            "interactions": env["cc.interaction"].search_count([]),
            "tickets": env["helpdesk.ticket"].search_count([]),
            "leads": env["crm.lead"].with_context(active_test=False).search_count([]),
            "ticket_messages": ticket_messages,
            "stage_changes": stage_changes,
            "lead_messages": lead_messages,
            "timeline_items_bea": Item.search_count([("partner_id", "=", bea.id)]),
            "timeline_items_bea_by_kind": dict(Item._read_group([("partner_id", "=", bea.id)], ["kind"], ["__count"])),
            "timeline_items_company": Item.search_count([("partner_id", "in", (big_company | people).ids)]),
        },
        "prepare_seconds": steps.seconds,
    }


# --- measuring ---------------------------------------------------------------------------------------------


class QueryMeter:
    """Queries, SQL time and (optionally) the statements themselves, run by this thread meanwhile."""

    def __init__(self, cr, capture=False):
        self.cr = cr
        self.capture = capture
        self.statements = []

    def __enter__(self):
        thread = threading.current_thread()
        self.count = self.cr.sql_log_count
        self.previous_time = getattr(thread, "query_time", None)
        thread.query_time = 0.0
        if self.capture:
            thread.query_hooks = (*getattr(thread, "query_hooks", ()), self._hook)
        self.started = time.perf_counter()
        return self

    def __exit__(self, *_exc):
        self.seconds = time.perf_counter() - self.started
        thread = threading.current_thread()
        self.queries = self.cr.sql_log_count - self.count
        self.sql_seconds = thread.query_time
        if self.previous_time is None:
            del thread.query_time
        else:
            thread.query_time = self.previous_time
        if self.capture:
            thread.query_hooks = tuple(hook for hook in thread.query_hooks if hook != self._hook)

    def _hook(self, cr, query, params, start, delay):
        self.statements.append({"query": query, "params": params, "ms": delay * 1000})


def median(values):
    return statistics.median(values) if values else None


def timeline_users(env, agent_login):
    """The three ways the timeline is read: a team agent, the administrator (not the superuser: the sources'
    record rules apply), and the superuser (no access restriction: the branches alone)."""
    context = {"lang": "en_US", "tz": "Europe/Brussels", "allowed_company_ids": [env.company.id]}
    Item = env["cc.timeline.item"].with_context(**context)
    agent = env["res.users"].search([("login", "=", agent_login)])
    return {
        "agent": Item.with_user(agent),
        "admin": Item.with_user(env.ref("base.user_admin")),
        "superuser": Item.sudo(),
    }


def cursor_of(item):
    """The [date, id] cursor the web client sends for the page after `item` (a string date, to the second)."""
    return [fields.Datetime.to_string(item["date"]), item["id"]]


def pages(env, partner_id, agent_login, page_size, page, channel_filter, runs, explain_dir, explain_prefix="timeline",
          timeout=20.0, slow_seconds=1.0):  # fmt: skip
    """Server time and queries of `timeline_page` for page 1 and page `page`, with and without the channel
    filter, and for the whole company, as agent, admin and superuser; each call after an emptied ORM cache (a new
    request), `runs` times (median; 3 when a call takes more than `slow_seconds`). Then the plan of each case's
    page query (the slowest statement of the call), with EXPLAIN ANALYZE.

    Every statement runs under a `timeout` seconds statement_timeout, in a savepoint: a case whose page query
    is cancelled is reported as timed out, with its plan as PostgreSQL would run it (EXPLAIN without ANALYZE).
    """
    env.cr.execute(SQL("SET statement_timeout = %s", int(timeout * 1000)))
    cases = [
        ("contact", {"partner_id": partner_id}),
        ("contact, channel filter", {"partner_id": partner_id, "channel_types": channel_filter}),
        ("whole company", {"partner_id": partner_id, "whole_company": True}),
    ]
    results, plans = [], {}
    walk = None
    for user, Item in timeline_users(env, agent_login).items():
        for label, base in cases:
            kwargs = {**base, "limit": page_size}
            # The cursor of page `page` is that of the last item of the pages before it: where walking them ends.
            env.invalidate_all()
            before_page, cancelled = guarded(env, Item.timeline_page, **{**kwargs, "limit": page_size * (page - 1)})
            if cancelled:
                print(f"[pages] {user} | {label}: the {page - 1} first pages at once timed out", flush=True)
            elif user == "superuser" and label == "contact":
                complete = len(before_page["items"]) == page_size * (page - 1)
                walk = walk_check(env, Item, kwargs, page, before_page["items"][-1] if complete else None)
            for number in (1, page):
                key = f"{user} | {label} | page {number}"
                if number > 1 and cancelled:
                    # the same plan as page 1's, which filters every item before sorting: not tried again
                    results.append(timed_out_result(user, label, number, timeout, tried=False))
                    plans[key] = plans[f"{user} | {label} | page 1"]
                    continue
                if number > 1 and len(before_page["items"]) < page_size * (page - 1):
                    continue  # fewer items than pages
                call = {**kwargs, **({"before": cursor_of(before_page["items"][-1])} if number > 1 else {})}
                measured = measure_page(env, Item, call, runs, slow_seconds)
                if isinstance(measured, str):  # the SQL of the statement cancelled
                    cancelled = True
                    results.append(timed_out_result(user, label, number, timeout, tried=True))
                    plans[key] = explain_only(env, measured, explain_dir, key, explain_prefix)
                    print(f"[pages] {key}: timed out after {timeout:g} s", flush=True)
                    continue
                plans[key] = explain(env, measured.pop("slowest"), explain_dir, key, explain_prefix)
                results.append({"user": user, "case": label, "page": number, "timed_out": False, **measured})
                print(f"[pages] {key}: {measured['median_ms']} ms, {measured['queries_median']} queries", flush=True)
    env.cr.execute("SET statement_timeout = 0")
    return {"results": results, "plans": plans, "walk": walk, "timeout_s": timeout}


def guarded(env, function, **kwargs):
    """(function(**kwargs), None), or (None, the SQL of the statement cancelled by statement_timeout)."""
    from psycopg2.errors import QueryCanceled  # noqa: PLC0415 - psycopg2 is Odoo's

    savepoint = env.cr.savepoint(flush=False)
    try:
        result = function(**kwargs)
    except QueryCanceled:
        cancelled = env.cr._obj.query.decode()
        savepoint.close(rollback=True)
        env.invalidate_all()
        return None, cancelled
    savepoint.close(rollback=False)
    return result, None


def measure_page(env, Item, call, runs, slow_seconds):
    """`Item.timeline_page(**call)` once to warm up, then `runs` times (3 when slower than `slow_seconds`) after an
    emptied ORM cache: its figures and its slowest statement, or the SQL of a statement cancelled on the way."""
    env.invalidate_all()
    started = time.perf_counter()
    _result, cancelled = guarded(env, Item.timeline_page, **call)  # warm: registry caches, plans, table pages
    if cancelled:
        return cancelled
    count = runs if time.perf_counter() - started < slow_seconds else min(runs, 3)
    seconds, sql_seconds, queries = [], [], []
    for run in range(count):
        env.invalidate_all()
        measured, cancelled = guarded(env, metered, cr=env.cr, capture=run == count - 1, page=Item, call=call)
        if cancelled:  # fast enough once, now past the timeout: a busy machine
            return cancelled
        meter, result = measured
        seconds.append(meter.seconds)
        sql_seconds.append(meter.sql_seconds)
        queries.append(meter.queries)
    return {
        "runs": count, "items": len(result["items"]),
        "median_ms": round(median(seconds) * 1000, 2),
        "min_ms": round(min(seconds) * 1000, 2),
        "max_ms": round(max(seconds) * 1000, 2),
        "sql_median_ms": round(median(sql_seconds) * 1000, 2),
        "queries_median": median(queries), "queries_max": max(queries),
        "query_ms": [round(statement["ms"], 2) for statement in meter.statements],
        "slowest": max(meter.statements, key=lambda statement: statement["ms"]),
    }  # fmt: skip


def metered(cr, capture, page, call):
    """(the QueryMeter of `page.timeline_page(**call)`, its result)."""
    with QueryMeter(cr, capture=capture) as meter:
        result = page.timeline_page(**call)
    return meter, result


def timed_out_result(user, label, number, timeout, tried):
    return {"user": user, "case": label, "page": number, "timed_out": True, "tried": tried, "timeout_s": timeout,
            "median_ms": None, "queries_median": None, "queries_max": None}  # fmt: skip


def explain_only(env, query, explain_dir, key, prefix):
    """EXPLAIN (not executed) of a statement that timed out: the plan in a file, a summary returned."""
    env.cr.execute(f"EXPLAIN (FORMAT JSON) {query}")
    document = env.cr.fetchone()[0][0]
    path = Path(explain_dir) / f"{prefix}-explain-{file_key(key)}.txt"
    path.write_text(f"-- {key} (timed out: the plan, not executed)\n{query}\n\n{plan_text(document)}\n")
    return {"file": path.name, "executed": False, **summarize_plan(document)}


def file_key(key):
    name = "".join(c if c.isalnum() else "-" for c in key).strip("-")
    while "--" in name:
        name = name.replace("--", "-")
    return name


def walk_check(env, Item, kwargs, page, jumped_to):
    """Walk the first `page - 1` pages one by one and check that the cursor reached is the jumped one."""
    before, seconds = None, []
    for _number in range(1, page):
        env.invalidate_all()
        started = time.perf_counter()
        result = Item.timeline_page(**kwargs, **({"before": before} if before else {}))
        seconds.append(time.perf_counter() - started)
        if not result["items"]:
            break
        before = cursor_of(result["items"][-1])
    return {
        "pages_walked": len(seconds),
        "same_cursor": jumped_to is not None and before == cursor_of(jumped_to),
        "page_ms_median": round(median(seconds) * 1000, 2),
    }


def explain(env, statement, explain_dir, key, prefix="timeline"):
    """EXPLAIN ANALYZE of a captured statement: the plan in results/logs/<prefix>-explain-<key>.txt, a summary
    returned."""
    query, params = statement["query"], statement["params"]
    document, cancelled = guarded(env, explain_analyze, cr=env.cr, query=query, params=params)
    if cancelled:  # EXPLAIN ANALYZE ran past statement_timeout: the plan without its execution
        return explain_only(env, env.cr.mogrify(query, params).decode(), explain_dir, key, prefix)
    path = Path(explain_dir) / f"{prefix}-explain-{file_key(key)}.txt"
    path.write_text(f"-- {key}\n{env.cr.mogrify(query, params).decode()}\n\n{plan_text(document)}\n")
    return {"file": path.name, "executed": True, **summarize_plan(document)}


def explain_analyze(cr, query, params):
    cr.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {query}", params)
    return cr.fetchone()[0][0]


def plan_text(document):
    """An EXPLAIN (FORMAT JSON) document as indented text: node, relation, index, actual rows x loops, time,
    conditions."""
    lines = [
        f"Planning {document['Planning Time']:.2f} ms, execution {document['Execution Time']:.2f} ms"
        if "Execution Time" in document
        else f"Not executed; estimated total cost {document['Plan']['Total Cost']:,.0f}"
    ]

    def visit(node, depth):
        what = node["Node Type"]
        if node.get("Relation Name"):
            what += f" on {node['Relation Name']} {node.get('Alias', '')}".rstrip()
        if node.get("Index Name"):
            what += f" using {node['Index Name']}"
        if node.get("Subplan Name"):
            what = f"[{node['Subplan Name']}] {what}"
        actual = (
            f"rows={node['Actual Rows']} loops={node['Actual Loops']} time={node['Actual Total Time']} ms, "
            if "Actual Rows" in node
            else f"cost={node['Total Cost']:,.0f}, "
        )
        lines.append(f"{'  ' * depth}-> {what}  ({actual}estimated rows={node.get('Plan Rows')})")
        for condition in ("Index Cond", "Recheck Cond", "Hash Cond", "Join Filter", "Filter", "Sort Key"):
            if node.get(condition):
                lines.append(f"{'  ' * depth}     {condition}: {node[condition]}")
        if node.get("Rows Removed by Filter"):
            lines.append(f"{'  ' * depth}     Rows Removed by Filter: {node['Rows Removed by Filter']}")
        if node.get("Shared Hit Blocks") or node.get("Shared Read Blocks"):
            lines.append(
                f"{'  ' * depth}     Buffers: shared hit={node.get('Shared Hit Blocks', 0)} "
                f"read={node.get('Shared Read Blocks', 0)}"
            )
        for child in node.get("Plans", ()):
            visit(child, depth + 1)

    visit(document["Plan"], 0)
    return "\n".join(lines)


def summarize_plan(document):
    """Execution and planning time (None when not executed), the top of the plan, its scans (per node: what it
    reads, with which index, how many rows x loops, or the estimate when not executed, and its time), largest
    first, and its subplans: a subplan PostgreSQL cannot hash (its rows do not fit in work_mem) is scanned again
    for every row it filters."""
    executed = "Execution Time" in document
    scans, subplans = [], []
    conditions = json.dumps(document)

    def visit(node, where):
        relation = node.get("Relation Name")
        if node.get("Subplan Name"):
            where = node["Subplan Name"]
            if node.get("Parent Relationship") == "SubPlan":
                subplans.append({
                    "name": where, "hashed": f"hashed {where})" in conditions,
                    "rows": node.get("Actual Rows", node.get("Plan Rows")) if executed else node.get("Plan Rows"),
                    "loops": node.get("Actual Loops"), "node": node["Node Type"],
                })  # fmt: skip
        if relation:
            loops = node.get("Actual Loops", 1)
            scans.append({
                "scan": f"{node['Node Type']} on {relation}"
                        + (f" using {node['Index Name']}" if node.get("Index Name") else ""),
                "rows": node["Actual Rows"] * loops if executed else node.get("Plan Rows", 0),
                "loops": loops,
                "ms": round(node.get("Actual Total Time", 0) * loops, 2),
                "in": where or "main",
            })  # fmt: skip
        for child in node.get("Plans", ()):
            visit(child, where)

    plan = document["Plan"]
    visit(plan, None)
    top, node = [], plan
    while node and len(top) < 6:
        top.append(node["Node Type"])
        node = (node.get("Plans") or [None])[0]
    scans.sort(key=lambda scan: -scan["rows"])
    return {
        "buffers_hit_read": [plan.get("Shared Hit Blocks"), plan.get("Shared Read Blocks")],
        "execution_ms": round(document["Execution Time"], 2) if executed else None,
        "planning_ms": round(document["Planning Time"], 2) if "Planning Time" in document else None,
        "estimated_cost": plan["Total Cost"],
        "top": " > ".join(top),
        "rows_read": sum(scan["rows"] for scan in scans),
        "scans": scans[:12],
        "subplans": subplans,
    }


# --- upsell rules on an inbound contact ----------------------------------------------------------------------


def upsell_rules(env, company, count, seed):
    """`count` inbound rules as a marketing team writes them, each for a specific signal: most look for words
    in the message (a quarter of the words occur, each in one message in ten), the others for customers who
    came back 5 to 8 times within 7 or 14 days, or for a kind of customer; some limited to channels, half
    naming a salesperson (a to-do per prompt). About one contact of an ordinary customer in three matches one."""
    rng = random.Random(seed)
    keywords = ["upgrade", "fiber", "price", "moving", "business", "roaming", "5G, mobile data", "TV, football",
                "family", "netflix", "router, modem", "gaming", "cloud", "security, alarm", "energy", "insurance",
                "second line", "kids", "student", "senior", "premium", "international", "unlimited",
                "wifi booster"]  # fmt: skip
    domains = ["[('is_company', '=', True)]", "[('lang', '=', 'fr_BE')]", "[('email', 'ilike', '@big.example')]",
               "[('parent_id', '!=', False)]"]  # fmt: skip
    by_code = {channel_type.code: channel_type for channel_type in env["cc.channel.type"].search([])}
    channel_sets = [["sms"], ["whatsapp", "sms"], ["voice"], ["email", "webform"], ["sms", "voice", "whatsapp"]]
    salespeople = env["res.users"].search([("login", "like", "bench_sales_%")])
    vals = []
    for n in range(count):
        rule = {
            "name": f"Upsell rule {n}", "trigger": "inbound", "company_id": company.id, "sequence": n,
            "offer": f"Offer {n}", "min_contacts": 0, "window_days": rng.choice([7, 30, 90, 180]),
            "cooldown_days": rng.choice([14, 30, 90]), "partner_domain": "[]",
            "user_id": rng.choice(salespeople).id if rng.random() < 0.5 else False,
        }  # fmt: skip
        if n % 10 < 7:  # a word in the message, sometimes with a kind of customer or a count of contacts too
            rule["keywords"] = rng.choice(keywords)
            if rng.random() < 0.3:
                rule["partner_domain"] = rng.choice(
                    [*domains, "[('country_id.code', '=', 'BE')]", "[('phone', '!=', False)]"]
                )
            if rng.random() < 0.3:
                rule["min_contacts"] = rng.choice([1, 2, 3])
        elif n % 10 < 9:  # a customer who keeps coming back
            rule.update(min_contacts=rng.choice([5, 6, 8]), window_days=rng.choice([7, 14]))
        else:  # a kind of customer
            rule["partner_domain"] = rng.choice(domains)
        if rng.random() < 0.4:
            rule["channel_types"] = [(6, 0, [by_code[code].id for code in rng.choice(channel_sets)])]
        vals.append(rule)
    return env["cc.upsell.rule"].create(vals)


def stored_sms(env, channel, sender, body, sid):
    """A Twilio SMS webhook as the controller stores it before processing (a cc.webhook.event, `received`)."""
    from odoo.addons.cc_omnichannel.tools.signatures import twilio_signature  # noqa: PLC0415 - once Odoo is set up

    form = {"MessageSid": sid, "SmsSid": sid, "AccountSid": "AC" + "0" * 32, "From": sender, "To": SMS_NUMBER,
            "Body": body, "NumMedia": "0", "SmsStatus": "received", "ApiVersion": "2010-04-01"}  # fmt: skip
    signature = twilio_signature(channel.webhook_url, form, channel.signing_secret)
    event = env["cc.webhook.event"].create({
        "channel_id": channel.id, "provider": channel.provider, "http_method": "POST", "url": channel.webhook_url,
        "content_type": "application/x-www-form-urlencoded",
        "headers": json.dumps({"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}),
        "body": urlencode(form),
    })  # fmt: skip
    env.flush_all()
    return event


def upsell(env, sms_channel_id, partner_id, customers, contacts, rules, blocks, big_contacts, seed):
    """The processing of one stored inbound SMS (`cc.inbound.processor.process_event`, as the background job
    runs it: parsed, customer found, a ticket, routing, the upsell rules), in process and rolled back, from
    `contacts` different customers with no active inbound rule and as many with `rules` of them, in
    alternating blocks; each stored beforehand (untimed), then processed after an emptied ORM cache and ended
    by flushing the transaction and its pre-commit hooks, as the job's commit does.
    `cc.upsell.rule.evaluate` is timed on its own too. Then `big_contacts` SMS from Bea Big (35,000 contacts
    in her history) with the rules active."""
    rng = random.Random(seed)
    company = env.ref("base.main_company")
    channel = env["cc.channel"].browse(sms_channel_id)
    Processor = env["cc.inbound.processor"]
    created = upsell_rules(env, company, rules, seed)
    env.flush_all()

    def set_active(active):  # as a manager would (through the ORM, which refreshes the rules' cache)
        created.write({"active": active})
        env.flush_all()
        env.invalidate_all()

    evaluations = []
    Rule = type(env["cc.upsell.rule"])
    evaluate = Rule.evaluate

    def timed_evaluate(self, *args, **kwargs):
        count, started, flags = self.env.cr.sql_log_count, time.perf_counter(), 0
        try:
            result = evaluate(self, *args, **kwargs)
            flags = len(result)
            return result
        finally:
            evaluations.append((time.perf_counter() - started, self.env.cr.sql_log_count - count, flags))

    senders = rng.sample(range(customers), 2 * contacts + 10)
    figures = {0: [], rules: []}
    sid = 0

    def one(sender, body, active_rules):
        nonlocal sid
        sid += 1
        event = stored_sms(env, channel, sender, body, f"SMbench{sid:08d}")
        env.invalidate_all()
        with QueryMeter(env.cr) as meter:
            processed = Processor.process_event(event)
            env.cr.flush()  # what the job's commit does: flush, then the pre-commit hooks
        if not processed:
            raise RuntimeError(f"processing failed: {event.error}")
        seconds, queries, flags = evaluations[-1]
        return {"seconds": meter.seconds, "queries": meter.queries, "evaluate_seconds": seconds,
                "evaluate_queries": queries, "flags": flags, "rules": active_rules}  # fmt: skip

    with patch.object(Rule, "evaluate", timed_evaluate):
        set_active(False)
        for _warm in range(10):  # registry caches, the first ticket creation's code paths
            one(customer_phone(senders.pop()), rng.choice(BODIES), 0)
        per_block = max(1, contacts // blocks)
        for _block in range(blocks):
            for active_rules in (0, rules):
                set_active(bool(active_rules))
                for _n in range(per_block):
                    figures[active_rules].append(one(customer_phone(senders.pop()), rng.choice(BODIES), active_rules))
        set_active(True)
        bea = env["res.partner"].browse(partner_id)
        big = [one(bea.phone, rng.choice(BODIES), rules) for _n in range(big_contacts)]

    def summary(runs):
        if not runs:
            return None
        quiet = [run for run in runs if not run["flags"]]
        flagged = [run for run in runs if run["flags"]]
        return {
            "contacts": len(runs),
            "contacts_raising_flags": len(flagged),
            "flags_raised": sum(run["flags"] for run in runs),
            "evaluate_ms_no_flag": latency_summary_ms([run["evaluate_seconds"] for run in quiet]) if quiet else None,
            "evaluate_ms_flagged": latency_summary_ms([run["evaluate_seconds"] for run in flagged])
            if flagged
            else None,
            "evaluate_queries_no_flag_median": median([run["evaluate_queries"] for run in quiet]),
            "processing_ms": latency_summary_ms([run["seconds"] for run in runs]),
            "evaluate_ms": latency_summary_ms([run["evaluate_seconds"] for run in runs]),
            "queries_median": median([run["queries"] for run in runs]),
            "evaluate_queries_median": median([run["evaluate_queries"] for run in runs]),
            "evaluate_queries_max": max(run["evaluate_queries"] for run in runs),
        }

    without, with_rules = summary(figures[0]), summary(figures[rules])
    return {
        "rules": rules,
        "without_rules": without,
        "with_rules": with_rules,
        "added_ms": {
            "processing_median": round(with_rules["processing_ms"]["p50"] - without["processing_ms"]["p50"], 2),
            "processing_mean": round(with_rules["processing_ms"]["mean"] - without["processing_ms"]["mean"], 2),
            "evaluate_median": round(with_rules["evaluate_ms"]["p50"] - without["evaluate_ms"]["p50"], 2),
            "evaluate_mean": round(with_rules["evaluate_ms"]["mean"] - without["evaluate_ms"]["mean"], 2),
            "evaluate_p95": round(with_rules["evaluate_ms"]["p95"] - without["evaluate_ms"]["p95"], 2),
        },
        "added_queries_median": with_rules["queries_median"] - without["queries_median"],
        "big_customer": summary(big),
    }


def profile_upsell(env, sms_channel_id, partner_id, customers, rules, contacts, big_contacts, seed, top=25):
    """cProfile of `cc.upsell.rule.evaluate` alone with `rules` active rules, over `contacts` stored SMS from
    customers and `big_contacts` from Bea Big: one profile for the calls that raised no prompt, one for those
    that did, one for Bea's."""
    rng = random.Random(seed + 1)
    channel = env["cc.channel"].browse(sms_channel_id)
    upsell_rules(env, env.ref("base.main_company"), rules, seed)
    env.flush_all()
    buckets = {"no prompt raised": [], "prompts raised": [], "Bea Big": []}
    Rule = type(env["cc.upsell.rule"])
    evaluate = Rule.evaluate
    bucket = {"name": None}

    def profiled_evaluate(self, *args, **kwargs):
        profile = cProfile.Profile()
        result = profile.runcall(evaluate, self, *args, **kwargs)
        name = bucket["name"] or ("prompts raised" if result else "no prompt raised")
        buckets[name].append(profile)
        return result

    senders = [customer_phone(n) for n in rng.sample(range(customers), contacts)]
    senders += [env["res.partner"].browse(partner_id).phone] * big_contacts
    with patch.object(Rule, "evaluate", profiled_evaluate):
        for n, sender in enumerate(senders):
            bucket["name"] = "Bea Big" if n >= contacts else None
            event = stored_sms(env, channel, sender, rng.choice(BODIES), f"SMprof{n:06d}")
            env.invalidate_all()
            env["cc.inbound.processor"].process_event(event)
            env.cr.flush()
    text = io.StringIO()
    for name, profiles in buckets.items():
        if not profiles:
            continue
        text.write(f"=== evaluate, {name}: {len(profiles)} calls ===\n")
        stats = pstats.Stats(profiles[0], stream=text)
        for profile in profiles[1:]:
            stats.add(profile)
        stats.sort_stats("cumulative").print_stats(top)
    return {"profile": text.getvalue()}


if __name__ == "__main__":
    _in_odoo.main(
        {"prepare": prepare, "pages": pages, "upsell": upsell, "profile_upsell": profile_upsell},
        rolled_back=("pages", "upsell", "profile_upsell"),
    )
