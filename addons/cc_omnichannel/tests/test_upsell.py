from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import WebhookCase, twilio_sms


@tagged("post_install", "-at_install")
class TestUpsell(WebhookCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(cls.env, "cc_rep", groups="sales_team.group_sale_salesman", name="Rita Rep")
        cls.sales_team = cls.env["crm.team"].create({"name": "Upsell Desk", "user_id": cls.rep.id})
        cls.rule = cls.env["cc.upsell.rule"].create(
            {
                "name": "Fiber for slow connections",
                "trigger": "inbound",
                "keywords": "slow, speed",
                "channel_types": [Command.set(cls.env.ref("cc_omnichannel.channel_type_sms").ids)],
                "offer": "Fiber 1 Gbps",
                "talking_points": "Ten times faster for 10 EUR more a month.",
                "expected_revenue": 1200,
                "crm_team_id": cls.sales_team.id,
                "user_id": cls.rep.id,
                "cooldown_days": 30,
            }
        )

    def text_in(self, sid, body, sender="+32470123456"):
        return self.post_twilio(self.sms, twilio_sms(sid, sender, body))

    def flags(self):
        return self.env["cc.upsell.flag"].search([("rule_id", "=", self.rule.id)])

    def test_matching_sms_raises_one_flag_even_when_redelivered(self):
        form = twilio_sms("SM100", "+32470123456", "My internet is so slow tonight")
        self.post_twilio(self.sms, form)
        self.post_twilio(self.sms, form)

        flag = self.flags()
        self.assertEqual(len(flag), 1)
        self.assertEqual((flag.state, flag.offer, flag.user_id), ("open", "Fiber 1 Gbps", self.rep))
        self.assertEqual(flag.interaction_id.external_id, "SM100")
        self.assertEqual(flag.ticket_id, flag.interaction_id.ticket_id)
        self.assertEqual(flag.activity_ids.user_id, self.rep, "the rep gets a to-do")

    def test_no_flag_without_keyword_or_on_another_channel(self):
        self.text_in("SM101", "Billing question")
        self.post_meta(
            self.whatsapp,
            {
                "object": "whatsapp_business_account",
                "entry": [
                    {
                        "id": "1",
                        "changes": [
                            {
                                "field": "messages",
                                "value": {
                                    "messaging_product": "whatsapp",
                                    "metadata": {"phone_number_id": "1"},
                                    "contacts": [{"profile": {"name": "X"}, "wa_id": "32470999999"}],
                                    "messages": [
                                        {
                                            "from": "32470999999",
                                            "id": "wamid.up",
                                            "timestamp": "1764480000",
                                            "type": "text",
                                            "text": {"body": "so slow"},
                                        }
                                    ],
                                },
                            }
                        ],
                    }
                ],
            },
        )
        self.assertFalse(self.flags())

    def test_agent_sees_the_prompt_on_the_ticket_without_the_amount(self):
        self.text_in("SM102", "Speed is terrible")
        ticket = self.flags().ticket_id
        as_agent = ticket.with_user(self.agent)
        self.assertEqual(as_agent.cc_upsell_flag_ids.offer, "Fiber 1 Gbps")
        self.assertEqual(as_agent.cc_upsell_flag_ids.talking_points, "Ten times faster for 10 EUR more a month.")
        with self.assertRaises(AccessError):
            self.flags().with_user(self.agent).read(["expected_revenue"])

    def test_rep_accepts_then_wins(self):
        self.text_in("SM103", "Can you increase my speed?")
        flag = self.flags()
        flag.with_user(self.rep).action_accept()

        lead = flag.lead_id
        self.assertEqual((flag.state, lead.type, lead.user_id), ("accepted", "opportunity", self.rep))
        self.assertEqual((lead.partner_id, lead.expected_revenue), (flag.partner_id, 1200))
        self.assertEqual(lead.cc_upsell_flag_id, flag)
        self.assertEqual((flag.ticket_id, flag.interaction_id.external_id), (flag.ticket_id, "SM103"))

        lead.with_user(self.rep).write({"expected_revenue": 1500})
        lead.with_user(self.rep).action_set_won()
        self.assertEqual((flag.state, flag.won_revenue), ("won", 1500))

    def test_lost_opportunity_is_recorded(self):
        self.text_in("SM104", "slow again")
        flag = self.flags()
        flag.with_user(self.rep).action_accept()
        flag.lead_id.with_user(self.rep).action_set_lost()
        self.assertEqual(flag.state, "lost")

    def test_dismiss_needs_a_reason_and_keeps_it(self):
        self.text_in("SM105", "slow")
        flag = self.flags()
        with self.assertRaisesRegex(UserError, "Say why"):
            flag.with_user(self.rep).action_dismiss("  ")
        wizard = (
            self.env["cc.upsell.dismiss.wizard"]
            .with_user(self.rep)
            .create({"flag_ids": [Command.set(flag.ids)], "reason": "Already on the best plan"})
        )
        wizard.action_dismiss()
        self.assertEqual((flag.state, flag.dismiss_reason), ("dismissed", "Already on the best plan"))

    def test_rule_in_cooldown_does_not_fire_again(self):
        self.text_in("SM106", "slow")
        self.flags().with_user(self.rep).action_dismiss("Not now")
        self.text_in("SM107", "still slow")
        self.assertEqual(len(self.flags()), 1, "the cool-down holds")

        later = fields.Datetime.now() + timedelta(days=31)
        with freeze_time(later):
            self.text_in("SM108", "slow, really")
        self.assertEqual(len(self.flags()), 2, "after the cool-down the rule prompts again")

    def test_reps_see_their_own_flags_only(self):
        other_rep = new_test_user(self.env, "cc_rep2", groups="sales_team.group_sale_salesman")
        self.text_in("SM109", "slow")
        self.assertEqual(self.env["cc.upsell.flag"].with_user(self.rep).search([]), self.flags())
        self.assertFalse(self.env["cc.upsell.flag"].with_user(other_rep).search([]))

    def test_minimum_contacts_within_window(self):
        self.rule.min_contacts = 2
        self.text_in("SM110", "slow", sender="+32470555444")
        self.assertFalse(self.flags())
        self.text_in("SM111", "slow", sender="+32470555444")
        self.assertEqual(len(self.flags()), 1)

    def test_rule_changes_apply_to_the_next_contact(self):
        """The rules are read once and kept: archiving, rewording or adding one shows on the next contact."""
        self.rule.active = False
        self.text_in("SM120", "slow")
        self.assertFalse(self.flags(), "archived")
        self.rule.write({"active": True, "keywords": "router"})
        self.text_in("SM121", "still slow")
        self.assertFalse(self.flags(), "no longer its word")
        self.text_in("SM122", "the router is slow")
        self.assertEqual(len(self.flags()), 1)
        tv = self.env["cc.upsell.rule"].create({"name": "TV", "keywords": "football", "offer": "TV bundle"})
        self.text_in("SM123", "Can I watch football?", sender="+32470555111")
        self.assertEqual(self.env["cc.upsell.flag"].search([("rule_id", "=", tv.id)]).offer, "TV bundle")

    def test_contacts_of_the_whole_customer_count(self):
        """A company's people reach us from their own numbers: the minimum counts all their contacts."""
        acme = self.env["res.partner"].create({"name": "Acme", "is_company": True})
        for name, phone in (("Ann", "+32470600001"), ("Bert", "+32470600002")):
            person = self.env["res.partner"].create({"name": name, "parent_id": acme.id, "phone": phone})
            self.env["cc.identity"].create(
                {"partner_id": person.id, "kind": "phone", "value": phone, "company_id": self.company.id}
            )
        self.rule.write({"min_contacts": 2, "window_days": 7, "partner_domain": "[('is_company', '=', True)]"})
        self.text_in("SM130", "slow", sender="+32470600001")
        self.assertFalse(self.flags(), "one contact so far")
        self.text_in("SM131", "slow here too", sender="+32470600002")
        self.assertEqual(self.flags().partner_id, acme, "the second contact of Acme's people: Acme is prompted")
        self.text_in("SM132", "slow", sender="+32470111999")
        self.text_in("SM133", "slow", sender="+32470111999")
        self.assertEqual(len(self.flags()), 1, "a private customer is not a company: the rule's customers")

    def test_ticket_solved_trigger(self):
        rule = self.env["cc.upsell.rule"].create(
            {
                "name": "Care plan after a repair",
                "trigger": "ticket_solved",
                "offer": "Care+ plan",
                "user_id": self.rep.id,
            }
        )
        self.text_in("SM112", "Router broken")
        ticket = self.interactions(self.sms).ticket_id
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        flag = self.env["cc.upsell.flag"].search([("rule_id", "=", rule.id)])
        self.assertEqual((flag.ticket_id, flag.offer), (ticket, "Care+ plan"))
