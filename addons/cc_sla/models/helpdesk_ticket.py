from odoo import api, fields, models

from .cc_sla_timer import ACTIVE_STATES, COUNTING_STATES, STATE_SEVERITY, TIMER_STATES

# Fields whose change can make another policy, or other targets, apply.
POLICY_FIELDS = ("priority", "team_id", "category_id", "tag_ids", "partner_id", "company_id", "cc_channel_id")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    cc_sla_start_at = fields.Datetime(
        string="SLA Clock Start",
        default=fields.Datetime.now,
        readonly=True,
        copy=False,
        help="When the customer's request started the SLA clock: timers count from here.",
    )
    cc_sla_policy_id = fields.Many2one("cc.sla.policy", string="SLA Policy", readonly=True, index="btree_not_null")
    cc_sla_timer_ids = fields.One2many("cc.sla.timer", "ticket_id", string="SLA Timers")
    cc_sla_state = fields.Selection(
        TIMER_STATES,
        string="SLA",
        compute="_compute_cc_sla",
        store=True,
        index=True,
        help="The worst state among the ticket's timers.",
    )
    cc_sla_deadline = fields.Datetime(
        string="SLA Deadline",
        compute="_compute_cc_sla",
        store=True,
        index=True,
        help="The nearest deadline among the timers still counting.",
    )
    cc_sla_escalation_log_ids = fields.One2many("cc.sla.escalation.log", "ticket_id", string="Escalations")

    @api.depends("cc_sla_timer_ids.state", "cc_sla_timer_ids.deadline")
    def _compute_cc_sla(self):
        for ticket in self:
            timers = ticket.cc_sla_timer_ids
            states = set(timers.mapped("state"))
            ticket.cc_sla_state = next((state for state in STATE_SEVERITY if state in states), False)
            counting = timers.filtered(lambda timer: timer.state in COUNTING_STATES)
            ticket.cc_sla_deadline = min(counting.mapped("deadline"), default=False)

    # --- life of a ticket ---------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._cc_sla_apply(fields.Datetime.now())
        return tickets

    def write(self, vals):
        stages_before = {ticket: ticket.stage_id for ticket in self} if "stage_id" in vals else {}
        result = super().write(vals)
        now = fields.Datetime.now()
        if stages_before:
            self._cc_sla_follow_stage(stages_before, now)
        if any(field in vals for field in POLICY_FIELDS):
            self._cc_sla_apply(now)
        return result

    def _cc_sla_apply(self, now):
        """Match each ticket to its policy; start, update or drop its timers to fit that policy's targets.

        Timers keep their start and the pauses they went through: a change of priority or team recomputes
        their deadlines from the ticket's history, which may well mean they are already at risk or breached.
        """
        matched = self.env["cc.sla.policy"].match_tickets(self)
        Policy = self.env["cc.sla.policy"]
        for policy, tickets in self.grouped(lambda ticket: matched.get(ticket, Policy)).items():
            # one write per policy: each write runs the whole ticket write chain (tracking, our overrides)
            tickets.filtered(lambda ticket, new=policy: ticket.cc_sla_policy_id != new).write(
                {"cc_sla_policy_id": policy.id}
            )
        Timer = self.env["cc.sla.timer"]
        new_vals, changed = [], Timer
        targets_by_policy = {}
        for ticket in self:
            policy = ticket.cc_sla_policy_id
            if policy not in targets_by_policy:
                targets_by_policy[policy] = policy.target_minutes() if policy else {}
            targets = targets_by_policy[policy]
            active = ticket.cc_sla_timer_ids.filtered(lambda timer: timer.state in ACTIVE_STATES)
            active.filtered(lambda timer, kinds=targets: timer.kind not in kinds).unlink()
            for timer in active.filtered(lambda timer, kinds=targets: timer.kind in kinds):
                if (timer.policy_id, timer.target_minutes) != (policy, targets[timer.kind]):
                    timer.write({"policy_id": policy.id, "target_minutes": targets[timer.kind]})
                    changed |= timer
            started = set(ticket.cc_sla_timer_ids.exists().mapped("kind"))
            new_vals += [
                {
                    "ticket_id": ticket.id,
                    "policy_id": policy.id,
                    "kind": kind,
                    "target_minutes": minutes,
                    "start_at": ticket.cc_sla_start_at or now,
                }
                for kind, minutes in targets.items()
                if kind in ("first_response", "resolution") and kind not in started
            ]
        changed._schedule()
        changed.filtered(lambda timer: timer.state in COUNTING_STATES)._refresh_states(now)
        Timer.create_scheduled(new_vals, now)
        for ticket in self.filtered(lambda ticket: ticket.stage_id in ticket.cc_sla_policy_id.pause_stage_ids):
            ticket.cc_sla_timer_ids.pause(now)

    def _cc_sla_follow_stage(self, stages_before, now):
        for ticket in self:
            policy = ticket.cc_sla_policy_id
            before, after = stages_before[ticket], ticket.stage_id
            if not policy or before == after:
                continue
            timers = ticket.cc_sla_timer_ids
            if after in policy.stop_stage_ids:
                timers.reach(now)
            elif before in policy.stop_stage_ids:
                timers.reopen(now)
                if after in policy.pause_stage_ids:
                    timers.pause(now)
            elif after in policy.pause_stage_ids:
                timers.pause(now)
            elif before in policy.pause_stage_ids:
                timers.resume(now)

    # --- responses ------------------------------------------------------------------------------

    def cc_sla_agent_responded(self, now=None):
        """An agent answered the customer: the first and next response targets are met."""
        self.cc_sla_timer_ids.filtered(lambda timer: timer.kind in ("first_response", "next_response")).reach(now)

    def cc_sla_customer_wrote(self, now=None):
        """The customer wrote again after a first answer: a next response is now due."""
        now = now or fields.Datetime.now()
        new_vals = []
        for ticket in self.filtered("cc_sla_policy_id"):
            minutes = ticket.cc_sla_policy_id.target_minutes().get("next_response")
            timers = ticket.cc_sla_timer_ids
            answered = timers.filtered(
                lambda timer: timer.kind == "first_response" and timer.state in ("met", "met_late")
            )
            waiting = timers.filtered(lambda timer: timer.kind == "next_response" and timer.state in ACTIVE_STATES)
            if minutes and answered and not waiting:
                new_vals.append(
                    {
                        "ticket_id": ticket.id,
                        "policy_id": ticket.cc_sla_policy_id.id,
                        "kind": "next_response",
                        "target_minutes": minutes,
                        "start_at": now,
                    }
                )
        self.env["cc.sla.timer"].create_scheduled(new_vals, now)

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if self._cc_is_agent_reply(message):
            self.cc_sla_agent_responded()
        elif message.message_type in ("comment", "email") and message.author_id == self.partner_id:
            self.cc_sla_customer_wrote()
        return result

    def action_cc_open_sla_timers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cc_sla.action_cc_sla_timer")
        action["domain"] = [("ticket_id", "=", self.id)]
        return action
