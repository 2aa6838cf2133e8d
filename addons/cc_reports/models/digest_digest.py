from datetime import timedelta

from odoo import api, fields, models


class DigestDigest(models.Model):
    _inherit = "digest.digest"

    cc_team_id = fields.Many2one(
        "helpdesk.ticket.team", string="Contact Center Team", help="Compute the contact center KPIs for this team only."
    )
    kpi_cc_contacts = fields.Boolean("Contacts Handled")
    kpi_cc_contacts_value = fields.Integer(compute="_compute_kpi_cc_values")
    kpi_cc_service_level = fields.Boolean("Service Level (%)")
    kpi_cc_service_level_value = fields.Float(compute="_compute_kpi_cc_values")
    kpi_cc_abandon_rate = fields.Boolean("Abandonment (%)")
    kpi_cc_abandon_rate_value = fields.Float(compute="_compute_kpi_cc_values")
    kpi_cc_csat = fields.Boolean("CSAT (%)")
    kpi_cc_csat_value = fields.Float(compute="_compute_kpi_cc_values")
    kpi_cc_sla_compliance = fields.Boolean("SLA Compliance (%)")
    kpi_cc_sla_compliance_value = fields.Float(compute="_compute_kpi_cc_values")

    # One compute fills the five values, and the digest reads them for several periods and users, invalidating
    # one field at a time: the cache must tell those apart, or a value of another period would be shown.
    @api.depends_context("start_datetime", "end_datetime", "company", "uid")
    def _compute_kpi_cc_values(self):
        start, end, companies = self._get_kpi_compute_parameters()
        start = fields.Datetime.to_datetime(start) or fields.Datetime.now() - timedelta(days=1)
        end = fields.Datetime.to_datetime(end) or fields.Datetime.now()
        for digest in self:
            domain = [("company_id", "in", companies.ids)]
            if digest.cc_team_id:
                domain.append(("team_id", "=", digest.cc_team_id.id))
            figures = self.env["cc.kpi"].compute(start, end, domain=domain)
            totals = figures[0] if figures else {}
            digest.kpi_cc_contacts_value = totals.get("handled") or 0
            for name in ("service_level", "abandon_rate", "csat", "sla_compliance"):
                value = totals.get(name)
                digest[f"kpi_cc_{name}_value"] = round(value * 100, 1) if value is not None else 0.0

    def _compute_kpis_actions(self, company, user):
        actions = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("cc_omnichannel.menu_cc_root").id
        for name in ("contacts", "service_level", "abandon_rate", "csat", "sla_compliance"):
            actions[f"kpi_cc_{name}"] = f"cc_reports.action_cc_dashboard?menu_id={menu}"
        return actions
