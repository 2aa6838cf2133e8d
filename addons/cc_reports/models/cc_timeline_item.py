from odoo import models

from odoo.addons.cc_omnichannel.tools.timeline import TimelineBranch


class CcTimelineItem(models.Model):
    _inherit = "cc.timeline.item"

    def _timeline_branches(self):
        return [
            *super()._timeline_branches(),
            TimelineBranch(
                slot=11,
                model="cc.survey",
                kind="survey",
                key="cc_survey.id",
                partner="cc_survey.partner_id",
                date="cc_survey.answered_at",
                direction="'inbound'",
                title="concat(upper(cc_survey.kind), ' ', cc_survey.score)",
                summary="cc_survey.comment",
                where="cc_survey.state = 'answered' AND cc_survey.partner_id IS NOT NULL",
            ),
        ]
