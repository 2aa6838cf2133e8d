import json
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.bus.models.bus import channel_with_db, json_dump
from odoo.addons.cc_reports.models.cc_dashboard import BUS_CHANNEL


@tagged("post_install", "-at_install")
class TestReportsUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A company of its own, so the figures are those below whatever else the database holds.
        cls.company = cls.env["res.company"].create({"name": "Dashboard Test Company"})
        cls.env.ref("base.user_admin").write({"company_ids": [(4, cls.company.id)], "company_id": cls.company.id})
        cls.channel = cls.env["cc.channel"].create(
            {"name": "Dashboard Voice", "channel_type": "voice", "provider": "twilio", "company_id": cls.company.id}
        )
        cls.dana = new_test_user(
            cls.env,
            "cc_dashboard_dana",
            groups="cc_omnichannel.group_cc_agent",
            name="Dana Dashboard",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.env["cc.agent"].create(
            {"user_id": cls.dana.id, "company_id": cls.company.id, "presence": "available", "capacity": 4}
        )
        now = fields.Datetime.now()

        def contact(summary, age, state, **vals):
            """An inbound call: answered after 15 s and talked 4 min, or hung up after 90 s in the queue."""
            received = now - age
            answered = state in ("done", "in_progress")
            ended = {"done": timedelta(minutes=4, seconds=15), "missed": timedelta(seconds=90)}.get(state)
            return {
                "channel_id": cls.channel.id,
                "direction": "inbound",
                "body": summary,
                "state": state,
                "received_at": received,
                "answered_at": received + timedelta(seconds=15) if answered else False,
                "wait_seconds": 15 if answered else 90 if state == "missed" else 0,
                "ended_at": received + ended if ended else False,
                **vals,
            }

        cls.env["cc.interaction"].create(
            [
                # The last 7 days: 3 handled (1 of them today) and 1 abandoned, plus 1 in progress now, below.
                contact("Billing question", timedelta(hours=2), "done"),
                contact("Delivery delay", timedelta(days=2), "done"),
                contact("Password reset", timedelta(days=3), "done"),
                contact("Hung up in the queue", timedelta(hours=30), "missed"),
                # The 7 days before: 1 handled.
                contact("Old question", timedelta(days=9), "done"),
                # Now: one customer waiting, one contact answered and in Dana's hands.
                contact("Still waiting", timedelta(minutes=5), "queued"),
                contact("On the phone", timedelta(minutes=3), "in_progress", user_id=cls.dana.id),
            ]
        )
        # A ticket with one SLA target met, one breached and one at risk.
        ticket = cls.env["helpdesk.ticket"].create(
            {"name": "Refund", "description": "<p>Refund please</p>", "company_id": cls.company.id}
        )
        policy = cls.env["cc.sla.policy"].create({"name": "Dashboard policy", "company_id": cls.company.id})
        timer = {"ticket_id": ticket.id, "policy_id": policy.id, "target_minutes": 60}
        cls.timers = cls.env["cc.sla.timer"].create(
            [
                {
                    **timer,
                    "kind": "first_response",
                    "start_at": now - timedelta(days=1),
                    "state": "met",
                    "deadline": now - timedelta(hours=23),
                    "reached_at": now - timedelta(hours=23, minutes=30),
                },
                {
                    **timer,
                    "kind": "next_response",
                    "start_at": now - timedelta(hours=3),
                    "state": "breached",
                    "deadline": now - timedelta(hours=2),
                },
                {
                    **timer,
                    "kind": "resolution",
                    "start_at": now - timedelta(minutes=50),
                    "state": "at_risk",
                    "deadline": now + timedelta(minutes=10),
                },
            ]
        )

    def test_dashboard_tour(self):
        """The supervisor opens the dashboard, reads the cards and the live panel, and clicks the handled
        card through to the handled interactions."""
        self.start_tour("/odoo/action-cc_reports.action_cc_dashboard", "cc_reports_tour", login="admin")

    def test_contact_volume_tour(self):
        """Contact Center > Reporting > Contact Volume draws its chart."""
        self.start_tour("/odoo", "cc_reports_volume_tour", login="admin")

    def test_dashboard_data_for_the_tour(self):
        """What the tour reads, from the service itself: the figures of the test company only."""
        admin = self.env.ref("base.user_admin")
        data = self.env["cc.dashboard"].with_user(admin).with_company(self.company).dashboard_data("7d")
        # The call in progress is answered but not yet handled: it counts once finished.
        self.assertEqual(data["cards"]["handled"], {"value": 3, "previous": 1})
        self.assertEqual(data["cards"]["offered"]["value"], 4)
        self.assertEqual(data["cards"]["abandon_rate"]["value"], 0.25)
        self.assertEqual(data["live"]["waiting"], 1)
        self.assertGreaterEqual(data["live"]["longest_wait_seconds"], 300)
        self.assertEqual(data["cards"]["sla_compliance"]["value"], 0.5)
        self.assertEqual((data["live"]["at_risk"], data["live"]["breached"]), (1, 1))
        agents = {agent["name"]: agent for agent in data["live"]["agents"]}
        self.assertEqual(
            {key: agents["Dana Dashboard"][key] for key in ("presence", "load", "capacity")},
            {"presence": "available", "load": 1, "capacity": 4},
        )

    def _dashboard_notifications(self):
        self.env.cr.precommit.run()  # the bus writes its rows just before the commit
        channel = json_dump(channel_with_db(self.env.cr.dbname, BUS_CHANNEL))
        notifications = self.env["bus.bus"].sudo().search([("channel", "=", channel)])
        return [json.loads(notification.message)["type"] for notification in notifications]

    def test_changes_refresh_open_dashboards(self):
        """Interactions, SLA timers and presence changes signal the dashboards, once per transaction."""
        self._dashboard_notifications()
        self.env["bus.bus"].sudo().search([]).unlink()
        self.assertEqual(self._dashboard_notifications(), [])

        interaction = self.env["cc.interaction"].create({"channel_id": self.channel.id, "state": "queued"})
        interaction.write({"state": "in_progress", "user_id": self.dana.id})
        self.assertEqual(self._dashboard_notifications(), ["cc_dashboard/refresh"])

        self.env["cc.agent"].search([("user_id", "=", self.dana.id)]).presence = "away"
        self.assertEqual(self._dashboard_notifications(), ["cc_dashboard/refresh"] * 2)

        self.timers.filtered(lambda timer: timer.state == "at_risk").state = "breached"
        self.assertEqual(self._dashboard_notifications(), ["cc_dashboard/refresh"] * 3)

        interaction.write({"body": "A note"})  # neither state nor agent: nothing to refresh
        self.assertEqual(self._dashboard_notifications(), ["cc_dashboard/refresh"] * 3)
