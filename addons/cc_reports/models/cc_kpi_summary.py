from odoo import api, fields, models
from odoo.tools import SQL

# The sums of cc.kpi.contact that the summary rows carry.
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
DIMENSION_COLUMNS = ("company_id", "channel_type", "team_id", "user_id")


class CcKpiSummary(models.Model):
    """The contact facts summed per hour and per day (UTC), company, team, agent and channel: what the KPIs of a
    period read instead of one row per contact.

    A period such as "the last 7 days" starts and ends at any minute, and days are cut at the user's midnight:
    whole UTC days are read from the day rows, the whole hours around them from the hour rows, the minutes at
    either end from cc.kpi.contact; days of a time zone whose offset is whole hours are whole hours. Every sum
    holds for each abandon treatment of the service level; the threshold-dependent ones (short abandons, within
    the threshold) follow the company's settings, and the table is rebuilt when those change, as the contact
    rows are.
    """

    _name = "cc.kpi.summary"
    _inherit = ["cc.kpi.dimensions"]
    _description = "Contact Center KPI Facts per Hour and Day"
    _order = "date desc"
    _log_access = False

    period = fields.Selection([("hour", "Hour"), ("day", "Day")], required=True, readonly=True)
    date = fields.Datetime(string="Start", readonly=True, help="The start of the hour or day, UTC.")
    handled = fields.Integer(readonly=True, aggregator="sum")
    abandoned = fields.Integer(readonly=True, aggregator="sum")
    short_abandoned = fields.Integer(readonly=True, aggregator="sum")
    handle_seconds = fields.Integer(readonly=True, aggregator="sum")
    answered_with_wait = fields.Integer(readonly=True, aggregator="sum")
    wait_seconds = fields.Integer(readonly=True, aggregator="sum")
    answered_within = fields.Integer(readonly=True, aggregator="sum")
    abandoned_within = fields.Integer(readonly=True, aggregator="sum")

    _period_date_idx = models.Index("(period, date)")

    @api.model
    def _rebuild(self, hours=None):
        """Sum the contact rows again for `hours` (start of each hour, UTC) and their days, or for every hour and
        day when None."""
        if hours is not None and not hours:
            return
        self.env["cc.kpi.contact"].flush_model()
        if hours is None:
            self.env.cr.execute(SQL("DELETE FROM cc_kpi_summary"))
            self._insert_sums("hour", SQL("cc_kpi_contact k"))
            self._insert_sums("day", SQL("cc_kpi_summary k WHERE k.period = 'hour'"))
        else:
            hours = sorted(hours)
            days = sorted({hour.replace(hour=0) for hour in hours})
            self.env.cr.execute(
                SQL(
                    """DELETE FROM cc_kpi_summary
                        WHERE (period = 'hour' AND date = ANY(%s::timestamp[]))
                           OR (period = 'day' AND date = ANY(%s::timestamp[]))""",
                    hours,
                    days,
                )
            )
            self._insert_sums("hour", _within(hours, SQL("cc_kpi_contact"), "1 hour"))
            hour_rows = SQL("(SELECT * FROM cc_kpi_summary WHERE period = 'hour')")
            self._insert_sums("day", _within(days, hour_rows, "1 day"))
        self.invalidate_model()

    def _insert_sums(self, period, source):
        """Insert the `period` rows summing the rows of `source` (an SQL FROM clause, alias k, with the columns
        of the contact rows)."""
        dimensions = SQL(", ").join(SQL("k.%s", SQL.identifier(name)) for name in DIMENSION_COLUMNS)
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO cc_kpi_summary (period, date, %(dimension_columns)s, %(sum_columns)s)
            SELECT %(period)s, date_trunc(%(period)s, k.date), %(dimensions)s, %(sums)s
              FROM %(source)s
             GROUP BY 2, %(dimensions)s
             ORDER BY 2  -- the rows of a period together: a period reads few pages
            """,
                period=period,
                dimension_columns=SQL(", ").join(SQL.identifier(name) for name in DIMENSION_COLUMNS),
                sum_columns=SQL(", ").join(SQL.identifier(name) for name in SUMMED_FIELDS),
                dimensions=dimensions,
                sums=SQL(", ").join(SQL("sum(k.%s)", SQL.identifier(name)) for name in SUMMED_FIELDS),
                source=source,
            )
        )


def _within(starts, table, length):
    """`table` k's rows dated within the periods of `length` starting at `starts`."""
    return SQL(
        """unnest(%s::timestamp[]) AS p(start)
           JOIN %s k ON k.date >= p.start AND k.date < p.start + %s::interval""",
        list(starts),
        table,
        length,
    )
