from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.cc_sla.models.cc_sla_target import TARGET_KINDS
from odoo.addons.cc_sla.models.cc_sla_timer import TIMER_STATES

from ..tools.kpi import SLA_FAILED_STATES, SLA_MET_STATES
from .cc_kpi_contact import upsert_differs

DECIDED_STATES = SLA_MET_STATES + SLA_FAILED_STATES
OUTCOME_COLUMNS = (
    "date",
    "company_id",
    "channel_type",
    "team_id",
    "user_id",
    "kind",
    "state",
    "reached_seconds",
)


class CcKpiSlaOutcome(models.Model):
    """One row per SLA timer with an outcome (met, met late, breached), dated when it was reached or breached,
    with its ticket's company, team, agent and channel: what SLA compliance reads, without a join per timer.

    Kept up to date by cc.kpi.contact's refresh from the timers and tickets written since the last one.
    """

    _name = "cc.kpi.sla.outcome"
    _inherit = ["cc.kpi.dimensions"]
    _description = "Contact Center SLA Outcome Fact"
    _order = "date desc"
    _rec_name = "timer_id"
    _log_access = False

    timer_id = fields.Many2one("cc.sla.timer", required=True, readonly=True, ondelete="cascade")
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True, index=True)
    date = fields.Datetime(readonly=True, index=True, help="When the target was reached, else its deadline.")
    kind = fields.Selection(TARGET_KINDS, readonly=True)
    state = fields.Selection(TIMER_STATES, readonly=True)
    reached_seconds = fields.Float(readonly=True, help="From the start to the target reached, when it was.")

    _timer_unique = models.Constraint("UNIQUE(timer_id)", "One outcome row per timer.")

    @api.model
    def _refresh(self, changed_timers, changed_tickets):
        """Bring the rows of the timers of `changed_timers` (an SQL condition on cc_sla_timer tm) and of the
        tickets of `changed_tickets` (on helpdesk_ticket t) up to date."""
        self.env.cr.execute(
            SQL(
                """
            DELETE FROM cc_kpi_sla_outcome o USING cc_sla_timer tm
             WHERE o.timer_id = tm.id AND %s AND tm.state NOT IN %s
            """,
                changed_timers,
                DECIDED_STATES,
            )
        )
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO cc_kpi_sla_outcome (timer_id, ticket_id, date, company_id, channel_type, team_id, user_id, kind,
                                            state, reached_seconds)
            SELECT tm.id, t.id, COALESCE(tm.reached_at, tm.deadline), t.company_id, ch.channel_type, t.team_id,
                   t.user_id, tm.kind, tm.state, EXTRACT(EPOCH FROM tm.reached_at - tm.start_at)
              FROM cc_sla_timer tm
              JOIN helpdesk_ticket t ON t.id = tm.ticket_id
         LEFT JOIN cc_channel ch ON ch.id = t.cc_channel_id
             WHERE tm.state IN %(decided)s
               -- arrays rather than subqueries: the few changed rows through the indexes, never a scan
               AND (tm.id = ANY(ARRAY(SELECT tm.id FROM cc_sla_timer tm WHERE %(timers)s))
                    OR tm.ticket_id = ANY(ARRAY(SELECT t.id FROM helpdesk_ticket t WHERE %(tickets)s)))
             ORDER BY 3  -- a full refresh stores a month's outcomes together
                ON CONFLICT (timer_id) DO UPDATE SET
                   date = EXCLUDED.date, company_id = EXCLUDED.company_id, channel_type = EXCLUDED.channel_type,
                   team_id = EXCLUDED.team_id, user_id = EXCLUDED.user_id, kind = EXCLUDED.kind,
                   state = EXCLUDED.state, reached_seconds = EXCLUDED.reached_seconds
             WHERE %(differs)s
            """,
                differs=upsert_differs("cc_kpi_sla_outcome", OUTCOME_COLUMNS),
                decided=DECIDED_STATES,
                timers=changed_timers,
                tickets=changed_tickets,
            )
        )
        self.invalidate_model()
