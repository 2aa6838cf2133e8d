from datetime import datetime

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

from .common import WebhookCase, twilio_sms, whatsapp_text

D1 = datetime(2025, 3, 3)


def at(day, hour, minute=0, second=0):
    """A moment of the story: day 1, 2, 3... of March 2025, UTC."""
    return D1.replace(day=D1.day + day - 1, hour=hour, minute=minute, second=second)


EMAIL = """Return-Path: <carla@acme.example>
To: support@company.example
From: Carla Customer <carla@acme.example>
Subject: Invoice for March is wrong
Message-ID: <march-invoice-1@acme.example>
Date: Tue, 04 Mar 2025 09:00:00 +0000
Content-Type: text/plain; charset="utf-8"

Hello, the fiber line is billed twice on my March invoice.
"""


class TimelineCase(WebhookCase):
    """A customer company, Acme, with two contacts who reached the contact center on five channels.

    Everything arrives the way it does in production (signed webhooks, the mail gateway, the CRM), then
    each source row is moved to a known moment of the story so that "newest first" is unambiguous.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Corp", "is_company": True})
        cls.carla = Partner.create({"name": "Carla Customer", "parent_id": cls.acme.id, "email": "carla@acme.example"})
        cls.colin = Partner.create({"name": "Colin Colleague", "parent_id": cls.acme.id})
        cls.env["cc.identity"].create(
            [
                {"partner_id": cls.carla.id, "kind": "phone", "value": "+32470111222", "company_id": cls.company.id},
                {
                    "partner_id": cls.carla.id,
                    "kind": "email",
                    "value": "carla@acme.example",
                    "company_id": cls.company.id,
                },
                {"partner_id": cls.colin.id, "kind": "phone", "value": "+32470333444", "company_id": cls.company.id},
            ]
        )
        cls.email = cls.env["cc.channel"].create(
            {
                "name": "Support Mailbox",
                "channel_type": "email",
                "provider": "odoo_mail",
                "company_id": cls.company.id,
            }
        )
        cls.Item = cls.env["cc.timeline.item"]

    def setUp(self):
        super().setUp()
        self.story()

    def story(self):
        # Day 1: Carla texts, then follows up on WhatsApp (same ticket), then calls; a deal was opened earlier.
        self.lead = self.env["crm.lead"].create(
            {
                "name": "Fiber 1 Gbit upgrade",
                "type": "opportunity",
                "partner_id": self.carla.id,
                "user_id": False,
                "company_id": self.company.id,
            }
        )
        self.post_twilio(self.sms, twilio_sms("SM100", "+32470111222", "My fiber box blinks red"))
        self.sms_in = self.interactions(self.sms)
        self.ticket = self.sms_in.ticket_id
        self.post_meta(self.whatsapp, whatsapp_text("32470111222", "Carla", "wamid.C1", "Still blinking, photo sent"))
        self.whatsapp_in = self.interactions(self.whatsapp)
        call = {"CallSid": "CA100", "From": "+32470111222", "To": "+3225550000", "Direction": "inbound"}
        for status, extra in (("ringing", {}), ("in-progress", {}), ("completed", {"CallDuration": "95"})):
            self.post_twilio(self.voice, {**call, "CallStatus": status, **extra})
        self.call = self.interactions(self.voice)
        # Day 2: an email through the mail gateway opens a second ticket; Colin writes on the web chat;
        # the first ticket is solved.
        self.env["mail.thread"].message_process("helpdesk.ticket", EMAIL)
        self.email_in = self.interactions(self.email)
        self.mail_ticket = self.email_in.ticket_id
        self.post_generic(
            self.generic,
            {"id": "chat-1", "type": "message", "from": {"phone": "+32470333444"}, "body": "Do you ship routers?"},
        )
        self.chat_in = self.interactions(self.generic)
        self.colin_ticket = self.chat_in.ticket_id
        self.reply = self.mail_ticket.with_user(self.agent).message_post(
            body="We refunded the double charge.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.env.flush_all()
        self.env.cr.precommit.run()  # the chatter tracks the stage change when the transaction commits
        self.stage_change = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "helpdesk.ticket"),
                ("mail_message_id.res_id", "=", self.ticket.id),
                ("field_id.name", "=", "stage_id"),
            ]
        )
        # Day 3: the deal is won.
        self.lead.action_set_won()
        self.assertTrue(self.ticket, "the SMS opened a ticket")
        self.assertEqual(self.whatsapp_in.ticket_id, self.ticket, "the WhatsApp follow-up joined it")
        self.assertTrue(self.call)
        self.assertEqual(self.mail_ticket.partner_id, self.carla, "the email opened a ticket of Carla's")
        self.assertEqual(self.colin_ticket.partner_id, self.colin)
        self.assertEqual(len(self.stage_change), 1)
        self.email_message = self.mail_ticket.message_ids.filtered(lambda m: m.message_type == "email")
        self.move(
            [
                (self.lead, "create_date", at(1, 8)),
                (self.sms_in, "received_at", at(1, 9)),
                (self.ticket, "create_date", at(1, 9, 0, 5)),
                (self.whatsapp_in, "received_at", at(1, 10)),
                (self.call, "received_at", at(1, 11)),
                (self.email_in, "received_at", at(2, 9)),
                (self.email_message, "date", at(2, 9, 0, 1)),
                (self.mail_ticket, "create_date", at(2, 9, 0, 5)),
                (self.chat_in, "received_at", at(2, 12)),
                (self.colin_ticket, "create_date", at(2, 12, 0, 5)),
                (self.stage_change.mail_message_id, "date", at(2, 15)),
                (self.ticket, "closed_date", at(2, 15, 0, 1)),
                (self.reply, "date", at(2, 16)),
                (self.lead, "date_closed", at(3, 10)),
            ]
        )

    def move(self, moves):
        """Set source rows' dates, as if each thing happened at its moment of the story."""
        self.env.flush_all()
        for record, column, moment in moves:
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE id IN %s",
                    SQL.identifier(record._table),
                    SQL.identifier(column),
                    moment,
                    tuple(record.ids),
                )
            )
        self.env.invalidate_all()

    def keys(self, items):
        """What identifies an item: the kind, its channel, the record it opens and its date."""
        return [(i["kind"], i["channel_type"], i["res_model"], i["res_id"], i["date"]) for i in items]

    def page(self, partner, user=None, **kwargs):
        model = self.Item.with_user(user) if user else self.Item
        return model.timeline_page(partner.id, **kwargs)

    def read_all(self, partner, user=None, page_size=3, before=None, **kwargs):
        """Every item, following the cursor page by page, as the web client's infinite scroll does."""
        items = []
        while True:
            page = self.page(partner, user, before=before, limit=page_size, **kwargs)
            items += page["items"]
            if not page["has_more"]:
                return items
            before = [page["items"][-1]["date"], page["items"][-1]["id"]]


