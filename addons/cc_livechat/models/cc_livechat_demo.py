from datetime import timedelta

from odoo import Command, api, fields, models

CHATS = [
    # visitor's name, what they write, minutes ago the chat started, seconds until the agent answers (None: nobody
    # does), seconds until the chat ends (None: it goes on)
    ("Visitor 4410", "Hi! Does the fiber offer include the installation?", 95, 35, 455),
    ("Visitor 4411", "My package tracking says delivered but I got nothing", 12, 50, None),
    ("Visitor 4412", "Hello? Is anyone there?", 40, None, 150),
]


class CcLivechatDemo(models.AbstractModel):
    """A few website chats for the demo database, through Live Chat's own models and the inbound pipeline."""

    _name = "cc.livechat.demo"
    _description = "Contact Center Live Chat Demo"

    @api.model
    def generate(self, livechat_channel_id, agent_id):
        livechat_channel = self.env["im_livechat.channel"].browse(livechat_channel_id)
        agent = self.env["res.users"].browse(agent_id)
        livechat_channel.user_ids = [Command.link(agent.id)]
        public_user = self.env.ref("base.public_user")
        for visitor_name, text, started, answered_after, ended_after in CHATS:
            guest = self.env["mail.guest"].create({"name": visitor_name})
            chat = self.env["discuss.channel"].create(
                {
                    "name": f"{visitor_name} {agent.name}",
                    "channel_type": "livechat",
                    "livechat_channel_id": livechat_channel.id,
                    "livechat_operator_id": agent.partner_id.id,
                    "channel_member_ids": [
                        Command.create({"livechat_member_type": "agent", "partner_id": agent.partner_id.id}),
                        Command.create({"livechat_member_type": "visitor", "guest_id": guest.id}),
                    ],
                }
            )
            # As the website's visitor posts (public user, guest); processed now rather than by a queue job.
            chat.with_user(public_user).sudo().with_context(guest=guest, queue_job__no_delay=True).message_post(
                body=text, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            if answered_after is not None:
                chat.with_user(agent).message_post(
                    body="Hello, I am on it.", message_type="comment", subtype_xmlid="mail.mt_comment"
                )
            if ended_after is not None:
                chat._close_livechat_session()
            self._spread_in_time(chat, started, answered_after, ended_after)

    def _spread_in_time(self, chat, started, answered_after, ended_after):
        """Generated in one go, the chat took no time: give its contacts the wait and length of a real one."""
        cc_channel = chat._cc_channel()
        contact = chat._cc_interaction(cc_channel)
        received = fields.Datetime.now() - timedelta(minutes=started)
        vals = {"received_at": received, "queued_at": received}
        if answered_after is not None:
            answered = received + timedelta(seconds=answered_after)
            vals.update(answered_at=answered, wait_seconds=answered_after)
            answer = self.env["cc.interaction"].search([("external_id", "=", f"{chat._cc_external_id()}-answer")])
            answer.write({"received_at": answered, "answered_at": answered, "ended_at": answered})
        if ended_after is not None:
            vals["ended_at"] = received + timedelta(seconds=ended_after)
            if answered_after is None:
                vals["wait_seconds"] = ended_after
            else:
                vals["talk_seconds"] = ended_after - answered_after
        contact.write(vals)
