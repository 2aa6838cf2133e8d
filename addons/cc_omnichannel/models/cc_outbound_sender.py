import logging

from odoo import api, fields, models
from odoo.tools import html2plaintext

from ..tools import outbound

_logger = logging.getLogger(__name__)


class CcOutboundSender(models.AbstractModel):
    """Agents' replies, sent back through the channel the customer used, and logged as interactions."""

    _name = "cc.outbound.sender"
    _description = "Contact Center Outbound Replies"

    @api.model
    def send_ticket_reply(self, ticket, message):
        """Send an agent's public reply on `ticket` to the customer's latest replyable contact, if any."""
        inbound = ticket.sudo()._cc_reply_interaction()  # sudo: the agent may answer contacts of other teams
        if not inbound:
            return self.env["cc.interaction"]
        return self.send_text(
            inbound.channel_id,
            inbound.address,
            html2plaintext(message.body or ""),
            {
                "partner_id": inbound.partner_id.id,
                "ticket_id": ticket.id,
                "team_id": ticket.team_id.id,
                "user_id": self.env.user.id,
                "message_id": message.id,
            },
        )

    @api.model
    def send_text(self, channel, address, text, interaction_vals):
        """Send `text` to `address` through `channel`; the outbound interaction records the outcome."""
        interaction = (
            self.env["cc.interaction"]
            .sudo()
            .create(
                {  # sudo: agents create, never edit, outbound logs
                    "channel_id": channel.id,
                    "direction": "outbound",
                    "address": address,
                    "body": text,
                    "state": "in_progress",
                    **interaction_vals,
                }
            )
        )
        try:
            external_id = outbound.send(self._config(channel), address, text)
        except outbound.OutboundError as error:
            self._record_failure(interaction, str(error))
            return interaction
        now = fields.Datetime.now()
        interaction.write(
            {
                "external_id": external_id,
                "delivery_status": "sent",
                "state": "done",
                "answered_at": now,
                "ended_at": now,
            }
        )
        if interaction.ticket_id.cc_reply_error:
            interaction.ticket_id.sudo().cc_reply_error = False
        return interaction

    def _config(self, channel):
        channel = channel.sudo()  # sudo: provider credentials are readable by managers only, used on their behalf
        return outbound.OutboundConfig(
            provider=channel.provider,
            channel_type=channel.channel_type,
            api_base_url=channel.effective_api_base_url(),
            api_account=channel.api_account or "",
            api_token=channel.api_token or "",
            sender_id=channel.sender_id or "",
            status_callback_url=channel.webhook_url if channel.provider == "twilio" else "",
        )

    def _record_failure(self, interaction, error):
        _logger.info("Reply %s through %s not delivered: %s", interaction.id, interaction.channel_id.name, error)
        interaction.write({"state": "failed", "delivery_status": "failed", "error": error})
        ticket = interaction.ticket_id.sudo()
        if ticket:
            ticket.cc_reply_error = error
            ticket.with_context(cc_inbound=True).message_post(
                body=self.env._(
                    "This reply was not delivered through %(channel)s: %(error)s",
                    channel=interaction.channel_id.name,
                    error=error,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
