from collections import defaultdict

from odoo import api, fields, models

from ..tools.policy_rules import TicketFacts
from .cc_sla_timer import ACTIVE_STATES, COUNTING_STATES, STATE_SEVERITY, TIMER_STATES

# Fields whose change can make another policy, or other targets, apply.
POLICY_FIELDS = ("priority", "team_id", "category_id", "tag_ids", "partner_id", "company_id", "cc_channel_id")
SEVERITY_RANK = {state: rank for rank, state in enumerate(STATE_SEVERITY)}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    cc_sla_start_at = fields.Datetime(
        string="SLA Clock Start",
        default=fields.Datetime.now,
        readonly=True,
        copy=False,
        help="When the customer's request started the SLA clock: timers count from here.",
    )
    cc_sla_policy_id = fields.Many2one(
        "cc.sla.policy",
        string="SLA Policy",
        compute="_compute_cc_sla_policy_id",
        store=True,
        readonly=True,
        index="btree_not_null",
        help="The first active policy, by sequence, whose conditions the ticket meets.",
    )
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

    @api.depends(*POLICY_FIELDS)
    def _compute_cc_sla_policy_id(self):
        # Computed when a ticket is created or one of POLICY_FIELDS changes, and by _cc_sla_apply: set with the
        # ticket's other fields, without a write of its own.
        matched = self.env["cc.sla.policy"].match_tickets(self)
        for ticket in self:
            ticket.cc_sla_policy_id = matched.get(ticket, False)

    @api.depends("cc_sla_timer_ids.state", "cc_sla_timer_ids.deadline")
    def _compute_cc_sla(self):
        for ticket in self:
            timers = ticket.cc_sla_timer_ids
            worst = min((SEVERITY_RANK[timer.state] for timer in timers), default=None)
            ticket.cc_sla_state = STATE_SEVERITY[worst] if worst is not None else False
            counting = (timer.deadline for timer in timers if timer.state in COUNTING_STATES)
            ticket.cc_sla_deadline = min(counting, default=False)

    def _cc_sla_facts(self, rules):
        """{ticket: (company id, TicketFacts)}, reading only what the policies of the tickets' companies look at."""
        companies = set(self.company_id.ids)
        channels = rules.needs(companies, "channel_codes")
        tags = rules.needs(companies, "tag_ids")
        customer_tags = rules.needs(companies, "partner_category_ids")
        no_ids = frozenset()
        return {
            ticket: (
                ticket.company_id.id,
                TicketFacts(
                    team_id=ticket.team_id.id,
                    priority=ticket.priority,
                    channel_code=channels and ticket.cc_channel_id.channel_type,
                    category_id=ticket.category_id.id,
                    # _origin: in a form, the tags of the ticket being edited are new records wrapping the real ones
                    tag_ids=frozenset(ticket.tag_ids._origin.ids) if tags else no_ids,
                    partner_category_ids=frozenset(ticket.partner_id.category_id._origin.ids)
                    if customer_tags
                    else no_ids,
                ),
            )
            for ticket in self
        }

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
        if "company_id" in vals:
            self.cc_sla_timer_ids.write({"company_id": vals["company_id"]})
        if any(field in vals for field in POLICY_FIELDS):
            self._cc_sla_apply(now)
        return result

    def _cc_sla_apply(self, now):
        """Match each ticket to its policy; start, update or drop its timers to fit that policy's targets.

        Timers keep their start and the pauses they went through: a change of priority or team recomputes
        their deadlines from the ticket's history, which may well mean they are already at risk or breached.
        """
        self.env.add_to_compute(self._fields["cc_sla_policy_id"], self)
        rules = self.env["cc.sla.policy"]._cc_rules().by_id
        Timer = self.env["cc.sla.timer"]
        new_vals, dropped, pausing = [], [], []
        refitted = defaultdict(list)  # {(policy id, target minutes): ids of active timers to move there}
        for ticket in self:
            policy_id = ticket.cc_sla_policy_id.id
            rule = rules.get(policy_id)
            targets = rule.target_minutes() if rule else {}
            started = set()
            for timer in ticket.cc_sla_timer_ids:
                active = timer.state in ACTIVE_STATES
                if active and timer.kind not in targets:
                    dropped.append(timer.id)
                    continue
                started.add(timer.kind)
                fitted = (policy_id, targets.get(timer.kind))
                if active and (timer.policy_id.id, timer.target_minutes) != fitted:
                    refitted[fitted].append(timer.id)
            new_vals += [
                {
                    "ticket_id": ticket.id,
                    "policy_id": policy_id,
                    "kind": kind,
                    "target_minutes": minutes,
                    "start_at": ticket.cc_sla_start_at or now,
                }
                for kind, minutes in targets.items()
                if kind in ("first_response", "resolution") and kind not in started
            ]
            if rule and ticket.stage_id.id in rule.pause_stage_ids:
                pausing.append(ticket.id)
        Timer.browse(dropped).unlink()
        for (policy_id, minutes), timer_ids in refitted.items():
            Timer.browse(timer_ids).write({"policy_id": policy_id, "target_minutes": minutes})
        changed = Timer.browse(timer_id for timer_ids in refitted.values() for timer_id in timer_ids)
        changed._schedule()
        changed.filtered(lambda timer: timer.state in COUNTING_STATES)._refresh_states(now)
        Timer.create_scheduled(new_vals, now)
        self.browse(pausing).cc_sla_timer_ids.pause(now)

    def _cc_sla_follow_stage(self, stages_before, now):
        rules = self.env["cc.sla.policy"]._cc_rules().by_id
        for ticket in self:
            rule = rules.get(ticket.cc_sla_policy_id.id)
            before, after = stages_before[ticket].id, ticket.stage_id.id
            if not rule or before == after:
                continue
            timers = ticket.cc_sla_timer_ids
            if after in rule.stop_stage_ids:
                timers.reach(now)
            elif before in rule.stop_stage_ids:
                timers.reopen(now)
                if after in rule.pause_stage_ids:
                    timers.pause(now)
            elif after in rule.pause_stage_ids:
                timers.pause(now)
            elif before in rule.pause_stage_ids:
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
