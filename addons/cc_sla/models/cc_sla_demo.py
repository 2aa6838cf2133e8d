from datetime import timedelta

from odoo import api, models


class CcSlaDemo(models.AbstractModel):
    """Demo data only: the agents of the demo traffic answered most customers, some of them late."""

    _name = "cc.sla.demo"
    _description = "Contact Center SLA Demo"

    @api.model
    def play_first_responses(self):
        answered = self.env["cc.interaction"].search(
            [("ticket_id", "!=", False), ("direction", "=", "inbound"), ("answered_at", "!=", False)],
            order="answered_at",
        )
        for ticket, interactions in answered.grouped("ticket_id").items():
            first = interactions[0]
            # Agents answered chats and messages within minutes to a few hours of the first contact.
            ticket.cc_sla_agent_responded(first.answered_at + timedelta(minutes=(first.id * 37) % 300))
        self.env["cc.sla.timer"]._cron_check_timers()
