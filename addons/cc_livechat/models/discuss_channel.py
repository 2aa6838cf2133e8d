from odoo import fields, models
from odoo.tools import html2plaintext


class DiscussChannel(models.Model):
    """A live chat conversation is one contact: the visitor's first message, the agent's answer, its end.

    The visitor's first message takes the webhooks' pipeline (stored, then processed by a queue job: customer,
    ticket or lead, routing, upsell rules); the answer and the end update what that pipeline made.
    Runs for visitors and guests, who may not read contact-center records: hence the sudo() below.
    """

    _inherit = "discuss.channel"

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if self.channel_type == "livechat" and message.message_type == "comment":
            self._cc_log_chat_message(message)
        return result

    def _close_livechat_session(self, **kwargs):
        was_open = self.channel_type == "livechat" and not self.livechat_end_dt
        result = super()._close_livechat_session(**kwargs)
        if was_open and self.livechat_end_dt:
            self._cc_log_chat_end()
        return result

    # --- what the contact center records ----------------------------------------------------------------

    def _cc_channel(self):
        # sudo: visitors post too; which contact-center channel logs this chat is configuration, not their data.
        return (
            self.env["cc.channel"]
            .sudo()
            .search([("provider", "=", "odoo_livechat"), ("livechat_channel_id", "=", self.livechat_channel_id.id)])
        )

    def _cc_external_id(self):
        return f"livechat-{self.id}"

    def _cc_interaction(self, cc_channel):
        return (
            self.env["cc.interaction"]
            .sudo()
            .search([("channel_id", "=", cc_channel.id), ("external_id", "=", self._cc_external_id())], limit=1)
        )

    def _cc_log_chat_message(self, message):
        """Only the first message of each side matters: the visitor's opens the contact, the agent's answers it."""
        # sudo: the member history says who wrote (visitor or agent) and how many messages they wrote.
        author = self.sudo().livechat_channel_member_history_ids.filtered(
            lambda history: (
                history.partner_id == message.author_id
                if message.author_id
                else history.guest_id == message.author_guest_id
            )
        )[:1]
        if author.message_count != 1:
            return
        cc_channel = self.livechat_channel_id and self._cc_channel()
        if not cc_channel:
            return
        if author.livechat_member_type == "visitor":
            processor = self.env["cc.inbound.processor"].sudo()
            processor.receive_internal(cc_channel, self._cc_visitor_document(message))
        elif author.livechat_member_type == "agent":
            self._cc_log_first_answer(cc_channel, message)

    def _cc_visitor_document(self, message):
        """The visitor's first message as an event of the generic webhook format."""
        partner, guest = message.author_id, message.author_guest_id
        if partner.email:
            sender = {"email": partner.email, "name": partner.name}
        elif partner:
            sender = {"other": f"odoo-partner:{partner.id}", "name": partner.name}
        else:
            sender = {"other": f"odoo-guest:{guest.id}", "name": guest.name}
        return {
            "id": self._cc_external_id(),
            "type": "message",
            "from": sender,
            "body": html2plaintext(message.body or ""),
            "timestamp": f"{message.date.isoformat()}Z",
        }

    def _cc_log_first_answer(self, cc_channel, message):
        """The agent answered: the chat is answered, and the answer is an outbound contact (an SLA first response)."""
        contact = self._cc_interaction(cc_channel)
        if not contact or contact.answered_at:
            return  # the visitor's message is still in the queue, or was answered already
        now = fields.Datetime.now()
        agent = message.author_id.user_ids[:1]
        contact.write(
            {
                "state": "in_progress",
                "answered_at": now,
                "wait_seconds": int((now - contact.received_at).total_seconds()),
                "user_id": agent.id or contact.user_id.id,
            }
        )
        self.env["cc.interaction"].sudo().create(
            {
                "channel_id": cc_channel.id,
                "direction": "outbound",
                "external_id": f"{self._cc_external_id()}-answer",
                "partner_id": contact.partner_id.id,
                "body": html2plaintext(message.body or ""),
                "state": "done",
                "received_at": now,
                "answered_at": now,
                "ended_at": now,
                "user_id": agent.id,
                "team_id": contact.team_id.id,
                "ticket_id": contact.ticket_id.id,
                "lead_id": contact.lead_id.id,
            }
        )

    def _cc_log_chat_end(self):
        cc_channel = self.livechat_channel_id and self._cc_channel()
        contact = cc_channel and self._cc_interaction(cc_channel)
        if not contact or contact.state in ("done", "missed"):
            return
        ended = self.livechat_end_dt
        if contact.answered_at:
            vals = {"state": "done", "talk_seconds": int((ended - contact.answered_at).total_seconds())}
        else:  # the visitor left before an agent answered: an abandoned contact
            vals = {"state": "missed", "wait_seconds": int((ended - contact.received_at).total_seconds())}
        contact.write({**vals, "ended_at": ended})
