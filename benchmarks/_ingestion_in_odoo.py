"""The part of bench_ingestion.py that runs inside Odoo: prepare the data, time the partner lookup, count.

Run by bench_ingestion.py through OdooBench.run_in_odoo (see _in_odoo.py), never by hand.
"""

import random
import secrets

import _in_odoo
from _harness import latency_summary_ms
from bench_ingestion import OUR_SMS_NUMBER, has_identity, known_number, national_format, unknown_number

from odoo.tools import SQL

FIRST_NAMES = ["Emma", "Lucas", "Olivia", "Noah", "Louise", "Arthur", "Léa", "Mohamed", "Elena", "Hugo"]
LAST_NAMES = ["Peeters", "Janssens", "Maes", "Mertens", "De Smet", "Dubois", "Dupont", "Van Damme", "Nguyen"]


def prepare(env, partners, base_url, agents, routing):
    """The contact center the webhooks reach: `partners` customers with a phone number (nine in ten of them
    with a phone identity already), a team of available agents routed by `routing`, a Twilio SMS channel."""
    company = env.ref("base.main_company")
    company.country_id = env.ref("base.be")  # national numbers are read as Belgian ones
    # The customers first: PostgreSQL plans its foreign-key checks on res_partner once per connection, and
    # plans made while the table was tiny (when the users below are created) turn this insert quadratic.
    insert_customers(env, partners, company)
    env.cr.execute("ANALYZE res_partner")
    env.cr.execute("ANALYZE cc_identity")

    parameters = env["ir.config_parameter"]
    parameters.set_param("web.base.url", base_url)  # what the channel's webhook_url, hence the signature, uses
    parameters.set_param("web.base.url.freeze", "True")
    agent_group = env.ref("cc_omnichannel.group_cc_agent")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create([
            {"name": f"Agent {number}", "login": f"bench_agent_{number}", "notification_type": "inbox",
             "group_ids": [(6, 0, agent_group.ids)]}
            for number in range(agents)
        ])
    )  # fmt: skip
    team = env["helpdesk.ticket.team"].create(
        {"name": "Front Line", "user_ids": [(6, 0, users.ids)], "cc_routing": routing}
    )
    # Capacity enough for every contact of the run: each one goes through routing and gets an agent.
    env["cc.agent"].create([{"user_id": user.id, "presence": "available", "capacity": 1000} for user in users])
    signing_secret = secrets.token_hex(16)
    channel = env["cc.channel"].create({
        "name": "SMS", "channel_type": "sms", "provider": "twilio", "company_id": company.id, "team_id": team.id,
        "signing_secret": signing_secret, "sender_id": OUR_SMS_NUMBER, "inbound_creates": "ticket",
        "thread_window_hours": 72,
    })  # fmt: skip
    return {
        "webhook_url": channel.webhook_url,
        "signing_secret": signing_secret,
        "partners": env["res.partner"].search_count([("phone_sanitized", "!=", False)]),
        "identities": env["cc.identity"].search_count([]),
    }


def insert_customers(env, count, company):
    """`count` partners, customer n with phone known_number(n) (E.164, so phone_sanitized is the same), and a
    phone identity for those has_identity() names; in bulk SQL, as an import script would."""
    env.cr.execute(SQL(
        """
        WITH customer AS (
            SELECT nextval('res_partner_id_seq') AS id, name, phone, with_identity
              FROM unnest(%(names)s::varchar[], %(phones)s::varchar[], %(with_identity)s::bool[])
                   AS given(name, phone, with_identity)
        ), partner AS (
            INSERT INTO res_partner (id, name, complete_name, commercial_partner_id, type, active, is_company,
                                     partner_share, lang, color, phone, phone_sanitized,
                                     create_uid, write_uid, create_date, write_date)
            SELECT id, name, name, id, 'contact', TRUE, FALSE, TRUE, 'en_US', 0, phone, phone,
                   1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM customer
        )
        INSERT INTO cc_identity (partner_id, company_id, kind, value, create_uid, write_uid, create_date, write_date)
        SELECT id, %(company)s, 'phone', phone, 1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM customer
         WHERE with_identity
        """,
        names=[customer_name(n) for n in range(count)],
        phones=[known_number(n) for n in range(count)],
        with_identity=[has_identity(n) for n in range(count)],
        company=company.id,
    ))  # fmt: skip


