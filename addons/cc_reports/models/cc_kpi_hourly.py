from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.cc_omnichannel.models.cc_channel import CHANNEL_TYPES

# The sums of cc.kpi.contact that the hourly rows carry.
SUMMED_FIELDS = (
    "handled",
    "abandoned",
    "short_abandoned",
    "handle_seconds",
    "answered_with_wait",
    "wait_seconds",
    "answered_within",
    "abandoned_within",
)


class CcKpiHourly(models.Model):
    """The contact facts summed per hour, company, team, agent and channel: what a month of KPIs reads.

    Hours rather than days: a period such as "the last 7 days" starts and ends at any minute, and days are cut
    at the user's midnight. Whole hours are read here, the minutes at either end from cc.kpi.contact, and days
    in any time zone whose offset is whole hours are whole hours. Every sum holds for each abandon treatment of
    the service level; the threshold-dependent ones (short abandons, within the threshold) follow the company's
    settings, and the whole table is rebuilt when those change, as the contact rows are.
    """

    _name = "cc.kpi.hourly"
    _description = "Contact Center KPI Facts per Hour"
    _order = "date desc"
    _log_access = False

    date = fields.Datetime(string="Hour", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True)
    channel_type = fields.Selection(CHANNEL_TYPES, readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    handled = fields.Integer(readonly=True, aggregator="sum")
    abandoned = fields.Integer(readonly=True, aggregator="sum")
    short_abandoned = fields.Integer(readonly=True, aggregator="sum")
    handle_seconds = fields.Integer(readonly=True, aggregator="sum")
    answered_with_wait = fields.Integer(readonly=True, aggregator="sum")
    wait_seconds = fields.Integer(readonly=True, aggregator="sum")
    answered_within = fields.Integer(readonly=True, aggregator="sum")
    abandoned_within = fields.Integer(readonly=True, aggregator="sum")

    @api.model
    def _rebuild(self, hours=None):
        """Sum the contact rows again for `hours` (start of each hour, UTC), or for every hour when None."""
        if hours is not None and not hours:
            return
        self.env["cc.kpi.contact"].flush_model()
        sums = SQL(", ").join(SQL("sum(k.%s)", SQL.identifier(name)) for name in SUMMED_FIELDS)
        columns = SQL(", ").join(SQL.identifier(name) for name in SUMMED_FIELDS)
        if hours is None:
            self.env.cr.execute(SQL("DELETE FROM cc_kpi_hourly"))
            source = SQL("cc_kpi_contact k")
        else:
            self.env.cr.execute(SQL("DELETE FROM cc_kpi_hourly WHERE date = ANY(%s::timestamp[])", list(hours)))
            source = SQL(
                """unnest(%s::timestamp[]) AS h(hour)
                   JOIN cc_kpi_contact k ON k.date >= h.hour AND k.date < h.hour + interval '1 hour'""",
                list(hours),
            )
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO cc_kpi_hourly (date, company_id, channel_type, team_id, user_id, %(columns)s)
            SELECT date_trunc('hour', k.date), k.company_id, k.channel_type, k.team_id, k.user_id, %(sums)s
              FROM %(source)s
             GROUP BY 1, 2, 3, 4, 5
            """,
                columns=columns,
                sums=sums,
                source=source,
            )
        )
        self.invalidate_model()
