from dataclasses import replace

from odoo import Command
from odoo.tests import TransactionCase, freeze_time, new_test_user, tagged
from odoo.tests.common import BaseCase

from odoo.addons.cc_sla.tools.policy_rules import PolicyRule, PolicyRules, TicketFacts

from .common import SlaCase, at


def rule(rule_id, company_id=1, **conditions):
    return PolicyRule(
        id=rule_id, company_id=company_id, active=True, calendar_id=1, use_customer_tz=False, at_risk_percent=75,
        **conditions,
    )  # fmt: skip


@tagged("cc_sla_tools")
class TestPolicyRules(BaseCase):
    """Which policy a ticket gets, from plain data."""

    def test_every_condition_must_accept_and_empty_ones_accept_all(self):
        anything = rule(1)
        strict = rule(
            2,
            team_ids=frozenset({7}),
            priority="3",
            channel_codes=frozenset({"sms"}),
            category_ids=frozenset({4}),
            tag_ids=frozenset({5, 6}),
            partner_category_ids=frozenset({9}),
        )
        ticket = TicketFacts(
            team_id=7,
            priority="3",
            channel_code="sms",
            category_id=4,
            tag_ids=frozenset({6, 8}),
            partner_category_ids=frozenset({9}),
        )
        self.assertTrue(anything.accepts(TicketFacts()))
        self.assertTrue(strict.accepts(ticket))
        for differs in (
            {"team_id": False},
            {"priority": "2"},
            {"channel_code": False},
            {"category_id": 3},
            {"tag_ids": frozenset({8})},
            {"partner_category_ids": frozenset()},
        ):
            with self.subTest(**{key: str(value) for key, value in differs.items()}):
                self.assertFalse(strict.accepts(ticket._replace(**differs)))

    def test_first_active_rule_of_the_tickets_company_wins(self):
        rules = PolicyRules(
            [
                rule(1, priority="3"),
                replace(rule(2), active=False),
                rule(3),
                rule(4, company_id=2, priority="3"),
            ]
        )
        tickets = {
            "urgent": (1, TicketFacts(priority="3")),
            "normal": (1, TicketFacts(priority="1")),
            "elsewhere": (2, TicketFacts(priority="1")),
        }
        matched = rules.first_matches(tickets, lambda _rule, hits: hits)
        self.assertEqual(
            {ticket: matched_rule.id for ticket, matched_rule in matched.items()}, {"urgent": 1, "normal": 3}
        )
        self.assertEqual(set(rules.by_id), {1, 2, 3, 4}, "archived policies stay known by id")

    def test_domain_filters_what_the_other_conditions_accepted(self):
        rules = PolicyRules([rule(1, domain="[('name', 'ilike', 'outage')]"), rule(2)])
        asked = []

        def outages_only(matched_rule, hits):
            asked.append((matched_rule.id, sorted(hits)))
            return [hit for hit in hits if "outage" in hit]

        matched = rules.first_matches({"outage 1": (1, TicketFacts()), "question": (1, TicketFacts())}, outages_only)
        self.assertEqual({ticket: r.id for ticket, r in matched.items()}, {"outage 1": 1, "question": 2})
        self.assertEqual(asked, [(1, ["outage 1", "question"])])


