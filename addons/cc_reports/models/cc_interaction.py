from odoo import api, models
from odoo.tools import SQL


class CcInteraction(models.Model):
    _inherit = "cc.interaction"

    # What the KPI refresh reads: only the interactions written since the last one.
    _write_date_idx = models.Index("(write_date)")

    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        self.env["cc.dashboard"].notify_change()
        return interactions

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals or "user_id" in vals:
            self.env["cc.dashboard"].notify_change()
        return result

    def unlink(self):
        # The cascade deletes their contact rows: take them out of the sums per hour and day and the FCR repeats too.
        self.env.cr.execute(
            SQL(
                """SELECT date_trunc('hour', k.date), p.commercial_partner_id, k.date
                     FROM cc_kpi_contact k LEFT JOIN res_partner p ON p.id = k.partner_id
                    WHERE k.interaction_id = ANY(%s)""",
                self.ids,
            )
        )
        facts = self.env.cr.fetchall()
        result = super().unlink()
        self.flush_model()
        self.env["cc.kpi.summary"]._rebuild({hour for hour, _customer, _date in facts})
        repeats = [(customer, date) for _hour, customer, date in facts if customer]
        if repeats:
            customers, dates = zip(*repeats, strict=True)
            self.env["cc.kpi.ticket"]._recompute_repeats(
                SQL("SELECT * FROM unnest(%s::int[], %s::timestamp[])", list(customers), list(dates))
            )
        return result
