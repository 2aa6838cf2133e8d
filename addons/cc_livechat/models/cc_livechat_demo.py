from odoo import Command, api, models

CHATS = [
    # visitor's name, what they write, whether the agent answers, whether the chat is over
    ("Visitor 4410", "Hi! Does the fiber offer include the installation?", True, True),
    ("Visitor 4411", "My package tracking says delivered but I got nothing", True, False),
    ("Visitor 4412", "Hello? Is anyone there?", False, True),
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
        for visitor_name, text, answered, ended in CHATS:
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
            if answered:
                chat.with_user(agent).message_post(
                    body="Hello, I am on it.", message_type="comment", subtype_xmlid="mail.mt_comment"
                )
            if ended:
                chat._close_livechat_session()
