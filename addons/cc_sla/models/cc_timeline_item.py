from odoo import models

from odoo.addons.cc_omnichannel.tools.timeline import TimelineBranch

# "First response" / "Next response" / "Resolution" of a timer, and the ticket it belongs to.
_TARGET = (
    "CASE timer.kind WHEN 'first_response' THEN 'First response' WHEN 'next_response' THEN 'Next response'"
    " ELSE 'Resolution' END"
)
_TICKET = "concat('Ticket ', helpdesk_ticket.number, ': ', helpdesk_ticket.name)"
_TIMERS = "JOIN cc_sla_timer timer ON timer.ticket_id = helpdesk_ticket.id"


class CcTimelineItem(models.Model):
    """SLA events in the customer's timeline: a target met (on time or late) and a target breached.

    They are read through the customer's tickets, whose record rules decide who sees them, and open the ticket.
    """

    _inherit = "cc.timeline.item"

    def _timeline_branches(self):
        return [
            *super()._timeline_branches(),
            TimelineBranch(
                slot=12,
                model="helpdesk.ticket",
                kind="sla",
                key="timer.id",
                partner="helpdesk_ticket.partner_id",
                date="timer.reached_at",
                user_id="helpdesk_ticket.user_id",
                title=f"concat({_TARGET}, CASE timer.state WHEN 'met' THEN ' met' ELSE ' met late' END)",
                summary=_TICKET,
                indexed=False,
                joins=_TIMERS,
                where="helpdesk_ticket.partner_id IS NOT NULL AND timer.state IN ('met', 'met_late')",
            ),
            TimelineBranch(
                slot=13,
                model="helpdesk.ticket",
                kind="sla",
                key="timer.id",
                partner="helpdesk_ticket.partner_id",
                date="timer.deadline",
                user_id="helpdesk_ticket.user_id",
                title=f"concat({_TARGET}, ' breached')",
                summary=_TICKET,
                indexed=False,
                joins=_TIMERS,
                where="helpdesk_ticket.partner_id IS NOT NULL AND timer.state IN ('breached', 'met_late')",
            ),
        ]
