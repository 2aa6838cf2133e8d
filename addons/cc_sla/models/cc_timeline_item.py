from odoo import models

from odoo.addons.cc_omnichannel.tools.timeline import TimelineBranch

# "First response" / "Next response" / "Resolution" of a timer, and the ticket it belongs to.
_TARGET = (
    "CASE timer.kind WHEN 'first_response' THEN 'First response' WHEN 'next_response' THEN 'Next response'"
    " ELSE 'Resolution' END"
)
_TICKET = "concat('Ticket ', helpdesk_ticket.number, ': ', helpdesk_ticket.name)"


def _timer_events(slot, date, title, states):
    """The timers of the customer's tickets whose state is in `states` (an SQL list), one item each at `date`."""
    return TimelineBranch(
        slot=slot,
        model="helpdesk.ticket",
        kind="sla",
        key="timer.id",
        partner="helpdesk_ticket.partner_id",
        date=date,
        user_id="helpdesk_ticket.user_id",
        title=title,
        summary=_TICKET,
        indexed=False,
        joins="JOIN cc_sla_timer timer ON timer.ticket_id = helpdesk_ticket.id",
        where=f"helpdesk_ticket.partner_id IS NOT NULL AND timer.state IN {states}",
    )


class CcTimelineItem(models.Model):
    """SLA events in the customer's timeline: a target met (on time or late) and a target breached.

    They are read through the customer's tickets, whose record rules decide who sees them, and open the ticket.
    """

    _inherit = "cc.timeline.item"

    def _timeline_branches(self):
        return [
            *super()._timeline_branches(),
            _timer_events(
                12,
                "timer.reached_at",
                f"concat({_TARGET}, CASE timer.state WHEN 'met' THEN ' met' ELSE ' met late' END)",
                "('met', 'met_late')",
            ),
            _timer_events(13, "timer.deadline", f"concat({_TARGET}, ' breached')", "('breached', 'met_late')"),
        ]