def customer_name(n):
    return f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[n // len(FIRST_NAMES) % len(LAST_NAMES)]} {n}"


def lookup(env, partners, samples, fallback_samples, seed):
    """Time cc.identity.resolve_partner on numbers found by identity (`samples` calls), and on numbers found
    by the partners' phone_sanitized or not found at all, then created (`fallback_samples` calls each).

    The ORM cache is emptied before each call, as a new request starts with an empty one.
    """
    company = env.ref("base.main_company")
    rng = random.Random(seed)
    with_identity = [n for n in range(partners) if has_identity(n)]
    without_identity = [n for n in range(partners) if not has_identity(n)]
    # Half the numbers as a person types them, half as a provider sends them.
    by_identity = [
        national_format(known_number(n)) if index % 2 else known_number(n)
        for index, n in enumerate(rng.sample(with_identity, min(samples, len(with_identity))))
    ]
    by_partner = [known_number(n) for n in rng.sample(without_identity, min(fallback_samples, len(without_identity)))]
    new = [unknown_number(n) for n in rng.sample(range(10_000_000), fallback_samples)]

    def resolve(number):
        return env["cc.identity"].resolve_partner("phone", number, company)

    _in_odoo.timed_calls(resolve, by_identity[:50], before_each=env.invalidate_all)  # warm up
    figures = {}
    for path, numbers in (("identity", by_identity), ("partner_phone", by_partner), ("new_customer", new)):
        queries_before = env.cr.sql_log_count
        seconds, found = _in_odoo.timed_calls(resolve, numbers, before_each=env.invalidate_all)
        if not all(found):
            raise RuntimeError(f"resolve_partner found no partner for some {path} numbers")
        queries = (env.cr.sql_log_count - queries_before) / len(numbers)
        figures[path] = {"calls": len(numbers), "queries_per_call": round(queries, 1), **latency_summary_ms(seconds)}
    nobodys = unknown_number(rng.randrange(10_000_000, 20_000_000))
    identity_query = env["cc.identity"]._search(
        [("company_id", "=", company.id), ("kind", "in", ("phone", "whatsapp")), ("value", "=", nobodys)]
    )
    partner_query = env["res.partner"]._search(
        [("phone_sanitized", "=", nobodys), ("company_id", "in", (False, company.id))], order="id", limit=1
    )
    figures["plans"] = {"identity": query_plan(env, identity_query), "partner_phone": query_plan(env, partner_query)}
    return figures


def query_plan(env, query):
    """The plan PostgreSQL runs an ORM query with, as 'Node > Node using index', and its execution time."""
    env.cr.execute(SQL("EXPLAIN (ANALYZE, FORMAT JSON) %s", query.select()))
    explained = env.cr.fetchone()[0][0]
    nodes, plan = [], explained["Plan"]
    while plan:
        nodes.append(plan["Node Type"] + (f" using {plan['Index Name']}" if plan.get("Index Name") else ""))
        plan = (plan.get("Plans") or [None])[0]
    return {"plan": " > ".join(nodes), "execution_ms": round(explained["Execution Time"], 3)}


def count(env, sid_prefix):
    """What the webhooks whose MessageSid starts with `sid_prefix` left: their payloads by state, their
    interactions; and the tickets and ticket messages in the database."""
    events = env["cc.webhook.event"]._read_group([("body", "like", f"MessageSid={sid_prefix}")], ["state"], ["__count"])
    return {
        "interactions": env["cc.interaction"].search_count([("external_id", "=like", f"{sid_prefix}%")]),
        "events_by_state": dict(events),
        "tickets": env["helpdesk.ticket"].search_count([]),
        "messages_on_tickets": env["mail.message"].search_count(
            [("model", "=", "helpdesk.ticket"), ("message_type", "=", "comment")]
        ),
    }


if __name__ == "__main__":
    _in_odoo.main({"prepare": prepare, "lookup": lookup, "count": count}, rolled_back=("lookup",))
