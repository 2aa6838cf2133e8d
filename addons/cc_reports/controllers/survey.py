from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.http import request


class CcSurveyController(http.Controller):
    """The public survey page: one token, one answer, until it expires."""

    def _survey(self, token):
        # sudo: the customer has no account; the unguessable token is what gives access to this one survey.
        return request.env["cc.survey"].sudo().search([("token", "=", token)], limit=1)

    def _page(self, survey, status=200, **values):
        return request.render("cc_reports.survey_page", {"survey": survey, **values}, status=status)

    @http.route("/cc/survey/<string:token>", type="http", auth="public", methods=["GET"], website=True)
    def show(self, token, **_params):
        survey = self._survey(token)
        if not survey:
            return self._page(survey, status=404, message=request.env._("This survey link is not valid."))
        return self._page(survey, **self._closed_reason(survey))

    @http.route("/cc/survey/<string:token>", type="http", auth="public", methods=["POST"], website=True)
    def submit(self, token, score=None, comment="", **_params):
        survey = self._survey(token)
        if not survey:
            return self._page(survey, status=404, message=request.env._("This survey link is not valid."))
        closed = self._closed_reason(survey)
        if closed:
            return self._page(survey, status=410 if survey.state == "expired" else 409, **closed)
        try:
            survey.answer(int(score), comment)
        except (TypeError, ValueError, ValidationError) as error:
            message = error.args[0] if isinstance(error, ValidationError) else request.env._("Choose a score.")
            return self._page(survey, status=400, error=message, comment=comment)
        return self._page(survey, message=request.env._("Thank you for your answer!"))

    def _closed_reason(self, survey):
        if survey.state == "answered":
            return {"message": request.env._("This survey was already answered. Thank you!")}
        if survey.state == "expired" or survey.expires_at < fields.Datetime.now():
            survey.state = "expired"
            return {"message": request.env._("This survey has expired.")}
        return {}
