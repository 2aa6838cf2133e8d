from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSlaUi(HttpCase):
    def test_countdown_and_at_risk_filter_tour(self):
        """A supervisor finds the ticket at risk, with its live countdown, and filters on breached ones."""
        team = self.env["helpdesk.ticket.team"].create({"name": "Tour Team"})
        calendar = self.env["resource.calendar"].create({"name": "Always open", "attendance_ids": [Command.clear()]})
        self.env["cc.sla.policy"].create(
            {
                "name": "Standard support",
                "team_ids": [Command.set(team.ids)],
                "calendar_id": calendar.id,
                "target_ids": [Command.create({"kind": "first_response", "minutes": 100})],
            }
        )
        Ticket = self.env["helpdesk.ticket"]
        at_risk = Ticket.create(
            {
                "name": "Router keeps rebooting",
                "team_id": team.id,
                "description": "x",
                "cc_sla_start_at": fields.Datetime.now() - timedelta(minutes=80),
            }
        )
        fine = Ticket.create({"name": "Password reset", "team_id": team.id, "description": "x"})
        self.env["cc.sla.timer"]._cron_check_timers()
        self.assertEqual((at_risk.cc_sla_state, fine.cc_sla_state), ("at_risk", "running"))

        self.start_tour("/odoo", "cc_sla_tour", login="admin")
