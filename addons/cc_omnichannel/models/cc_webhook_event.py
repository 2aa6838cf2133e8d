import json

from odoo import api, fields, models
from odoo.tools import SQL

EVENT_STATES = [
    ("received", "Received"),
    ("processed", "Processed"),
    ("failed", "Failed"),
    ("rejected", "Rejected"),
]

# A payload whose processing hits a write conflict this many times is marked failed, for a supervisor to replay.
MAX_ATTEMPTS = 5


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

    _received_idx = models.Index("(channel_id, id) WHERE state = 'received'")

    def headers_dict(self):
        self.ensure_one()
        return json.loads(self.headers or "{}")

    @api.model
    def _insert_received(self, vals):
        """Store a payload, `received`, with one INSERT: every webhook stores its request, and the ORM's create
        costs more than the rest of the webhook's own work (benchmarks/README.md, ingestion). `vals` gives
        every column but the state, the attempts, the times and their authors; test_webhook_event checks
        that this stores what create() would."""
        now = SQL("(now() AT TIME ZONE 'UTC')")
        columns = {"state": "received", "attempts": 0, "create_uid": self.env.uid, "write_uid": self.env.uid, **vals}
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s, received_at, create_date, write_date) VALUES (%s, %s, %s, %s) RETURNING id",
                SQL.identifier(self._table),
                SQL(", ").join(SQL.identifier(name) for name in columns),
                SQL(", ").join(columns.values()),
                now,
                now,
                now,
            )
        )
        return self.browse(self.env.cr.fetchone()[0])

    @api.model
    def _claim_received(self, channel, limit):
        """The channel's oldest received payloads that no other transaction holds, locked for this one."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE channel_id = %s AND state = 'received' ORDER BY id LIMIT %s"
                " FOR UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                channel.id,
                limit,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _note_conflict(self, error):
        """A write conflict stopped this payload's processing: it stays received for the next job, up to
        MAX_ATTEMPTS times, and is then failed."""
        self.ensure_one()
        vals = {"attempts": self.attempts + 1, "error": f"write conflict ({error}), attempt {self.attempts + 1}"}
        if vals["attempts"] >= MAX_ATTEMPTS:
            vals["state"] = "failed"
        self.write(vals)

    def action_replay(self):
        """Process the stored payloads again (failed ones, typically); each records its new outcome."""
        # sudo: processing creates customers, tickets and leads on the provider's behalf, as the webhook does;
        # who may replay is decided by the ACL on this model (supervisors).
        processor = self.env["cc.inbound.processor"].sudo()
        for event in self.filtered(lambda e: e.state in ("failed", "received")):
            processor.process_event(event.sudo())
        return True
