from odoo import api, fields, models
from odoo.tools import SQL

from .cc_kpi_summary import SUMMED_FIELDS

WATERMARK_PARAM = "cc_reports.kpi_contact_refreshed_until"
# What a row says of its contact (the rest is bookkeeping).
FACT_COLUMNS = (
    "date",
    "company_id",
    "channel_type",
    "team_id",
    "user_id",
    "partner_id",
    *SUMMED_FIELDS,
)
REFRESH_LOCK = 7_202_611  # an advisory lock: one KPI refresh at a time


class CcKpiContact(models.Model):
    """One row per inbound contact with the flags and sums the contact KPIs add up.

    Kept up to date incrementally: a refresh reads only the interactions written since the last one (an index
    on cc_interaction.write_date), upserts their rows and sums their hours and days again (cc.kpi.summary). The
    KPI service reads those sums, and these rows for the minutes at either end of a period; the pivot and the
    graph views read these rows.
    """

    _name = "cc.kpi.contact"
    _inherit = ["cc.kpi.dimensions"]
    _description = "Contact Center KPI Fact"
    _order = "date desc, id desc"
    _rec_name = "interaction_id"

    interaction_id = fields.Many2one("cc.interaction", required=True, readonly=True, ondelete="cascade")
    date = fields.Datetime(readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    handled = fields.Integer(readonly=True, aggregator="sum")
    abandoned = fields.Integer(readonly=True, aggregator="sum", help="Abandoned, short abandons excluded.")
    short_abandoned = fields.Integer(readonly=True, aggregator="sum")
    handle_seconds = fields.Integer(string="Handle Time (s)", readonly=True, aggregator="sum")
    answered_with_wait = fields.Integer(readonly=True, aggregator="sum")
    wait_seconds = fields.Integer(string="Wait (s)", readonly=True, aggregator="sum")
    answered_within = fields.Integer(string="Answered Within Threshold", readonly=True, aggregator="sum")
    abandoned_within = fields.Integer(readonly=True, aggregator="sum")

    _interaction_unique = models.Constraint("UNIQUE(interaction_id)", "One fact row per interaction.")

    @api.model
    def refresh(self, full=False):
        """Bring the KPI facts up to date with the interactions, tickets and SLA timers written since the last
        refresh (every one when `full`): these contact rows, their sums per hour and day (cc.kpi.summary), the tickets'
        state and first repeats (cc.kpi.ticket), the SLA outcomes (cc.kpi.sla.outcome). Return how many contact
        rows were written."""
        for model in ("cc.interaction", "helpdesk.ticket", "cc.sla.timer"):
            self.env[model].flush_model()
        # The rows read the companies' thresholds in SQL: a threshold just written must be in the database.
        self.env["res.company"].flush_model(["cc_sl_threshold_seconds", "cc_short_abandon_seconds"])
        if full:
            self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", REFRESH_LOCK))
        else:
            # Another transaction refreshing now would rebuild the same hours: the facts it commits will do.
            self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", REFRESH_LOCK))
            if not self.env.cr.fetchone()[0]:
                return 0
        params = self.env["ir.config_parameter"].sudo()  # sudo: the watermark is technical, not a user setting
        watermark = None if full else params.get_param(WATERMARK_PARAM)
        self.env.cr.execute(
            SQL(
                """SELECT GREATEST((SELECT max(write_date) FROM cc_interaction),
                                   (SELECT max(write_date) FROM helpdesk_ticket),
                                   (SELECT max(write_date) FROM cc_sla_timer))"""
            )
        )
        until = self.env.cr.fetchone()[0]
        if until is None:
            return 0
        tickets, contacts = _written(SQL("t"), until, watermark), _written(SQL("i"), until, watermark)
        # Every ticket read again finds its first repeat itself: the contacts need not be matched to tickets.
        self.env["cc.kpi.ticket"]._refresh(tickets, None if full else contacts)
        self.env["cc.kpi.sla.outcome"]._refresh(_written(SQL("tm"), until, watermark), tickets)
        refreshed, hours = self._upsert(contacts)
        self.env["cc.kpi.summary"]._rebuild(None if full else hours)
        params.set_param(WATERMARK_PARAM, fields.Datetime.to_string(until))
        self.invalidate_model()
        return refreshed

    @api.model
    def _rebuild_contacts(self):
        """Every contact row and sum again, as the thresholds they depend on changed (the tickets and SLA
        outcomes do not depend on them); the next refresh goes on from the same watermark."""
        self.env["cc.interaction"].flush_model()
        self.env["res.company"].flush_model(["cc_sl_threshold_seconds", "cc_short_abandon_seconds"])
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", REFRESH_LOCK))
        self._upsert(SQL("TRUE"))
        self.env["cc.kpi.summary"]._rebuild()
        self.invalidate_model()

    def _upsert(self, changed):
        """Upsert the rows of the inbound interactions of `changed` (an SQL condition on cc_interaction i); return
        how many were written (new or different), and the hours (UTC) whose sums changed: where those rows were
        and where they are now."""
        self.env.cr.execute(
            SQL(
                """
            WITH previous AS (
                SELECT k.interaction_id, k.date
                  FROM cc_kpi_contact k JOIN cc_interaction i ON i.id = k.interaction_id
                 WHERE %(changed)s
            ), upserted AS (
            INSERT INTO cc_kpi_contact (interaction_id, date, company_id, channel_type, team_id, user_id, partner_id,
                                        handled, abandoned, short_abandoned, handle_seconds, answered_with_wait,
                                        wait_seconds, answered_within, abandoned_within,
                                        create_uid, create_date, write_uid, write_date)
            SELECT i.id, i.received_at, i.company_id, i.channel_type, i.team_id, i.user_id, i.partner_id,
                   f.handled::int, (f.abandoned AND NOT f.short)::int, (f.abandoned AND f.short)::int,
                   CASE WHEN f.handled THEN f.handle_seconds ELSE 0 END,
                   (f.handled AND f.wait IS NOT NULL)::int,
                   CASE WHEN f.handled THEN COALESCE(f.wait, 0) ELSE 0 END,
                   (f.handled AND f.wait <= c.cc_sl_threshold_seconds)::int,
                   (f.abandoned AND NOT f.short AND f.wait <= c.cc_sl_threshold_seconds)::int,
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM cc_interaction i
              JOIN res_company c ON c.id = i.company_id
              CROSS JOIN LATERAL (
                  SELECT i.state = 'done' AS handled,  -- answered and finished: a contact in progress is not yet
                         i.state = 'missed' AS abandoned,
                         COALESCE(i.wait_seconds,
                                  EXTRACT(EPOCH FROM COALESCE(i.answered_at, i.ended_at) - i.received_at)::int) AS wait,
                         COALESCE(NULLIF(i.talk_seconds, 0),
                                  EXTRACT(EPOCH FROM i.ended_at - i.answered_at)::int, 0) AS handle_seconds,
                         c.cc_short_abandon_seconds > 0
                             AND COALESCE(i.wait_seconds, EXTRACT(EPOCH FROM i.ended_at - i.received_at)::int)
                                 <= c.cc_short_abandon_seconds AS short
              ) f
             WHERE i.direction = 'inbound' AND %(changed)s
                ON CONFLICT (interaction_id) DO UPDATE SET
                   date = EXCLUDED.date, company_id = EXCLUDED.company_id, channel_type = EXCLUDED.channel_type,
                   team_id = EXCLUDED.team_id, user_id = EXCLUDED.user_id, partner_id = EXCLUDED.partner_id,
                   handled = EXCLUDED.handled, abandoned = EXCLUDED.abandoned,
                   short_abandoned = EXCLUDED.short_abandoned, handle_seconds = EXCLUDED.handle_seconds,
                   answered_with_wait = EXCLUDED.answered_with_wait, wait_seconds = EXCLUDED.wait_seconds,
                   answered_within = EXCLUDED.answered_within, abandoned_within = EXCLUDED.abandoned_within,
                   write_date = EXCLUDED.write_date
             WHERE %(differs)s  -- a row re-read unchanged is not written
            RETURNING interaction_id, date
            )
            SELECT (SELECT count(*) FROM upserted),
                   ARRAY(SELECT date_trunc('hour', date) FROM upserted
                         UNION SELECT date_trunc('hour', p.date) FROM previous p JOIN upserted u USING (interaction_id))
            """,
                uid=self.env.uid,
                changed=changed,
                differs=upsert_differs("cc_kpi_contact", FACT_COLUMNS),
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _cron_refresh(self):
        self.refresh()


def _written(alias, until, watermark):
    """The rows of the table `alias` written up to `until` and, if there was a refresh, since its `watermark`.

    A transaction that started before the last refresh may commit after it: a margin is read again (every
    refresh step is idempotent) rather than its rows lost."""
    condition = SQL("%s.write_date <= %s", alias, until)
    if watermark:
        condition = SQL("%s AND %s.write_date > %s::timestamp - interval '10 minutes'", condition, alias, watermark)
    return condition


def upsert_differs(table, columns):
    """The condition of an upsert's DO UPDATE that the existing row of `table` differs from the new one in one of
    `columns`: rows read again unchanged are not written (nor their indexes and foreign keys)."""
    return SQL(
        "(%s) IS DISTINCT FROM (%s)",
        SQL(", ").join(SQL("%s.%s", SQL.identifier(table), SQL.identifier(name)) for name in columns),
        SQL(", ").join(SQL("EXCLUDED.%s", SQL.identifier(name)) for name in columns),
    )
