from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.queue_job.tests.common import JobMixin


@tagged("post_install", "-at_install")
class TestLivechatBridge(JobMixin, HttpCase):
    """A visitor chats on the website through Odoo Live Chat's own routes; an operator answers in Discuss."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_test_user(
            cls.env,
            "cc_chat_operator",
            groups="cc_omnichannel.group_cc_agent,im_livechat.im_livechat_group_user",
            name="Olivia Operator",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Chat Desk", "user_ids": [(6, 0, cls.operator.ids)], "cc_routing": "manual"}
        )
        cls.livechat = cls.env["im_livechat.channel"].create(
            {"name": "Website", "user_ids": [(6, 0, cls.operator.ids)]}
        )
        cls.chat_channel = cls.env["cc.channel"].create(
            {
                "name": "Website Chat",
                "channel_type": "livechat",
                "provider": "odoo_livechat",
                "team_id": cls.team.id,
                "livechat_channel_id": cls.livechat.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.env["mail.presence"]._update_presence(self.operator)  # an operator online, so chats can start
        self.authenticate(None, None)  # the visitor: not logged in, a guest of the website

    def start_chat(self, livechat=None):
        data = self.make_jsonrpc_request("/im_livechat/get_session", {"channel_id": (livechat or self.livechat).id})
        return self.env["discuss.channel"].browse(data["channel_id"])

    def visitor_says(self, chat, text):
        jobs = self.job_counter()
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "discuss.channel",
                "thread_id": chat.id,
                "post_data": {"body": text, "message_type": "comment", "subtype_xmlid": "mail.mt_comment"},
            },
        )
        self.perform_jobs(jobs)

    def contacts(self):
        return self.env["cc.interaction"].search([("channel_id", "=", self.chat_channel.id)], order="id")

    def test_chat_becomes_a_ticket_answered_then_ended(self):
        chat = self.start_chat()
        self.visitor_says(chat, "My parcel is late")
        self.visitor_says(chat, "Order 1042")

        contact = self.contacts()
        self.assertEqual(len(contact), 1, "one contact per chat, however many messages")
        self.assertEqual((contact.direction, contact.channel_type), ("inbound", "livechat"))
        self.assertEqual(contact.body, "My parcel is late")
        self.assertEqual(contact.ticket_id.name, "My parcel is late")
        self.assertEqual(contact.ticket_id.team_id, self.team)
        self.assertTrue(contact.partner_id, "the guest became a customer")
        self.assertEqual(len(self.env["cc.webhook.event"].search([("channel_id", "=", self.chat_channel.id)])), 1)

        chat.with_user(self.operator).message_post(body="Hello, let me check.", message_type="comment")

        self.assertEqual(contact.state, "in_progress")
        self.assertEqual(contact.user_id, self.operator)
        self.assertTrue(contact.answered_at)
        answer = self.contacts() - contact
        self.assertEqual((answer.direction, answer.body), ("outbound", "Hello, let me check."))
        self.assertEqual(answer.ticket_id, contact.ticket_id)

        self.make_jsonrpc_request("/im_livechat/visitor_leave_session", {"channel_id": chat.id})

        self.assertEqual(contact.state, "done")
        self.assertEqual(contact.ended_at, chat.livechat_end_dt)

    def test_visitor_leaving_before_an_answer_is_an_abandoned_contact(self):
        chat = self.start_chat()
        self.visitor_says(chat, "Anyone there?")

        self.make_jsonrpc_request("/im_livechat/visitor_leave_session", {"channel_id": chat.id})

        contact = self.contacts()
        self.assertEqual(contact.state, "missed")
        self.assertFalse(contact.answered_at)
        self.assertEqual(contact.ended_at, chat.livechat_end_dt)

    def test_chats_of_a_live_chat_channel_no_contact_center_channel_logs_are_ignored(self):
        other = self.env["im_livechat.channel"].create({"name": "Intranet", "user_ids": [(6, 0, self.operator.ids)]})
        chat = self.start_chat(other)
        self.visitor_says(chat, "Where is the coffee machine?")

        self.assertFalse(self.env["cc.webhook.event"].search([("body", "like", "coffee machine")]))