@tagged("post_install", "-at_install")
class TestSlaPolicyChanges(SlaCase, TransactionCase):
    """What a manager changes on the policies applies to the next ticket, without a restart."""

    def new_ticket(self, **vals):
        with freeze_time(at(0, 10)):
            return self.create_ticket(**vals)

    def test_a_team_taken_off_a_policy_no_longer_gets_it(self):
        self.assertEqual(self.new_ticket().cc_sla_policy_id, self.standard)
        other_team = self.env["helpdesk.ticket.team"].create({"name": "Other Team"})
        self.standard.team_ids = other_team

        ticket = self.new_ticket()
        self.assertFalse(ticket.cc_sla_policy_id)
        self.assertFalse(ticket.cc_sla_timer_ids)
        self.assertEqual(self.new_ticket(team_id=other_team.id).cc_sla_policy_id, self.standard)

    def test_a_changed_target_counts_for_the_next_ticket(self):
        first = self.new_ticket()
        self.standard.target_ids.filtered(lambda target: target.kind == "first_response").minutes = 90

        second = self.new_ticket()
        self.assertEqual(self.timer(second, "first_response").deadline, at(0, 11, 30))
        self.assertEqual(self.timer(first, "first_response").deadline, at(0, 11), "running timers keep their target")

    def test_archived_policy_stops_matching_until_restored(self):
        self.standard.action_archive()
        self.assertFalse(self.new_ticket().cc_sla_timer_ids)

        self.standard.action_unarchive()
        self.assertEqual(self.new_ticket().cc_sla_policy_id, self.standard)

    def test_new_policy_ahead_of_the_others_takes_the_next_ticket(self):
        self.assertEqual(self.new_ticket().cc_sla_policy_id, self.standard)
        vip = self.env["cc.sla.policy"].create(
            {
                "name": "VIP",
                "sequence": 1,
                "calendar_id": self.calendar.id,
                "target_ids": [Command.create({"kind": "first_response", "minutes": 15})],
            }
        )
        ticket = self.new_ticket()
        self.assertEqual(ticket.cc_sla_policy_id, vip)
        self.assertEqual(self.timer(ticket, "first_response").deadline, at(0, 10, 15))

    def test_new_pausing_stage_pauses_a_ticket_moved_there(self):
        ticket = self.new_ticket()
        self.standard.pause_stage_ids |= self.stage_in_progress
        with freeze_time(at(0, 10, 30)):
            ticket.stage_id = self.stage_in_progress
        self.assertEqual(self.timer(ticket, "resolution").state, "paused")

    def test_deleted_tag_leaves_a_policy_for_any_tags(self):
        tag = self.env["helpdesk.ticket.tag"].create({"name": "Printers"})
        self.standard.tag_ids = tag
        self.assertFalse(self.new_ticket().cc_sla_policy_id)
        self.assertEqual(self.new_ticket(tag_ids=[Command.set(tag.ids)]).cc_sla_policy_id, self.standard)

        tag.unlink()
        self.assertEqual(self.new_ticket().cc_sla_policy_id, self.standard)

    def test_channel_customer_tag_and_domain_conditions(self):
        gold = self.env["res.partner.category"].create({"name": "Gold"})
        sms = self.env["cc.channel.type"].search([("code", "=", "sms")])
        channel = self.sms_channel()
        gold_sms = self.env["cc.sla.policy"].create(
            {
                "name": "Gold customers by SMS, outages",
                "sequence": 1,
                "calendar_id": self.calendar.id,
                "channel_types": [Command.set(sms.ids)],
                "partner_category_ids": [Command.set(gold.ids)],
                "domain": "[('name', 'ilike', 'outage')]",
                "target_ids": [Command.create({"kind": "first_response", "minutes": 10})],
            }
        )
        self.customer.category_id = gold
        self.assertEqual(self.new_ticket(name="Outage", cc_channel_id=channel.id).cc_sla_policy_id, gold_sms)
        self.assertEqual(self.new_ticket(name="Question", cc_channel_id=channel.id).cc_sla_policy_id, self.standard)
        self.assertEqual(self.new_ticket(name="Outage").cc_sla_policy_id, self.standard, "no channel")
        self.customer.category_id = False
        self.assertEqual(self.new_ticket(name="Outage", cc_channel_id=channel.id).cc_sla_policy_id, self.standard)

    def test_timers_move_with_their_ticket_to_another_company(self):
        other = self.env["res.company"].create({"name": "Other Support Co"})
        foreign = self.env["cc.sla.policy"].create(
            {
                "name": "Other company's policy",
                "company_id": other.id,
                "calendar_id": self.calendar.id,
                "target_ids": [Command.create({"kind": "resolution", "minutes": 600})],
            }
        )
        ticket = self.new_ticket()
        self.assertEqual(ticket.cc_sla_timer_ids.company_id, self.env.company)
        with freeze_time(at(0, 10, 30)):
            ticket.cc_sla_agent_responded()
            ticket.write({"company_id": other.id, "team_id": False})

        self.assertEqual(ticket.cc_sla_policy_id, foreign)
        self.assertEqual(ticket.cc_sla_timer_ids.mapped("kind"), ["first_response", "resolution"])
        self.assertEqual(self.timer(ticket, "resolution").target_minutes, 600)
        self.assertEqual(ticket.cc_sla_timer_ids.company_id, other, "the answered first response moves too")
        outsider = new_test_user(
            self.env, "sla_other_agent", groups="cc_omnichannel.group_cc_agent", company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )  # fmt: skip
        self.assertEqual(
            self.env["cc.sla.timer"].with_user(outsider).search([("ticket_id", "=", ticket.id)]),
            ticket.cc_sla_timer_ids,
        )
