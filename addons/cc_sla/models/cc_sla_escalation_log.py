from odoo import api, fields, models


class CcSlaEscalationLog(models.Model):
    """An escalation that fired: which rule, on which ticket and timer, when, and what it did."""

    _name = "cc.sla.escalation.log"
    _description = "SLA Escalation Log"
    _order = "fired_at desc, id desc"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, index=True, ondelete="cascade")
    timer_id = fields.Many2one("cc.sla.timer", required=True, ondelete="cascade")
    rule_id = fields.Many2one("cc.sla.escalation", required=True, index=True, ondelete="cascade")
    level = fields.Integer()
    fired_at = fields.Datetime(required=True)
    summary = fields.Text()
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)

    _once_per_timer_and_rule = models.Constraint(
        "UNIQUE(timer_id, rule_id)", "An escalation fires once per timer and rule."
    )

    @api.model
    def claim(self, pairs, now):
        """Insert a log row per (timer id, rule id) not logged yet; return the rows this transaction got."""
        self.flush_model()
        self.env.cr.execute(
            """
            INSERT INTO cc_sla_escalation_log (ticket_id, timer_id, rule_id, level, fired_at, company_id,
                                              create_uid, create_date, write_uid, write_date)
            SELECT timer.ticket_id, timer.id, rule.id, rule.level, %(now)s, timer.company_id,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(timers)s::int[], %(rules)s::int[]) AS pair(timer_id, rule_id)
              JOIN cc_sla_timer timer ON timer.id = pair.timer_id
              JOIN cc_sla_escalation rule ON rule.id = pair.rule_id
                ON CONFLICT (timer_id, rule_id) DO NOTHING
            RETURNING id
            """,
            {
                "uid": self.env.uid,
                "now": now,
                "timers": [pair[0] for pair in pairs],
                "rules": [pair[1] for pair in pairs],
            },
        )
        claimed = self.browse(row[0] for row in self.env.cr.fetchall())
        self.env["helpdesk.ticket"].invalidate_model(["cc_sla_escalation_log_ids"])  # rows inserted behind the ORM
        return claimed.sorted("level")
