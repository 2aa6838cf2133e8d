import hashlib
import hmac
import json

from odoo.tests import TransactionCase, new_test_user, tagged

from .common import ContactCenterCase


@tagged("post_install", "-at_install")
class TestRouting(ContactCenterCase, TransactionCase):
    """Who gets a new contact: the team's routing rule over agents who are available and under capacity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice, cls.bob = cls.agents  # profiles of cls.agent and cls.agent_2, both available, capacity 3
        cls.contacts = 0

    def contact(self, body="I need help"):
        """A new customer writes through the signed generic webhook; returns the inbound interaction."""
        type(self).contacts += 1
        number = self.contacts
        payload = {
            "id": f"routing-{number}",
            "type": "message",
            "body": body,
            "from": {"email": f"customer{number}@example.com", "name": f"Customer {number}"},
        }
        raw = json.dumps(payload).encode()
        signature = hmac.new(self.generic.signing_secret.encode(), raw, hashlib.sha256).hexdigest()
        status, text = (
            self.env["cc.inbound.processor"]
            .sudo()
            .with_context(queue_job__no_delay=True)  # process here, not in a queue job
            .receive(
                self.generic._as_route(),
                {
                    "method": "POST",
                    "url": self.generic.webhook_url,
                    "headers": {"content-type": "application/json", "x-cc-signature": f"sha256={signature}"},
                    "body": raw,
                },
            )
        )
        self.assertEqual((status, text), (200, "ok"))
        interaction = self.env["cc.interaction"].search(
            [("channel_id", "=", self.generic.id), ("external_id", "=", payload["id"])]
        )
        event = self.env["cc.webhook.event"].search([("channel_id", "=", self.generic.id)], limit=1)
        self.assertTrue(interaction.ticket_id, f"the contact opened a ticket ({event.state}: {event.error})")
        return interaction

    def give_open_tickets(self, user, count):
        self.env["helpdesk.ticket"].create(
            [
                {"name": f"Earlier ticket {index}", "description": "-", "team_id": self.team.id, "user_id": user.id}
                for index in range(count)
            ]
        )

    def test_least_open_work_picks_the_less_loaded_agent(self):
        self.assertEqual(self.team.cc_routing, "least_open")
        self.give_open_tickets(self.agent, 2)

        first = self.contact()
        second = self.contact()

        self.assertEqual(first.ticket_id.user_id, self.agent_2, "Bob has no open ticket, Alice has two")
        self.assertEqual(first.user_id, self.agent_2)
        self.assertEqual(second.ticket_id.user_id, self.agent_2, "Bob has one, Alice still two")
        self.assertEqual(self.alice.open_work, 2)
        self.assertEqual(self.bob.open_work, 2)

    def test_closed_tickets_do_not_count_as_open_work(self):
        closed = self.env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
        self.give_open_tickets(self.agent, 3)  # Alice would be at capacity if they counted
        self.env["helpdesk.ticket"].search([("user_id", "=", self.agent.id)]).stage_id = closed
        self.give_open_tickets(self.agent_2, 2)

        self.assertEqual(self.alice.open_work, 0)
        self.assertEqual(self.contact().user_id, self.agent, "Alice's tickets are all closed")

    def test_round_robin_alternates_between_available_agents(self):
        """Turns, not load: Alice already carries three tickets and still gets every other contact."""
        self.team.cc_routing = "round_robin"
        self.alice.capacity = self.bob.capacity = 10
        self.give_open_tickets(self.agent, 3)

        assignees = [self.contact().ticket_id.user_id for _index in range(4)]

        self.assertEqual(set(assignees), {self.agent, self.agent_2})
        self.assertEqual(assignees, assignees[:2] * 2, f"{assignees} does not alternate")

    def test_round_robin_skips_an_agent_at_capacity(self):
        self.team.cc_routing = "round_robin"
        self.alice.capacity = 1
        self.bob.capacity = 10

        assignees = [self.contact().ticket_id.user_id for _index in range(3)]

        self.assertEqual(assignees.count(self.agent), 1, "Alice takes one turn, then she is full")
        self.assertEqual(assignees.count(self.agent_2), 2)

    def test_agent_not_available_is_never_picked(self):
        self.alice.capacity = self.bob.capacity = 10
        for presence in ("away", "busy", "offline"):
            with self.subTest(presence=presence):
                self.alice.presence = presence
                # Alice has less open work than Bob: only her presence keeps her out.
                self.assertEqual(self.contact().ticket_id.user_id, self.agent_2)

    def test_agent_at_capacity_is_never_picked(self):
        self.alice.capacity = 1
        self.give_open_tickets(self.agent, 1)  # Alice: 1 of 1, full
        self.give_open_tickets(self.agent_2, 2)  # Bob: 2 of 3, more loaded but has room

        to_bob = self.contact()
        nobody = self.contact()  # Bob is now 3 of 3

        self.assertEqual(to_bob.ticket_id.user_id, self.agent_2)
        self.assertFalse(nobody.ticket_id.user_id)
        self.assertFalse(nobody.user_id)
        self.assertEqual(nobody.state, "queued")

    def test_live_contacts_in_progress_count_toward_capacity(self):
        self.alice.capacity = 1
        self.give_open_tickets(self.agent_2, 1)
        call = self.env["cc.interaction"].create({"channel_id": self.voice.id, "team_id": self.team.id})
        call.with_user(self.agent).action_take()  # Alice is on a call: 1 of 1
        self.assertEqual(self.alice.open_work, 1)

        self.assertEqual(self.contact().ticket_id.user_id, self.agent_2)

    def test_manual_routing_leaves_the_contact_in_the_team_queue(self):
        self.team.cc_routing = "manual"

        interaction = self.contact()

        self.assertFalse(interaction.ticket_id.user_id)
        self.assertEqual(interaction.ticket_id.team_id, self.team)
        self.assertFalse(interaction.user_id)
        self.assertEqual((interaction.state, interaction.team_id), ("queued", self.team))
        self.assertTrue(interaction.queued_at)

    def test_nobody_available_leaves_the_contact_queued(self):
        self.agents.action_offline()

        interaction = self.contact()

        self.assertFalse(interaction.ticket_id.user_id)
        self.assertFalse(interaction.user_id)
        self.assertEqual((interaction.state, interaction.team_id), ("queued", self.team))

    def test_only_members_of_the_channel_team_are_picked(self):
        outsider = new_test_user(self.env, "cc_outsider", groups="cc_omnichannel.group_cc_agent", name="Olga")
        self.env["cc.agent"].create({"user_id": outsider.id, "presence": "available", "capacity": 10})
        self.agents.action_away()

        interaction = self.contact()

        self.assertFalse(interaction.user_id, "an available agent of no team of this channel stays out")
