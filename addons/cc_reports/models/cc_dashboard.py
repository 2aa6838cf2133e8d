from datetime import timedelta

from odoo import api, fields, models

from .cc_kpi import SOURCE_NAMES

PERIODS = {"today": 1, "7d": 7, "30d": 30}
CARD_KEYS = (
    "offered",
    "handled",
    "abandon_rate",
    "service_level",
    "aht",
    "asa",
    "fcr",
    "csat",
    "nps",
    "sla_compliance",
    "backlog",
    "upsell_revenue",
)
BUS_CHANNEL = "cc_dashboard"


class CcDashboard(models.AbstractModel):
    """What the supervisor dashboard shows: KPI cards against the previous period, trends, and the floor now."""

    _name = "cc.dashboard"
    _description = "Contact Center Dashboard"

    @api.model
    def dashboard_data(self, period="7d"):
        days = PERIODS.get(period, 7)
        now = fields.Datetime.now()
        start, previous_start = now - timedelta(days=days), now - timedelta(days=2 * days)
        self.env["cc.kpi.contact"].refresh()
        kpis = self.env["cc.kpi"]
        current = kpis._compute(start, now)[0]
        # The backlog is a stock counted now, once; the trend shows contacts only.
        previous = kpis._compute(previous_start, start, sources=[name for name in SOURCE_NAMES if name != "backlog"])[0]
        trend = kpis._compute(start, now, groupby=["date:day"], sources=())
        cards = {key: {"value": current.get(key), "previous": previous.get(key)} for key in CARD_KEYS}
        cards["backlog"]["previous"] = None  # there is no figure for the previous period
        if not self.env.user.has_group("sales_team.group_sale_salesman"):
            cards["upsell_revenue"] = {"value": None, "previous": None}  # amounts are for Sales users only
        return {
            "period": period,
            "date_from": fields.Datetime.to_string(start),
            "date_to": fields.Datetime.to_string(now),
            "cards": cards,
            "service_level_target": self.env.company.cc_sl_target_percent / 100,
            "trend": [
                {
                    "day": row["date:day"],
                    "offered": row["offered"],
                    "handled": row["handled"],
                    "service_level": row["service_level"],
                }
                for row in trend
            ],
            "live": self.live_data(),
        }

    @api.model
    def live_data(self):
        """Contacts waiting now and the longest wait, timers at risk and breached, agents' presence and load."""
        now = fields.Datetime.now()
        Interaction = self.env["cc.interaction"]
        waiting = Interaction.search_fetch(
            [("direction", "=", "inbound"), ("state", "in", ("new", "queued"))],
            ["received_at"],
            order="received_at",
            limit=1,
        )
        timers = dict(
            self.env["cc.sla.timer"]._read_group(
                [("state", "in", ("at_risk", "breached")), *self._timer_scope()], ["state"], ["__count"]
            )
        )
        agents = self.env["cc.agent"].search([])
        load = agents.open_work_by_user(agents.user_id.ids)
        return {
            "waiting": Interaction.search_count([("direction", "=", "inbound"), ("state", "in", ("new", "queued"))]),
            "longest_wait_seconds": int((now - waiting.received_at).total_seconds()) if waiting else 0,
            "at_risk": timers.get("at_risk", 0),
            "breached": timers.get("breached", 0),
            "agents": [
                {
                    "id": agent.id,
                    "name": agent.user_id.name,
                    "presence": agent.presence,
                    "load": load.get(agent.user_id.id, 0),
                    "capacity": agent.capacity,
                }
                for agent in agents
            ],
        }

    def _timer_scope(self):
        """The user's KPI scope (their own work, their teams', or all) applied to the tickets of SLA timers."""
        scope = self.env["cc.kpi"]._scope()
        fields_by_dimension = {
            "user_id": "ticket_id.user_id",
            "team_id": "ticket_id.team_id",
            "company_id": "company_id",
        }
        return [(fields_by_dimension[name], "in", list(ids)) for name, ids in scope.items()]

    @api.model
    def notify_change(self):
        """Tell open dashboards to refresh, once per transaction (they read the figures themselves, with their
        own access rights: the bus only carries the signal)."""
        if self.env.cr.precommit.data.get("cc_dashboard_notified"):
            return
        self.env.cr.precommit.data["cc_dashboard_notified"] = True
        self.env["bus.bus"]._sendone(BUS_CHANNEL, "cc_dashboard/refresh", {})
