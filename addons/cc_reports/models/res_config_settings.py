from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cc_sl_threshold_seconds = fields.Integer(related="company_id.cc_sl_threshold_seconds", readonly=False)
    cc_sl_target_percent = fields.Float(related="company_id.cc_sl_target_percent", readonly=False)
    cc_sl_abandon_treatment = fields.Selection(related="company_id.cc_sl_abandon_treatment", readonly=False)
    cc_short_abandon_seconds = fields.Integer(related="company_id.cc_short_abandon_seconds", readonly=False)
    cc_fcr_window_days = fields.Integer(related="company_id.cc_fcr_window_days", readonly=False)
    cc_survey_nps = fields.Boolean(related="company_id.cc_survey_nps", readonly=False)
