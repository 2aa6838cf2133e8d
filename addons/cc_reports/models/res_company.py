from odoo import fields, models

from ..tools.kpi import KpiSettings

ABANDON_TREATMENTS = [
    ("ignore", "Ignored"),
    ("against", "Counted against"),
    ("for", "Counted for when within the threshold"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    cc_sl_threshold_seconds = fields.Integer(string="Service Level Threshold (s)", default=20)
    cc_sl_target_percent = fields.Float(string="Service Level Target (%)", default=80.0)
    cc_sl_abandon_treatment = fields.Selection(
        ABANDON_TREATMENTS, string="Abandoned Contacts in Service Level", default="against", required=True
    )
    cc_short_abandon_seconds = fields.Integer(string="Short Abandon (s)", default=5)
    cc_fcr_window_days = fields.Integer(string="FCR Repeat Window (days)", default=7)
    cc_survey_nps = fields.Boolean(string="Also Ask NPS", help="Send an NPS question with the CSAT one.")

    _cc_kpi_settings_valid = models.Constraint(
        "CHECK(cc_sl_threshold_seconds >= 0 AND cc_short_abandon_seconds >= 0 AND cc_fcr_window_days > 0"
        " AND cc_sl_target_percent BETWEEN 0 AND 100)",
        "Contact center KPI settings: thresholds are positive, the target is a percentage.",
    )

    def cc_kpi_settings(self):
        """This company's KPI definitions, for the pure formulas."""
        self.ensure_one()
        return KpiSettings(
            sl_threshold_seconds=self.cc_sl_threshold_seconds,
            sl_target_percent=self.cc_sl_target_percent,
            sl_abandon_treatment=self.cc_sl_abandon_treatment,
            short_abandon_seconds=self.cc_short_abandon_seconds,
            fcr_window_days=self.cc_fcr_window_days,
        )

    def write(self, vals):
        result = super().write(vals)
        if any(name in vals for name in ("cc_sl_threshold_seconds", "cc_short_abandon_seconds")):
            self.env["cc.kpi.contact"]._rebuild_contacts()  # the stored flags depend on these thresholds
        return result
