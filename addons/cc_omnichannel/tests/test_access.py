import json

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ContactCenterCase


@tagged("post_install", "-at_install")
class TestAccess(ContactCenterCase, TransactionCase):
    """What agents, supervisors and managers may see and do, and that companies stay apart."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent_3 = new_test_user(cls.env, "cc_agent3", groups="cc_omnichannel.group_cc_agent", name="Carl Agent")
        cls.back_office = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Back Office",
                "user_ids": [(6, 0, cls.agent_3.ids)],
            }
        )
        Interaction = cls.env["cc.interaction"]
        cls.front_line_of_bob = Interaction.create(
            {"channel_id": cls.sms.id, "team_id": cls.team.id, "user_id": cls.agent_2.id, "body": "front line, Bob's"}
        )
        cls.back_office_of_alice = Interaction.create(
            {
                "channel_id": cls.sms.id,
                "team_id": cls.back_office.id,
                "user_id": cls.agent.id,
                "body": "back office, Alice's",
            }
        )
        cls.back_office_of_carl = Interaction.create(
            {
                "channel_id": cls.sms.id,
                "team_id": cls.back_office.id,
                "user_id": cls.agent_3.id,
                "body": "back office, Carl's",
            }
        )
        cls.all_interactions = cls.front_line_of_bob | cls.back_office_of_alice | cls.back_office_of_carl

    # --- provider credentials ----------------------------------------------------------------------

    @mute_logger("odoo.models")
    def test_agent_cannot_read_channel_credentials_manager_can(self):
        as_agent = self.sms.with_user(self.agent)
        self.assertEqual(as_agent.read(["name", "channel_type"])[0]["name"], "SMS", "agents see the channel")
        for field in ("signing_secret", "api_token"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                as_agent.read([field])
        with self.assertRaises(AccessError):
            as_agent.write({"api_token": "stolen"})

        values = self.sms.with_user(self.manager).read(["signing_secret", "api_token"])[0]
        self.assertEqual((values["signing_secret"], values["api_token"]), ("twilio-auth-token", "twilio-auth-token"))

    @mute_logger("odoo.models")
    def test_supervisor_cannot_read_channel_credentials_either(self):
        with self.assertRaises(AccessError):
            self.sms.with_user(self.supervisor).read(["api_token"])

    # --- interactions ------------------------------------------------------------------------------

    def test_agent_sees_own_and_team_interactions_not_other_teams(self):
        visible = self.env["cc.interaction"].with_user(self.agent).search([("id", "in", self.all_interactions.ids)])

        self.assertEqual(visible, self.front_line_of_bob | self.back_office_of_alice)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.back_office_of_carl.with_user(self.agent).read(["body"])

    def test_agent_sees_the_unassigned_queue(self):
        queued = self.env["cc.interaction"].create({"channel_id": self.sms.id, "body": "nobody's yet"})

        self.assertIn(queued, self.env["cc.interaction"].with_user(self.agent_3).search([]))
        self.assertNotIn(self.front_line_of_bob, self.env["cc.interaction"].with_user(self.agent_3).search([]))

    def test_supervisor_sees_all_interactions(self):
        visible = (
            self.env["cc.interaction"].with_user(self.supervisor).search([("id", "in", self.all_interactions.ids)])
        )

        self.assertEqual(visible, self.all_interactions)

    def test_user_of_another_company_sees_nothing_of_this_one(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        outsider = new_test_user(
            self.env,
            "cc_other_co",
            groups="cc_omnichannel.group_cc_agent",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        own_channel = self.env["cc.channel"].create(
            {"name": "Other SMS", "channel_type": "sms", "provider": "twilio", "company_id": other_company.id}
        )
        own_interaction = self.env["cc.interaction"].create({"channel_id": own_channel.id})
        customer = self.env["res.partner"].create({"name": "Eva"})
        identity = self.env["cc.identity"].create(
            {"partner_id": customer.id, "kind": "phone", "value": "+32470123456", "company_id": self.company.id}
        )
        own_identity = self.env["cc.identity"].create(
            {"partner_id": customer.id, "kind": "phone", "value": "+32470123456", "company_id": other_company.id}
        )
        env = self.env(user=outsider)

        self.assertEqual(env["cc.channel"].search([]), own_channel)
        self.assertEqual(env["cc.interaction"].search([]), own_interaction)
        self.assertEqual(env["cc.identity"].search([]), own_identity)
        self.assertFalse(env["cc.agent"].search([]))
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.sms.with_user(outsider).read(["name"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            identity.with_user(outsider).read(["value"])

    # --- presence ----------------------------------------------------------------------------------

    def test_agent_sets_own_presence_only(self):
        alice, bob = self.agents
        self.agents.action_offline()

        alice.with_user(self.agent).action_available()

        self.assertEqual(alice.presence, "available")
        self.assertEqual(bob.with_user(self.agent).presence, "offline", "the floor's presence is visible")
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            bob.with_user(self.agent).action_available()
        self.assertEqual(bob.presence, "offline")

    def test_supervisor_sets_anyones_presence(self):
        bob = self.agents[1]
        bob.action_offline()

        bob.with_user(self.supervisor).action_available()

        self.assertEqual(bob.presence, "available")

    # --- inbound payloads --------------------------------------------------------------------------

    def failed_payload(self):
        return self.env["cc.webhook.event"].create(
            {
                "channel_id": self.generic.id,
                "provider": "generic",
                "state": "failed",
                "error": "boom",
                "http_method": "POST",
                "content_type": "application/json",
                "body": json.dumps(
                    {"id": "chat-77", "type": "message", "from": {"email": "eva@example.com"}, "body": "Still waiting"}
                ),
            }
        )

    def test_agent_cannot_replay_inbound_payloads(self):
        event = self.failed_payload()

        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            event.with_user(self.agent).action_replay()

        self.assertEqual(event.state, "failed")
        self.assertFalse(self.env["cc.interaction"].search([("external_id", "=", "chat-77")]))

    def test_supervisor_replays_inbound_payloads(self):
        event = self.failed_payload()

        event.with_user(self.supervisor).action_replay()

        self.assertEqual((event.state, event.attempts), ("processed", 1))
        interaction = self.env["cc.interaction"].search([("external_id", "=", "chat-77")])
        self.assertEqual(interaction.partner_id.email, "eva@example.com")
        self.assertEqual(interaction.webhook_event_id, event)
