import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

SURVEY_KINDS = [("csat", "CSAT (1-5)"), ("nps", "NPS (0-10)")]
SCALES = {"csat": range(1, 6), "nps": range(11)}
LOW_SCORES = {"csat": 2, "nps": 6}
VALIDITY_DAYS = 14


class CcSurvey(models.Model):
    """A satisfaction question sent when a ticket is solved, answered once on a public page."""

    _name = "cc.survey"
    _description = "Customer Survey"
    _order = "sent_at desc, id desc"
    _rec_name = "ticket_id"

    kind = fields.Selection(SURVEY_KINDS, required=True, default="csat")
    partner_id = fields.Many2one("res.partner", string="Customer", index=True)
    ticket_id = fields.Many2one("helpdesk.ticket", index=True, ondelete="cascade")
    # The ticket's team and agent, stored: the KPIs group surveys by them without a join per survey.
    team_id = fields.Many2one(related="ticket_id.team_id", store=True, string="Team")
    user_id = fields.Many2one(related="ticket_id.user_id", store=True, string="Agent")
    interaction_id = fields.Many2one("cc.interaction", help="The contact whose channel the survey went through.")
    channel_type = fields.Char(help="The channel the survey was sent through (email when no messaging channel).")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    token = fields.Char(
        required=True, copy=False, default=lambda self: secrets.token_urlsafe(24), groups="base.group_system"
    )
    state = fields.Selection(
        [("queued", "To Send"), ("sent", "Sent"), ("answered", "Answered"), ("expired", "Expired")],
        required=True,
        default="queued",
        index=True,
    )
    score = fields.Integer(aggregator="avg")
    comment = fields.Text()
    sent_at = fields.Datetime()
    answered_at = fields.Datetime(index=True)
    expires_at = fields.Datetime(
        required=True, default=lambda self: fields.Datetime.now() + timedelta(days=VALIDITY_DAYS)
    )
    url = fields.Char(compute="_compute_url", groups="base.group_system")

    _token_unique = models.Constraint("UNIQUE(token)", "A survey token must be unique.")
    _timeline_idx = models.Index(  # a customer's timeline (cc.timeline.item)
        "(partner_id, date_trunc('second', answered_at), id) WHERE state = 'answered' AND partner_id IS NOT NULL"
    )

    @api.depends("token")
    def _compute_url(self):
        for survey in self:
            survey.url = f"{survey.get_base_url()}/cc/survey/{survey.token}"

    # --- sending ------------------------------------------------------------------------------------

    @api.model
    def queue_for_tickets(self, tickets):
        """Solved tickets get their survey queued; the scheduled job sends it through the customer's channel."""
        kinds = ("csat", "nps") if self.env.company.cc_survey_nps else ("csat",)
        already = set(self.search([("ticket_id", "in", tickets.ids)]).mapped("ticket_id").ids)
        vals = []
        for ticket in tickets.filtered(lambda t: t.partner_id and t.id not in already):
            contact = ticket._cc_reply_interaction()
            vals += [
                {
                    "kind": kind,
                    "ticket_id": ticket.id,
                    "partner_id": ticket.partner_id.id,
                    "interaction_id": contact.id,
                    "company_id": ticket.company_id.id,
                    "channel_type": contact.channel_type or "email",
                }
                for kind in kinds
            ]
        return self.create(vals)

    @api.model
    def _cron_send(self, limit=200):
        """Send queued surveys (several workers may run this: each one locks the rows it sends)."""
        self.flush_model()
        self.env.cr.execute(
            "SELECT id FROM cc_survey WHERE state = 'queued' ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED", (limit,)
        )
        for survey in self.browse(row[0] for row in self.env.cr.fetchall()):
            survey._send()
        self._expire()

    def _send(self):
        self.ensure_one()
        text = self._invitation_text()
        if self.interaction_id:
            self.env["cc.outbound.sender"].send_text(
                self.interaction_id.channel_id,
                self.interaction_id.address,
                text,
                {
                    "partner_id": self.partner_id.id,
                    "ticket_id": self.ticket_id.id,
                    "team_id": self.ticket_id.team_id.id,
                },
            )
        else:
            self.ticket_id.message_post(
                body=text, partner_ids=self.partner_id.ids, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.write({"state": "sent", "sent_at": fields.Datetime.now()})

    def _invitation_text(self):
        question = {
            "csat": self.env._("How satisfied are you with how we handled %(ticket)s? Tell us (1-5): %(url)s"),
            "nps": self.env._("How likely are you to recommend us to a friend (0-10)? %(url)s"),
        }[self.kind]
        return question % {"ticket": self.ticket_id.number, "url": self.sudo().url}

    @api.model
    def _expire(self):
        self.search([("state", "in", ("queued", "sent")), ("expires_at", "<", fields.Datetime.now())]).write(
            {"state": "expired"}
        )

    # --- answering ----------------------------------------------------------------------------------

    def answer(self, score, comment=""):
        """Record the customer's one answer; a low score gives the team leader a follow-up to-do."""
        self.ensure_one()
        if score not in SCALES[self.kind]:
            raise ValidationError(
                self.env._(
                    "The score must be between %(low)s and %(high)s.",
                    low=SCALES[self.kind][0],
                    high=SCALES[self.kind][-1],
                )
            )
        self.write(
            {
                "state": "answered",
                "score": score,
                "comment": (comment or "").strip()[:2000],
                "answered_at": fields.Datetime.now(),
            }
        )
        ticket = self.ticket_id
        if ticket:
            ticket.message_post(
                body=self.env._(
                    "The customer answered the %(kind)s survey: %(score)s. %(comment)s",
                    kind=self.kind.upper(),
                    score=score,
                    comment=self.comment or "",
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            if score <= LOW_SCORES[self.kind]:
                leader = ticket.team_id.user_id or ticket.user_id
                ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=leader.id or self.env.uid,
                    summary=self.env._("Low satisfaction score: call the customer back"),
                )
        if score >= SCALES[self.kind][-1] - 1:
            self.env["cc.upsell.rule"].evaluate("rating", self.partner_id, self.company_id, ticket=ticket)
