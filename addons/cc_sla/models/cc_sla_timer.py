from collections import defaultdict

from odoo import api, fields, models

from .cc_sla_target import TARGET_KINDS

TIMER_STATES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("met_late", "Met Late"),
]
ACTIVE_STATES = ("running", "paused", "at_risk", "breached")
COUNTING_STATES = ("running", "at_risk", "breached")
# Worst first: what a ticket shows when it has several timers.
STATE_SEVERITY = ("breached", "at_risk", "running", "paused", "met_late", "met")


class CcSlaTimer(models.Model):
    """One target of one ticket: when its clock started, when it is due, how long it was paused, how it ended.

    Deadlines are counted in the policy's business hours: `deadline` is `start_at` plus the target's working
    minutes plus the working time spent paused, so a pause moves the deadline by exactly that time.
    """

    _name = "cc.sla.timer"
    _description = "SLA Timer"
    _order = "deadline, id"
    _rec_name = "kind"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, index=True, ondelete="cascade")
    policy_id = fields.Many2one("cc.sla.policy", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, help="The ticket's: set at creation, and when the ticket moves."
    )
    kind = fields.Selection(TARGET_KINDS, required=True)
    target_minutes = fields.Integer(required=True, help="Working minutes allowed, from the policy's target.")
    start_at = fields.Datetime(required=True)
    deadline = fields.Datetime(index=True)
    at_risk_at = fields.Datetime(string="At Risk From")
    reached_at = fields.Datetime(help="When the target was met, or the ticket stopped the clock.")
    paused_seconds = fields.Integer(default=0, help="Working seconds spent paused so far.")
    paused_since = fields.Datetime()
    state = fields.Selection(TIMER_STATES, required=True, default="running", index=True)
    remaining_seconds = fields.Integer(
        compute="_compute_working_time", help="Working seconds left before the deadline."
    )
    used_seconds = fields.Integer(compute="_compute_working_time", help="Working seconds used, pauses excluded.")

    _due_at_risk_idx = models.Index("(at_risk_at) WHERE state = 'running'")
    _due_breach_idx = models.Index("(deadline) WHERE state IN ('running', 'at_risk')")
    _target_positive = models.Constraint("CHECK(target_minutes > 0)", "A target must allow some working time.")

    @api.depends("deadline", "start_at", "paused_seconds", "reached_at", "paused_since")
    def _compute_working_time(self):
        now = fields.Datetime.now()
        for timer in self:
            calendar = timer.policy_id.business_calendar(timer.ticket_id.partner_id)
            until = timer.reached_at or timer.paused_since or now
            spent = calendar.working_seconds_between(timer.start_at, until) - timer.paused_seconds
            timer.used_seconds = max(0, int(spent))
            if not timer.deadline:
                timer.remaining_seconds = 0
            elif until <= timer.deadline:
                timer.remaining_seconds = int(calendar.working_seconds_between(until, timer.deadline))
            else:
                timer.remaining_seconds = -int(calendar.working_seconds_between(timer.deadline, until))

    # --- scheduling -----------------------------------------------------------------------------

    def _by_calendar(self):
        """{BusinessCalendar: timers}: timers sharing a calendar are scheduled together."""
        groups = defaultdict(self.browse)
        calendars = {}
        for timer in self:
            key = (timer.policy_id, timer.policy_id.use_customer_tz and timer.ticket_id.partner_id.tz)
            if key not in calendars:
                calendars[key] = timer.policy_id.business_calendar(timer.ticket_id.partner_id)
            groups[calendars[key]] |= timer
        return groups

    def _schedule(self):
        """Write deadline and at-risk moment of each timer, in bulk per calendar, from its history."""
        for calendar, timers in self._by_calendar().items():
            starts = timers.mapped("start_at")
            budgets = [timer.target_minutes * 60 for timer in timers]
            paused = timers.mapped("paused_seconds")
            at_risk_shares = [timer.policy_id.at_risk_percent / 100 for timer in timers]
            deadlines = calendar.deadlines(starts, [b + p for b, p in zip(budgets, paused, strict=True)])
            at_risk = calendar.deadlines(
                starts, [b * share + p for b, share, p in zip(budgets, at_risk_shares, paused, strict=True)]
            )
            for timer, deadline, risk in zip(timers, deadlines, at_risk, strict=True):
                timer.write({"deadline": deadline, "at_risk_at": risk})

    @api.model_create_multi
    def create(self, vals_list):
        tickets = self.env["helpdesk.ticket"]
        for vals in vals_list:
            if not vals.get("company_id"):
                vals["company_id"] = tickets.browse(vals.get("ticket_id")).company_id.id
        return super().create(vals_list)

    @api.model
    def create_scheduled(self, vals_list, now):
        """Create timers with deadline, at-risk moment and state already worked out: one INSERT, no UPDATE."""
        Policy = self.env["cc.sla.policy"]
        rules = Policy._cc_rules().by_id
        tickets = self.env["helpdesk.ticket"]
        calendars = {}
        groups = defaultdict(list)
        for vals in vals_list:
            rule = rules[vals["policy_id"]]
            partner = tickets.browse(vals["ticket_id"]).partner_id if rule.use_customer_tz else None
            key = (rule.calendar_id, partner and partner.tz)
            if key not in calendars:
                calendars[key] = Policy._cc_calendar(rule, partner)
            groups[calendars[key]].append((vals, rule.at_risk_percent))
        for calendar, group in groups.items():
            starts = [vals["start_at"] for vals, _percent in group]
            budgets = [vals["target_minutes"] * 60 for vals, _percent in group]
            deadlines = calendar.deadlines(starts, budgets)
            at_risk = calendar.deadlines(
                starts, [budget * percent / 100 for budget, (_vals, percent) in zip(budgets, group, strict=True)]
            )
            for (vals, _percent), deadline, risk in zip(group, deadlines, at_risk, strict=True):
                state = "breached" if deadline <= now else "at_risk" if risk <= now else "running"
                vals.update(deadline=deadline, at_risk_at=risk, state=state)
        return self.create(vals_list)

    def _counting_state(self, now):
        self.ensure_one()
        if self.deadline <= now:
            return "breached"
        if self.at_risk_at <= now:
            return "at_risk"
        return "running"

    def _refresh_states(self, now):
        """Set counting timers to running, at risk or breached as of `now`."""
        for state, timers in self.grouped(lambda timer: timer._counting_state(now)).items():
            timers.write({"state": state})

    # --- transitions ----------------------------------------------------------------------------

    def reach(self, now=None):
        """The target is met now (or the ticket stopped the clock): met, or met late past the deadline."""
        now = now or fields.Datetime.now()
        active = self.filtered(lambda timer: timer.state in ACTIVE_STATES)
        active.filtered("paused_since")._accumulate_pause(now)
        for state, timers in active.grouped(lambda timer: "met" if now <= timer.deadline else "met_late").items():
            timers.write({"state": state, "reached_at": now})

    def pause(self, now=None):
        now = now or fields.Datetime.now()
        self.filtered(lambda timer: timer.state in COUNTING_STATES).write({"state": "paused", "paused_since": now})

    def resume(self, now=None):
        now = now or fields.Datetime.now()
        paused = self.filtered(lambda timer: timer.state == "paused")
        paused._accumulate_pause(now)
        paused._schedule()
        paused._refresh_states(now)

    def reopen(self, now=None):
        """A stopped ticket is reopened: the time it spent stopped counts as a pause, nothing breaches at once."""
        now = now or fields.Datetime.now()
        ended = self.filtered(lambda timer: timer.state in ("met", "met_late") and timer.kind == "resolution")
        for timer in ended:
            timer.write({"state": "paused", "paused_since": timer.reached_at, "reached_at": False})
        ended.resume(now)

    def _accumulate_pause(self, now):
        for calendar, timers in self._by_calendar().items():
            for timer in timers:
                paused = calendar.working_seconds_between(timer.paused_since, now)
                timer.write({"paused_seconds": timer.paused_seconds + int(paused), "paused_since": False})

    # --- scheduled job ----------------------------------------------------------------------------

    @api.model
    def _cron_check_timers(self):
        """Move due timers to at risk and breached, then fire escalations. Set-based, idempotent, and safe on
        several workers: rows another worker holds are skipped (it is moving them already)."""
        now = fields.Datetime.now()
        self.flush_model(["state", "at_risk_at", "deadline"])
        self.env.cr.execute(
            """
            SELECT id FROM cc_sla_timer
             WHERE (state = 'running' AND at_risk_at <= %(now)s)
                OR (state IN ('running', 'at_risk') AND deadline <= %(now)s)
             ORDER BY id
               FOR UPDATE SKIP LOCKED
            """,
            {"now": now},
        )
        due = self.browse(row[0] for row in self.env.cr.fetchall())
        due._refresh_states(now)
        self.env["cc.sla.escalation"].fire_due(now)
        return len(due)
