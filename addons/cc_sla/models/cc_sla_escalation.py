import hashlib
import hmac
import json
import logging

import requests

from odoo import api, fields, models

from .cc_sla_target import TARGET_KINDS

_logger = logging.getLogger(__name__)

TRIGGERS = [
    ("at_risk", "At risk"),
    ("breached", "On breach"),
    ("after_breach", "Minutes after breach"),
]


class CcSlaEscalation(models.Model):
    """One rung of a policy's escalation ladder: when it fires, and what it does."""

    _name = "cc.sla.escalation"
    _description = "SLA Escalation Rule"
    _order = "policy_id, level, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    policy_id = fields.Many2one("cc.sla.policy", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    level = fields.Integer(default=1, required=True)
    trigger = fields.Selection(TRIGGERS, required=True, default="at_risk")
    delay_minutes = fields.Integer(string="Minutes After Breach", default=0)
    target_kind = fields.Selection(TARGET_KINDS, help="Empty: timers of every kind.")

    notify_user_ids = fields.Many2many("res.users", string="Notify Users", domain=[("share", "=", False)])
    notify_group_id = fields.Many2one("res.groups", string="Notify Group")
    schedule_activity = fields.Boolean(help="Also give each notified user a to-do on the ticket.")
    reassign_team_id = fields.Many2one("helpdesk.ticket.team", string="Reassign to Team")
    reassign_user_id = fields.Many2one("res.users", string="Reassign to User", domain=[("share", "=", False)])
    raise_priority = fields.Boolean()
    follower_ids = fields.Many2many("res.partner", string="Add Followers")
    note = fields.Text(string="Post Note")
    webhook_url = fields.Char(string="Call Webhook", help="POSTs the escalation as JSON, signed in X-CC-Signature.")
    webhook_secret = fields.Char(groups="cc_omnichannel.group_cc_manager")

    _delay_positive = models.Constraint("CHECK(delay_minutes >= 0)", "The delay cannot be negative.")

    # --- the job ---------------------------------------------------------------------------------

    @api.model
    def fire_due(self, now=None):
        """Fire every escalation due now, once per timer and rule: one query finds them all, and claiming the
        log row first (ON CONFLICT DO NOTHING) makes a second worker skip what the first one fires."""
        now = now or fields.Datetime.now()
        self.env["cc.sla.timer"].flush_model(["state", "deadline", "kind", "policy_id", "ticket_id", "company_id"])
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT timer.id, rule.id
              FROM cc_sla_timer timer
              JOIN cc_sla_escalation rule ON rule.policy_id = timer.policy_id AND rule.active
             WHERE timer.state IN ('at_risk', 'breached')
               AND (rule.target_kind IS NULL OR rule.target_kind = timer.kind)
               AND (rule.trigger = 'at_risk'
                    OR (rule.trigger = 'breached' AND timer.state = 'breached')
                    OR (rule.trigger = 'after_breach' AND timer.state = 'breached'
                        AND timer.deadline + rule.delay_minutes * interval '1 minute' <= %(now)s))
               AND NOT EXISTS (SELECT 1 FROM cc_sla_escalation_log log
                                WHERE log.timer_id = timer.id AND log.rule_id = rule.id)
             ORDER BY rule.level, timer.id
            """,
            {"now": now},
        )
        pairs = self.env.cr.fetchall()
        if not pairs:
            return 0
        claimed = self.env["cc.sla.escalation.log"].claim(pairs, now)
        for log in claimed:
            log.rule_id._fire(log)
        return len(claimed)

    def _fire(self, log):
        """Do what this rule says on the log's ticket, and write down what was done."""
        self.ensure_one()
        ticket = log.ticket_id
        done = []
        recipients = self.notify_user_ids | self.notify_group_id.all_user_ids
        if recipients:
            done.append(self._notify(ticket, log, recipients))
        if self.reassign_team_id or self.reassign_user_id:
            done.append(self._reassign(ticket))
        if self.raise_priority and ticket.priority < "3":
            ticket.priority = str(int(ticket.priority) + 1)
            done.append(self.env._("priority raised"))
        if self.follower_ids:
            ticket.message_subscribe(partner_ids=self.follower_ids.ids)
            done.append(self.env._("followers added: %s", ", ".join(self.follower_ids.mapped("name"))))
        if self.note:
            ticket.message_post(body=self.note, message_type="comment", subtype_xmlid="mail.mt_note")
            done.append(self.env._("note posted"))
        if self.webhook_url:
            done.append(self._call_webhook(ticket, log))
        log.summary = "; ".join(done) or self.env._("nothing to do")
        ticket.message_post(
            body=self.env._(
                "SLA escalation level %(level)s (%(rule)s) on %(timer)s: %(summary)s",
                level=self.level,
                rule=self.name,
                timer=log.timer_id.display_name,
                summary=log.summary,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _notify(self, ticket, log, users):
        ticket.message_post(
            body=self.env._(
                "SLA %(state)s: %(timer)s is due %(deadline)s.",
                state=log.timer_id.state,
                timer=log.timer_id.display_name,
                deadline=log.timer_id.deadline,
            ),
            partner_ids=users.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        if self.schedule_activity:
            for user in users:
                ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("SLA escalation: %s", self.name),
                )
        return self.env._("notified %s", ", ".join(users.mapped("name")))

    def _reassign(self, ticket):
        vals = {}
        if self.reassign_team_id:
            vals["team_id"] = self.reassign_team_id.id
        if self.reassign_user_id:
            vals["user_id"] = self.reassign_user_id.id
        ticket.write(vals)
        return self.env._("reassigned to %s", (self.reassign_user_id or self.reassign_team_id).display_name)

    def _call_webhook(self, ticket, log):
        body = json.dumps(
            {
                "ticket": {"id": ticket.id, "number": ticket.number, "name": ticket.name},
                "timer": {
                    "kind": log.timer_id.kind,
                    "state": log.timer_id.state,
                    "deadline": fields.Datetime.to_string(log.timer_id.deadline),
                },
                "escalation": {"name": self.name, "level": self.level, "trigger": self.trigger},
            }
        ).encode()
        secret = self.sudo().webhook_secret or ""  # sudo: the secret is readable by managers only
        signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        try:
            response = requests.post(
                self.webhook_url,
                data=body,
                timeout=10,
                headers={"Content-Type": "application/json", "X-CC-Signature": signature},
            )
        except requests.RequestException as error:
            _logger.warning("Escalation webhook %s failed: %s", self.webhook_url, error)
            return self.env._("webhook failed: %s", type(error).__name__)
        return self.env._("webhook answered %s", response.status_code)
