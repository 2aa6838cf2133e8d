from odoo import Command
from odoo.tests import TransactionCase, freeze_time, new_test_user, tagged

from .common import SlaCase, at


@tagged("post_install", "-at_install")
class TestSlaEscalation(SlaCase, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warn = cls.env["cc.sla.escalation"].create(
            {
                "name": "Warn the supervisor",
                "policy_id": cls.standard.id,
                "level": 1,
                "trigger": "at_risk",
                "target_kind": "first_response",
                "notify_user_ids": [Command.set(cls.supervisor.ids)],
                "schedule_activity": True,
            }
        )
        cls.breach = cls.env["cc.sla.escalation"].create(
            {
                "name": "Raise and hand over",
                "policy_id": cls.standard.id,
                "level": 2,
                "trigger": "breached",
                "target_kind": "first_response",
                "raise_priority": True,
                "reassign_user_id": cls.supervisor.id,
                "note": "Breached: answer first.",
            }
        )
        cls.late = cls.env["cc.sla.escalation"].create(
            {
                "name": "Tell the manager",
                "policy_id": cls.standard.id,
                "level": 3,
                "trigger": "after_breach",
                "delay_minutes": 30,
                "target_kind": "first_response",
                "follower_ids": [Command.set(cls.supervisor.partner_id.ids)],
            }
        )

    def run_job(self, moment):
        with freeze_time(moment):
            self.env["cc.sla.timer"]._cron_check_timers()

    def test_ladder_fires_each_level_once(self):
        with freeze_time(at(0, 10)):
            ticket = self.create_ticket()

        self.run_job(at(0, 10, 50))
        self.run_job(at(0, 10, 55))
        log = ticket.cc_sla_escalation_log_ids
        self.assertEqual(log.mapped("level"), [1])
        self.assertEqual((log.rule_id, log.timer_id.kind, log.fired_at), (self.warn, "first_response", at(0, 10, 50)))
        self.assertEqual(ticket.activity_ids.user_id, self.supervisor)
        self.assertIn("notified Sue Supervisor", log.summary)

        self.run_job(at(0, 11, 5))
        self.run_job(at(0, 11, 10))
        self.assertEqual(sorted(ticket.cc_sla_escalation_log_ids.mapped("level")), [1, 2])
        self.assertEqual((ticket.priority, ticket.user_id), ("2", self.supervisor))
        self.assertTrue(any("Breached: answer first." in body for body in ticket.message_ids.mapped("body")))

        self.run_job(at(0, 11, 31))
        self.run_job(at(0, 11, 40))
        self.assertEqual(sorted(ticket.cc_sla_escalation_log_ids.mapped("level")), [1, 2, 3])
        self.assertIn(self.supervisor.partner_id, ticket.message_partner_ids)
        logged = [body for body in ticket.message_ids.mapped("body") if "SLA escalation level" in body]
        self.assertEqual(len(logged), 3, "each firing is logged on the ticket")

    def test_met_timer_does_not_escalate(self):
        with freeze_time(at(0, 10)):
            ticket = self.create_ticket()
        with freeze_time(at(0, 10, 10)):
            ticket.with_user(self.agent).message_post(
                body="Hello", subtype_xmlid="mail.mt_comment", message_type="comment"
            )
        self.run_job(at(0, 12))
        self.assertFalse(ticket.cc_sla_escalation_log_ids)

    def test_a_second_worker_finds_nothing_left_to_fire(self):
        with freeze_time(at(0, 10)):
            ticket = self.create_ticket()
        with freeze_time(at(0, 10, 50)):
            self.env["cc.sla.timer"]._cron_check_timers()
            pairs = [(self.timer(ticket, "first_response").id, self.warn.id)]
            self.assertFalse(self.env["cc.sla.escalation.log"].claim(pairs, at(0, 10, 50)))


@tagged("post_install", "-at_install")
class TestSlaMultiCompany(SlaCase, TransactionCase):
    def test_policies_stay_in_their_company(self):
        other = self.env["res.company"].create({"name": "Other Support Co"})
        foreign = self.env["cc.sla.policy"].create(
            {
                "name": "Other company's policy",
                "company_id": other.id,
                "sequence": 1,
                "calendar_id": self.calendar.id,
                "target_ids": [Command.create({"kind": "resolution", "minutes": 10})],
            }
        )
        with freeze_time(at(0, 10)):
            ticket = self.create_ticket()
        self.assertEqual(ticket.cc_sla_policy_id, self.standard)

        outsider = new_test_user(
            self.env,
            "sla_outsider",
            groups="cc_omnichannel.group_cc_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        visible = self.env["cc.sla.policy"].with_user(outsider).search([])
        self.assertEqual(visible, foreign)
        self.assertFalse(self.env["cc.sla.timer"].with_user(outsider).search([("ticket_id", "=", ticket.id)]))
