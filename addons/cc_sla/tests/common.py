from datetime import datetime

from odoo import Command
from odoo.tests import new_test_user


class SlaCase:
    """A team on Mon-Fri 09:00-17:00 UTC business hours, with a standard and an urgent policy.

    Every time in these tests is a Monday, 30 November 2026, or a later day of that week, in UTC.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_awaiting = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        cls.stage_in_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.agent = new_test_user(cls.env, "sla_agent", groups="cc_omnichannel.group_cc_agent", name="Ann Agent")
        cls.supervisor = new_test_user(
            cls.env, "sla_supervisor", groups="cc_omnichannel.group_cc_supervisor", name="Sue Supervisor"
        )
        cls.customer = cls.env["res.partner"].create({"name": "Carl Customer", "email": "carl@example.com"})
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "SLA Team", "user_ids": [Command.set(cls.agent.ids)]}
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Office hours UTC",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 17,
                            "day_period": "full_day",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        stages = {
            "calendar_id": cls.calendar.id,
            "pause_stage_ids": [Command.set(cls.stage_awaiting.ids)],
            "stop_stage_ids": [Command.set(cls.stage_done.ids)],
        }
        cls.standard = cls.env["cc.sla.policy"].create(
            {
                **stages,
                "name": "Standard",
                "sequence": 20,
                "team_ids": [Command.set(cls.team.ids)],
                "target_ids": [
                    Command.create({"kind": "first_response", "minutes": 60}),
                    Command.create({"kind": "next_response", "minutes": 120}),
                    Command.create({"kind": "resolution", "minutes": 480}),
                ],
            }
        )
        cls.urgent = cls.env["cc.sla.policy"].create(
            {
                **stages,
                "name": "Urgent",
                "sequence": 10,
                "priority": "3",
                "team_ids": [Command.set(cls.team.ids)],
                "target_ids": [
                    Command.create({"kind": "first_response", "minutes": 30}),
                    Command.create({"kind": "resolution", "minutes": 120}),
                ],
            }
        )

    def create_ticket(self, **vals):
        return self.env["helpdesk.ticket"].create(
            {
                "name": "Printer on fire",
                "description": "It smells",
                "team_id": self.team.id,
                "partner_id": self.customer.id,
                "priority": "1",
                **vals,
            }
        )

    def sms_channel(self):
        """An SMS channel of the team, on the generic provider."""
        return self.env["cc.channel"].create(
            {
                "name": "SMS",
                "channel_type": "sms",
                "provider": "generic",
                "team_id": self.team.id,
                "signing_secret": "k",
            }
        )

    @staticmethod
    def timer(ticket, kind):
        return ticket.cc_sla_timer_ids.filtered(lambda timer: timer.kind == kind).sorted("id")[-1:]


def at(day, hour, minute=0):
    """A moment of the week of Monday 30 November 2026 (day 0 = Monday), UTC."""
    return datetime(2026, 11, 30 + day, hour, minute) if 30 + day <= 30 else datetime(2026, 12, day, hour, minute)