@tagged("post_install", "-at_install")
class TestTimeline(TimelineCase):
    maxDiff = None

    def test_customer_timeline_newest_first_across_channels(self):
        page = self.page(self.carla)

        self.assertFalse(page["has_more"])
        ticket, mail_ticket = ("helpdesk.ticket", self.ticket.id), ("helpdesk.ticket", self.mail_ticket.id)
        self.assertEqual(
            self.keys(page["items"]),
            [
                ("lead", False, "crm.lead", self.lead.id, at(3, 10)),
                ("message", False, *mail_ticket, at(2, 16)),
                ("ticket", False, *ticket, at(2, 15, 0, 1)),
                ("ticket", False, *ticket, at(2, 15)),
                ("ticket", "email", *mail_ticket, at(2, 9, 0, 5)),
                ("interaction", "email", "cc.interaction", self.email_in.id, at(2, 9)),
                ("interaction", "voice", "cc.interaction", self.call.id, at(1, 11)),
                ("interaction", "whatsapp", "cc.interaction", self.whatsapp_in.id, at(1, 10)),
                ("ticket", "sms", *ticket, at(1, 9, 0, 5)),
                ("interaction", "sms", "cc.interaction", self.sms_in.id, at(1, 9)),
                ("lead", False, "crm.lead", self.lead.id, at(1, 8)),
            ],
        )
        by_date = {item["date"]: item for item in page["items"]}
        self.assertEqual(
            [by_date[at(3, 10)]["title"], by_date[at(2, 15, 0, 1)]["title"], by_date[at(1, 8)]["title"]],
            ["Won", f"Ticket {self.ticket.number} solved", "Opportunity created"],
        )
        self.assertEqual(by_date[at(2, 15)]["title"], f"Ticket {self.ticket.number}: New → Done")
        self.assertEqual(by_date[at(1, 10)]["summary"], "Still blinking, photo sent")
        self.assertEqual(by_date[at(1, 10)]["title"], "WhatsApp")
        self.assertEqual(by_date[at(1, 9)]["user_id"], (self.ticket.user_id.id, self.ticket.user_id.display_name))
        self.assertEqual({item["direction"] for item in page["items"] if item["kind"] == "interaction"}, {"inbound"})
        self.assertIn("billed twice", by_date[at(2, 9)]["summary"])
        reply = by_date[at(2, 16)]
        self.assertEqual(
            (reply["direction"], reply["user_id"][0], reply["title"], reply["summary"]),
            ("outbound", self.agent.id, self.mail_ticket.number, "We refunded the double charge."),
        )
        self.assertEqual({item["partner_id"][0] for item in page["items"]}, {self.carla.id})
        self.assertEqual(self.carla.cc_timeline_count, 11)

    def test_contacts_in_the_chatter_are_not_shown_twice(self):
        """The WhatsApp follow-up became a chatter message of the ticket, the email is the ticket's first
        message: each shows once, as the contact."""
        self.assertTrue(self.whatsapp_in.message_id)
        self.assertEqual(self.email_message.message_id, self.email_in.external_id)
        messages = [(i["res_id"], i["date"]) for i in self.page(self.carla)["items"] if i["kind"] == "message"]
        self.assertEqual(messages, [(self.mail_ticket.id, at(2, 16))], "only the agent's reply")

    def test_lost_deal_stays_in_the_history(self):
        lost = self.env["crm.lead"].create(
            {"name": "Mobile plan", "type": "opportunity", "partner_id": self.carla.id, "company_id": self.company.id}
        )
        lost.action_set_lost()
        self.assertFalse(lost.active, "Odoo archives a lost deal")
        rep = new_test_user(self.env, "cc_rep", groups="sales_team.group_sale_salesman_all_leads")

        titles = [i["title"] for i in self.page(self.carla, rep, kinds=["lead"])["items"] if i["res_id"] == lost.id]
        self.assertEqual(titles, ["Lost", "Opportunity created"])

    def test_whole_company_shows_the_colleagues(self):
        colin_items = [
            ("ticket", "livechat", "helpdesk.ticket", self.colin_ticket.id, at(2, 12, 0, 5)),
            ("interaction", "livechat", "cc.interaction", self.chat_in.id, at(2, 12)),
        ]
        carla_alone = self.keys(self.page(self.carla)["items"])
        carla_company = self.keys(self.page(self.carla, whole_company=True)["items"])
        acme_company = self.keys(self.page(self.acme, whole_company=True)["items"])

        self.assertEqual(self.keys(self.page(self.colin)["items"]), colin_items)
        self.assertEqual(carla_company, sorted(carla_alone + colin_items, key=lambda key: key[-1], reverse=True))
        self.assertEqual(acme_company, carla_company, "from the company or any of its contacts: the same story")
        self.assertEqual(self.page(self.acme)["items"], [], "nothing was done with the company record itself")
        self.assertEqual(
            self.keys(
                self.Item.search_read([("commercial_partner_id", "=", self.acme.id)], order="date desc, id desc")
            ),
            carla_company,
            "plain search_read on the commercial partner gives the same",
        )

    def test_paging_is_stable_while_new_items_arrive(self):
        full = self.read_all(self.carla, page_size=100)
        first = self.page(self.carla, limit=3)
        self.assertTrue(first["has_more"])
        self.assertEqual(first["items"], full[:3])

        # Meanwhile: Carla texts again (a new ticket, the first one is solved), a late WhatsApp delivery
        # dated day 1 arrives, and an agent books a new deal for her; none of them at a whole second.
        self.post_twilio(self.sms, twilio_sms("SM101", "+32470111222", "Box is red again"))
        self.post_meta(self.whatsapp, whatsapp_text("32470111222", "Carla", "wamid.C0", "late", timestamp="1741000000"))
        new_lead = self.env["crm.lead"].create(
            {"name": "TV bundle", "partner_id": self.carla.id, "company_id": self.company.id}
        )
        self.assertNotEqual(new_lead.create_date.microsecond, 0, "the case the cursor must survive")
        new_ids = {item["id"] for item in self.read_all(self.carla, page_size=100)} - {item["id"] for item in full}
        self.assertEqual(len(new_ids), 3, "the SMS and the WhatsApp (both join the open email ticket), the deal")

        last = first["items"][-1]
        rest = self.read_all(self.carla, before=[last["date"], last["id"]])
        seen = first["items"] + rest
        self.assertEqual(len({item["id"] for item in seen}), len(seen), "no item twice")
        self.assertEqual([item for item in seen if item["id"] not in new_ids], full, "none skipped, same order")
        self.assertEqual(
            [item for item in rest if item["id"] in new_ids and item["date"] >= last["date"]],
            [],
            "newer arrivals wait for a refresh: they never push items across the cursor",
        )

    def test_paging_through_items_of_the_same_second(self):
        """Many items at one moment (a burst of messages, rows created by one transaction): none lost."""
        Interaction = self.env["cc.interaction"]
        burst = Interaction.create(
            [{"channel_id": self.sms.id, "partner_id": self.carla.id, "body": f"part {n}"} for n in range(5)]
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE cc_interaction SET received_at = %s WHERE id IN %s",
            (datetime(2025, 3, 5, 8, 0, 0, 123456), tuple(burst.ids)),
        )
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s", (datetime(2025, 3, 5, 8, 0, 0, 654321), self.lead.id)
        )
        self.env.invalidate_all()

        full = self.read_all(self.carla, page_size=100)
        self.assertEqual(self.read_all(self.carla, page_size=1), full)
        self.assertEqual(self.read_all(self.carla, page_size=2), full)

    def test_paging_across_sources_at_the_same_second(self):
        """Six items of five sources in one second (different microseconds): each source pages on its own,
        the page keeps their order by id, and agrees with searching the view."""
        moment = datetime(2025, 3, 6, 8, 0, 0)
        self.move(
            [
                (self.sms_in, "received_at", moment.replace(microsecond=900000)),
                (self.ticket, "create_date", moment.replace(microsecond=100000)),
                (self.lead, "create_date", moment.replace(microsecond=500000)),
                (self.lead, "date_closed", moment.replace(microsecond=700000)),
                (self.mail_ticket, "closed_date", moment),
                (self.reply, "date", moment.replace(microsecond=300000)),
            ]
        )
        full = self.read_all(self.carla, page_size=100)
        same_second = [item for item in full if item["date"] == moment]
        self.assertEqual(
            {(item["kind"], item["res_id"]) for item in same_second},
            {
                ("interaction", self.sms_in.id),
                ("ticket", self.ticket.id),  # opened
                ("lead", self.lead.id),  # created and won: two items
                ("ticket", self.mail_ticket.id),  # solved
                ("message", self.mail_ticket.id),  # the agent's reply
            },
        )
        self.assertEqual(len(same_second), 6)
        self.assertEqual([item["id"] for item in same_second], sorted((i["id"] for i in same_second), reverse=True))
        for page_size in (1, 2, 3):
            self.assertEqual(self.read_all(self.carla, page_size=page_size), full)
        self.assertEqual(
            [(item["id"], item["date"]) for item in full],
            [
                (item["id"], item["date"])
                for item in self.Item.search_read(
                    [("partner_id", "=", self.carla.id)], ["date"], order="date desc, id desc"
                )
            ],
        )

    def test_the_page_and_the_view_agree_for_each_user(self):
        """timeline_page and search_read build their SQL apart: for a team agent, a sales rep and the
        administrator they show the same items in the same order."""
        rep = new_test_user(self.env, "cc_rep", groups="sales_team.group_sale_salesman")
        for user in (self.agent, rep, self.env.ref("base.user_admin")):
            with self.subTest(user=user.login):
                view = self.Item.with_user(user).search_read(
                    [("commercial_partner_id", "=", self.acme.id)], ["date"], order="date desc, id desc"
                )
                page = self.read_all(self.carla, user, page_size=4, whole_company=True)
                self.assertTrue(page)
                self.assertEqual([(i["id"], i["date"]) for i in page], [(i["id"], i["date"]) for i in view])

    def test_filters_channel_kind_and_search(self):
        def keys(**kwargs):
            return [(i["kind"], i["channel_type"], i["res_id"]) for i in self.read_all(self.carla, **kwargs)]

        self.assertEqual(keys(channel_types=["whatsapp"]), [("interaction", "whatsapp", self.whatsapp_in.id)])
        self.assertEqual(
            keys(channel_types=["sms", "voice"]),
            [
                ("interaction", "voice", self.call.id),
                ("ticket", "sms", self.ticket.id),
                ("interaction", "sms", self.sms_in.id),
            ],
        )
        self.assertEqual(keys(kinds=["lead"]), [("lead", False, self.lead.id)] * 2)
        self.assertEqual(keys(kinds=["ticket"], channel_types=["email"]), [("ticket", "email", self.mail_ticket.id)])
        self.assertEqual(
            keys(search="BLINK"),
            [
                ("ticket", False, self.ticket.id),
                ("ticket", False, self.ticket.id),
                ("interaction", "whatsapp", self.whatsapp_in.id),
                ("ticket", "sms", self.ticket.id),
                ("interaction", "sms", self.sms_in.id),
            ],
            "case-insensitive, in titles and summaries: the SMS ticket is named after its first message",
        )
        self.assertEqual(
            keys(search="Ticket " + self.ticket.number, kinds=["ticket"])[0], ("ticket", False, self.ticket.id)
        )
        self.assertEqual(keys(search="routers"), [], "Colin's chat is not Carla's")
        self.assertEqual(len(keys(search="routers", whole_company=True)), 2)

    def test_company_and_record_rules(self):
        other_company = self.env["res.company"].create({"name": "Other Telecom"})
        foreign_agent = new_test_user(
            self.env,
            "cc_agent_other",
            groups="cc_omnichannel.group_cc_agent,sales_team.group_sale_manager",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        self.assertEqual(self.page(self.carla, foreign_agent, whole_company=True)["items"], [])
        self.assertEqual(self.Item.with_user(foreign_agent).search_count([]), 0)

        # Alice works the Front Line team: its contacts and tickets, but no CRM rights, so no deals.
        alice = self.keys(self.page(self.carla, self.agent)["items"])
        self.assertEqual(alice, [key for key in self.keys(self.page(self.carla)["items"]) if key[0] != "lead"])

        # Carl works the back office: only the contact routed to his team, nothing of Front Line's.
        carl = new_test_user(self.env, "cc_agent_carl", groups="cc_omnichannel.group_cc_agent", name="Carl Agent")
        back_office = self.env["helpdesk.ticket.team"].create({"name": "Back Office", "user_ids": [(6, 0, carl.ids)]})
        routed = self.env["cc.interaction"].create(
            {"channel_id": self.voice.id, "partner_id": self.carla.id, "team_id": back_office.id, "body": "billing"}
        )
        self.assertEqual(
            [(item["res_model"], item["res_id"]) for item in self.page(self.carla, carl, whole_company=True)["items"]],
            [
                ("cc.interaction", routed.id),
                # the email opened a ticket without a team, in the queue every agent sees: Alice's reply,
                ("helpdesk.ticket", self.mail_ticket.id),
                ("helpdesk.ticket", self.mail_ticket.id),  # the ticket opened
                ("cc.interaction", self.email_in.id),  # and the email itself
            ],
        )

        # A salesman sees the deals, not the contact center's contacts.
        rep = new_test_user(self.env, "cc_rep", groups="sales_team.group_sale_salesman_all_leads")
        self.assertEqual(
            {(item["kind"], item["res_id"]) for item in self.page(self.carla, rep)["items"]},
            {("lead", self.lead.id)},
        )

    def test_query_budget(self):
        """One customer's page, filters included, in at most 3 queries once caches are warm."""
        as_agent = self.Item.with_user(self.agent)
        kwargs = {"whole_company": True, "limit": 3, "channel_types": ["sms", "voice", "email"], "search": "e"}
        as_agent.timeline_page(self.carla.id, **kwargs)
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            page = as_agent.timeline_page(self.carla.id, **kwargs)
        self.assertTrue(page["has_more"])
        last = page["items"][-1]
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            page = as_agent.timeline_page(self.carla.id, before=[last["date"], last["id"]], **kwargs)
        self.assertEqual(len(page["items"]), 2)
        self.assertTrue(all(item["user_id"] and item["partner_id"] for item in page["items"]), "names included")


@tagged("post_install", "-at_install")
class TestTimelineUi(HttpCase):
    def test_timeline_tour(self):
        """An agent opens a customer, sees their contacts on several channels, filters and opens one."""
        company = self.env.ref("base.main_company")
        partner = self.env["res.partner"].create({"name": "Tina Timeline", "email": "tina@example.com"})
        Channel = self.env["cc.channel"]
        channels = {
            channel_type: Channel.create(
                {"name": name, "channel_type": channel_type, "provider": provider, "company_id": company.id}
            )
            for channel_type, name, provider in (
                ("sms", "Support SMS", "twilio"),
                ("whatsapp", "Support WhatsApp", "meta"),
                ("voice", "Support Line", "twilio"),
                ("email", "Support Mailbox", "odoo_mail"),
            )
        }
        Interaction = self.env["cc.interaction"]
        # 45 older contacts (more than a page) then the four recent ones the agent looks for.
        Interaction.create(
            [
                {
                    "channel_id": channels["voice"].id,
                    "partner_id": partner.id,
                    "body": f"Older call {n}",
                    "received_at": datetime(2025, 1, 1, 8, n),
                }
                for n in range(45)
            ]
        )
        for day, (channel_type, body) in enumerate(
            (
                ("sms", "Texted about the modem"),
                ("voice", "Called about the bill"),
                ("email", "Mailed the contract"),
                ("whatsapp", "Sent a photo of the box"),
            ),
            start=1,
        ):
            Interaction.create(
                {
                    "channel_id": channels[channel_type].id,
                    "partner_id": partner.id,
                    "body": body,
                    "received_at": datetime(2025, 2, day, 10, 0),
                }
            )
        self.start_tour(f"/odoo/contacts/{partner.id}", "cc_timeline_tour", login="admin")
