from odoo import models


class CcTimelineItem(models.Model):
    _inherit = "cc.timeline.item"

    def _timeline_branches(self):
        return [
            *super()._timeline_branches(),
            """SELECT s.id * 16 + 11, s.partner_id, s.answered_at, 'survey', NULL, 'inbound', NULL, 'cc.survey', s.id,
                      concat(upper(s.kind), ' ', s.score), s.comment, s.company_id
                 FROM cc_survey s WHERE s.state = 'answered' AND s.partner_id IS NOT NULL""",
        ]

    def _source_models(self):
        return [*super()._source_models(), "cc.survey"]
