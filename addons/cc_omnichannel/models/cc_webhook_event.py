import json

from odoo import fields, models
from odoo.exceptions import ConcurrencyError

from odoo.addons.queue_job.exception import RetryableJobError

EVENT_STATES = [
    ("received", "Received"),
    ("processed", "Processed"),
    ("failed", "Failed"),
    ("rejected", "Rejected"),
]


class CcWebhookEvent(models.Model):
    """An inbound provider request exactly as it arrived, stored before it is processed.

    A failure while processing leaves it `failed` with the error, for a supervisor to read and replay;
    a request that fails its signature check or cannot be parsed is kept as `rejected`.
    """

    _name = "cc.webhook.event"
    _description = "Contact Center Inbound Payload"
    _order = "received_at desc, id desc"

    channel_id = fields.Many2one("cc.channel", index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True, precompute=True)
    provider = fields.Char(readonly=True)
    state = fields.Selection(EVENT_STATES, required=True, default="received", index=True, readonly=True)
    error = fields.Text(readonly=True)
    received_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True, readonly=True)
    processed_at = fields.Datetime(readonly=True)
    attempts = fields.Integer(default=0, readonly=True)
    http_method = fields.Char(readonly=True)
    url = fields.Char(string="URL", readonly=True, help="The URL the provider called, as it signed it.")
    content_type = fields.Char(readonly=True)
    headers = fields.Text(readonly=True, help="The request headers that matter (JSON).")
    body = fields.Text(readonly=True, help="The raw request body.")
    interaction_ids = fields.One2many("cc.interaction", "webhook_event_id", readonly=True)

    def headers_dict(self):
        self.ensure_one()
        return json.loads(self.headers or "{}")

    def _process_queued(self):
        """The queue job of a stored payload (configured in data/queue_job_data.xml)."""
        try:
            return self.env["cc.inbound.processor"].process_event(self)
        except ConcurrencyError as error:
            # Another job wrote the same rows; the retry sees what that one committed.
            raise RetryableJobError(str(error)) from error

    def _process_queued_failed(self, exc_name=None, exc_message=None, **_details):
        """queue_job gave up (retries exhausted, or the job itself broke): say so where supervisors look."""
        self.write({"state": "failed", "error": f"{exc_name}: {exc_message}"})

    def action_replay(self):
        """Process the stored payloads again (failed ones, typically); each records its new outcome."""
        # sudo: processing creates customers, tickets and leads on the provider's behalf, as the webhook does;
        # who may replay is decided by the ACL on this model (supervisors).
        processor = self.env["cc.inbound.processor"].sudo()
        for event in self.filtered(lambda e: e.state in ("failed", "received")):
            processor.process_event(event.sudo())
        return True
