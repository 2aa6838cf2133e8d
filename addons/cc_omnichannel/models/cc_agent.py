from odoo import api, fields, models

PRESENCE_STATES = [
    ("available", "Available"),
    ("busy", "Busy"),
    ("away", "Away"),
    ("offline", "Offline"),
]


class CcAgent(models.Model):
    """An agent's presence and capacity: what routing reads to pick who gets the next contact."""

    _name = "cc.agent"
    _description = "Contact Center Agent"
    _inherit = ["mail.thread"]
    _order = "presence, user_id"
    _rec_name = "user_id"

    user_id = fields.Many2one(
        "res.users", required=True, index=True, ondelete="cascade", domain=[("share", "=", False)]
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    presence = fields.Selection(PRESENCE_STATES, required=True, default="offline", tracking=True, index=True)
    capacity = fields.Integer(default=5, help="Open tickets and live contacts this agent can carry at once.")
    team_ids = fields.Many2many("helpdesk.ticket.team", compute="_compute_team_ids", string="Teams")
    open_work = fields.Integer(compute="_compute_open_work", help="Open tickets assigned plus contacts in progress.")
    last_assigned_at = fields.Datetime(compute="_compute_last_assigned_at", help="When the agent last got a ticket.")
    # Datetimes keep whole seconds: contacts routed within one second need this counter to take turns.

    _user_unique = models.Constraint("UNIQUE(user_id)", "This user already has an agent profile.")
    _capacity_positive = models.Constraint("CHECK(capacity >= 0)", "Capacity cannot be negative.")

    def _compute_team_ids(self):
        teams = self.env["helpdesk.ticket.team"].search([("user_ids", "in", self.user_id.ids)])
        for agent in self:
            agent.team_ids = teams.filtered_domain([("user_ids", "in", agent.user_id.ids)])

    def _compute_last_assigned_at(self):
        latest = dict(
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(  # sudo: a date, whoever's ticket it was
                [("user_id", "in", self.user_id.ids)], ["user_id"], ["assigned_date:max"]
            )
        )
        for agent in self:
            agent.last_assigned_at = latest.get(agent.user_id, False)

    @api.depends("user_id")
    def _compute_open_work(self):
        load = self.open_work_by_user(self.user_id.ids)
        for agent in self:
            agent.open_work = load.get(agent.user_id.id, 0)

    @api.model
    def open_work_by_user(self, user_ids):
        """{user id: open tickets assigned + interactions in progress}, in two grouped queries."""
        load = dict.fromkeys(user_ids, 0)
        # The open stages' ids, not a join on the stages: the planner then knows how few tickets are open.
        open_stages = self.env["helpdesk.ticket.stage"].sudo().search([("closed", "=", False)])  # sudo: as below
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(  # counts only, across record rules
                [("user_id", "in", user_ids), ("stage_id", "in", open_stages.ids)], ["user_id"], ["__count"]
            )
        )
        contacts = (
            self.env["cc.interaction"]
            .sudo()
            ._read_group([("user_id", "in", user_ids), ("state", "=", "in_progress")], ["user_id"], ["__count"])
        )
        for user, count in tickets + contacts:
            load[user.id] += count
        return load

    def _set_presence(self, presence):
        self.write({"presence": presence})

    def action_available(self):
        self._set_presence("available")

    def action_busy(self):
        self._set_presence("busy")

    def action_away(self):
        self._set_presence("away")

    def action_offline(self):
        self._set_presence("offline")

    @api.model
    def pick_for_team(self, team):
        """The agent routing gives the next contact of `team`, or an empty recordset (it stays queued).

        Candidates are the team's members who are available and under capacity; round robin takes the one
        served longest ago, least open work the least loaded (ties to the one served longest ago).
        """
        if not team or team.cc_routing == "manual":
            return self.browse()
        agents = self.search(
            [
                ("user_id", "in", team.user_ids.ids),
                ("presence", "=", "available"),
                ("company_id", "=", team.company_id.id or self.env.company.id),
            ],
        )
        load = self.open_work_by_user(agents.user_id.ids)
        candidates = agents.filtered(lambda agent: load[agent.user_id.id] < agent.capacity)
        if not candidates:
            return self.browse()

        # The turn comes from the tickets themselves (the latest one each agent got), so routing writes nothing
        # on the agents: concurrent contacts never contend for an agent's row.
        latest = dict(
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(  # sudo: routing sees every ticket of the team
                [("user_id", "in", candidates.user_id.ids), ("team_id", "=", team.id)], ["user_id"], ["id:max"]
            )
        )

        def turn(agent):
            return latest.get(agent.user_id, 0)

        if team.cc_routing == "round_robin":
            chosen = min(candidates, key=lambda agent: (turn(agent), agent.id))
        else:
            chosen = min(candidates, key=lambda agent: (load[agent.user_id.id], turn(agent), agent.id))
        return chosen
