import re
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, TransactionCase, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.cc_omnichannel.tests.fake_provider import FakeProvider

from .common import ReportsCase, at

TWILIO_SID = "SM0123456789abcdef0123456789abcdef"


@tagged("post_install", "-at_install")
class TestSurveySending(ReportsCase, TransactionCase):
    """Surveys are queued when a ticket is solved and sent by the scheduled job through the customer's channel."""

    def surveys(self, ticket):
        return self.env["cc.survey"].search([("ticket_id", "=", ticket.id)], order="id")

    def sms_ticket(self):
        """Frank's ticket, opened by an SMS he sent from +32470000006."""
        ticket = self.ticket(self.frank, self.team_b, self.bob, self.sms)
        self.contact(
            self.sms,
            at(2, 9),
            "done",
            self.team_b,
            self.bob,
            self.frank,
            address="+32470000006",
            ticket_id=ticket.id,
            body="My router is down",
            wait_seconds=5,
            talk_seconds=60,
        )
        return ticket

    def test_queued_once_when_solved(self):
        ticket = self.ticket(self.carl, self.team_a, self.alice, self.voice)
        self.assertFalse(self.surveys(ticket))
        self.solve(ticket, at(2, 12))
        survey = self.surveys(ticket)
        self.assertRecordValues(
            survey,
            [
                {
                    "kind": "csat",
                    "state": "queued",
                    "partner_id": self.carl.id,
                    "company_id": self.company.id,
                    "channel_type": "email",  # a phone call cannot carry a link: the survey goes by email
                    "interaction_id": False,
                    "expires_at": at(16, 12),  # valid 14 days
                }
            ],
        )
        # Reopened and solved again: still one survey.
        ticket.stage_id = self.stage_new
        self.solve(ticket, at(3, 12))
        self.assertEqual(self.surveys(ticket), survey)
        # No customer, no survey.
        anonymous = self.ticket(None, self.team_a)
        self.solve(anonymous, at(3, 12))
        self.assertFalse(self.surveys(anonymous))

    def test_nps_as_well_when_the_company_asks(self):
        self.company.cc_survey_nps = True
        ticket = self.sms_ticket()
        self.solve(ticket, at(2, 12))
        self.assertEqual(self.surveys(ticket).mapped("kind"), ["csat", "nps"])
        self.assertEqual(self.surveys(ticket).mapped("channel_type"), ["sms", "sms"])

    def test_sent_by_email_with_the_link(self):
        ticket = self.ticket(self.carl, self.team_a, self.alice, self.voice)
        self.solve(ticket, at(2, 12))
        survey = self.surveys(ticket)
        with freeze_time(at(2, 12, 5)):
            self.env["cc.survey"]._cron_send()
        self.assertRecordValues(survey, [{"state": "sent", "sent_at": at(2, 12, 5)}])
        message = ticket.message_ids.filtered(lambda m: f"/cc/survey/{survey.token}" in str(m.body))
        self.assertEqual(len(message), 1, "the link is posted to the customer on the ticket")
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn(self.carl, message.partner_ids)
        self.assertIn(ticket.number, str(message.body))
        self.assertTrue(survey.url.endswith(f"/cc/survey/{survey.token}"))
        # Nothing went out through a messaging channel.
        self.assertFalse(
            self.env["cc.interaction"].search([("ticket_id", "=", ticket.id), ("direction", "=", "outbound")])
        )

    def test_sent_by_sms_through_twilio(self):
        twilio = FakeProvider([(201, {"sid": TWILIO_SID, "status": "queued"})])
        self.addCleanup(twilio.stop)
        self.sms.api_base_url = twilio.url
        ticket = self.sms_ticket()
        self.solve(ticket, at(2, 12))
        survey = self.surveys(ticket)
        self.assertEqual((survey.channel_type, survey.interaction_id.address), ("sms", "+32470000006"))

        with freeze_time(at(2, 12, 5)):
            self.env["cc.survey"]._cron_send()

        self.assertEqual(len(twilio.requests), 1)
        path, form = twilio.requests[0].path, twilio.requests[0].form()
        self.assertEqual(path, "/2010-04-01/Accounts/AC123/Messages.json")
        self.assertEqual((form["To"], form["From"]), ("+32470000006", "+3225550000"))
        self.assertIn(f"/cc/survey/{survey.token}", form["Body"])
        self.assertIn(survey.url, form["Body"])
        self.assertIn(ticket.number, form["Body"])
        self.assertRecordValues(survey, [{"state": "sent", "sent_at": at(2, 12, 5)}])
        outbound = self.env["cc.interaction"].search([("ticket_id", "=", ticket.id), ("direction", "=", "outbound")])
        self.assertRecordValues(
            outbound,
            [
                {
                    "channel_id": self.sms.id,
                    "external_id": TWILIO_SID,
                    "state": "done",
                    "delivery_status": "sent",
                    "address": "+32470000006",
                    "partner_id": self.frank.id,
                }
            ],
        )
        self.assertFalse(ticket.message_ids.filtered(lambda m: survey.token in str(m.body)), "not by email too")
        # The job ran: nothing left to send.
        self.env["cc.survey"]._cron_send()
        self.assertEqual(len(twilio.requests), 1)

    def test_expired_by_the_job(self):
        ticket = self.ticket(self.carl, self.team_a, self.alice, self.voice)
        survey = self.env["cc.survey"].create(
            {
                "ticket_id": ticket.id,
                "partner_id": self.carl.id,
                "state": "sent",
                "sent_at": at(2),
                "expires_at": at(16),
            }
        )
        with freeze_time(at(15)):
            self.env["cc.survey"]._cron_send()
        self.assertEqual(survey.state, "sent")
        with freeze_time(at(16, 0, 0, 1)):
            self.env["cc.survey"]._cron_send()
        self.assertEqual(survey.state, "expired")

    def answer(self, survey, score, comment="", when=None):
        with freeze_time(when or at(3, 9)):
            survey.answer(score, comment)

    def test_answer_is_stored_noted_and_in_the_timeline(self):
        ticket = self.ticket(self.carl, self.team_a, self.alice, self.voice)
        self.solve(ticket, at(2, 12))
        survey = self.surveys(ticket)
        self.answer(survey, 4, "  Quick and kind  ")
        self.assertRecordValues(
            survey, [{"state": "answered", "score": 4, "comment": "Quick and kind", "answered_at": at(3, 9)}]
        )
        note = ticket.message_ids.filtered(lambda m: "answered the CSAT survey" in str(m.body))
        self.assertEqual(len(note), 1)
        self.assertIn("4", str(note.body))
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.env.flush_all()  # the timeline is a SQL view over the sources
        items = self.env["cc.timeline.item"].search([("partner_id", "=", self.carl.id), ("kind", "=", "survey")])
        self.assertRecordValues(
            items,
            [
                {
                    "date": at(3, 9),
                    "title": "CSAT 4",
                    "summary": "Quick and kind",
                    "res_model": "cc.survey",
                    "res_id": survey.id,
                }
            ],
        )
        page = self.env["cc.timeline.item"].timeline_page(self.carl.id, kinds=["survey"])
        self.assertEqual([item["title"] for item in page["items"]], ["CSAT 4"])
        self.assertFalse(ticket.activity_ids, "a good score needs no call back")

    def test_timeline_shows_surveys_to_who_may_read_them(self):
        """cc_reports adds the survey branch to cc_omnichannel's timeline: its items follow cc.survey's access."""
        ticket = self.ticket(self.carl, self.team_a, self.alice, self.voice)
        self.solve(ticket, at(2, 12))
        self.answer(self.surveys(ticket), 5, "Great")
        rep = new_test_user(self.env, "ccr_rep", groups="sales_team.group_sale_salesman")  # no access to surveys
        other_company = self.env["res.company"].create({"name": "Other Telecom"})
        foreign_agent = new_test_user(
            self.env,
            "ccr_foreign",
            groups="cc_omnichannel.group_cc_agent",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        Item = self.env["cc.timeline.item"]

        def surveys_seen(user):
            page = Item.with_user(user).timeline_page(self.carl.id, whole_company=True)
            searched = Item.with_user(user).search_read([("partner_id", "=", self.carl.id), ("kind", "=", "survey")])
            return [i["title"] for i in page["items"] if i["kind"] == "survey"], [i["title"] for i in searched]

        self.assertEqual(surveys_seen(self.alice), (["CSAT 5"], ["CSAT 5"]))
        self.assertEqual(surveys_seen(rep), ([], []))
        self.assertEqual(surveys_seen(foreign_agent), ([], []))

    def test_low_score_gives_the_team_leader_a_todo(self):
        ticket = self.ticket(self.carl, self.team_a, self.alice, self.voice)
        self.solve(ticket, at(2, 12))
        self.answer(self.surveys(ticket), 2, "Nobody called back")
        self.assertEqual(len(ticket.activity_ids), 1)
        self.assertEqual(ticket.activity_ids.user_id, self.sam, "Sam leads team A")
        self.assertEqual(ticket.activity_ids.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        # Team B has no leader: the ticket's agent gets it.
        self.company.cc_survey_nps = True
        other = self.sms_ticket()
        self.solve(other, at(2, 12))
        nps = self.surveys(other).filtered(lambda s: s.kind == "nps")
        self.answer(nps, 6)  # a detractor
        self.assertEqual(other.activity_ids.user_id, self.bob)

    def test_scores_off_the_scale_are_refused(self):
        ticket = self.ticket(self.carl, self.team_a, self.alice, self.voice)
        self.solve(ticket, at(2, 12))
        survey = self.surveys(ticket)
        for score in (0, 6, -1):
            with self.subTest(score=score), self.assertRaises(ValidationError):
                survey.answer(score)
        self.assertRecordValues(survey, [{"state": "queued", "score": 0, "answered_at": False}])

    def test_good_rating_can_prompt_an_upsell(self):
        self.env["cc.upsell.rule"].create({"name": "Fans", "trigger": "rating", "offer": "Premium support"})
        ticket = self.ticket(self.anna, self.team_a, self.alice, self.voice)
        self.solve(ticket, at(2, 12))
        self.answer(self.surveys(ticket), 5)
        flag = self.env["cc.upsell.flag"].search([("partner_id", "=", self.acme.id)])
        self.assertRecordValues(flag, [{"offer": "Premium support", "state": "open", "ticket_id": ticket.id}])


@tagged("post_install", "-at_install")
class TestSurveyPage(ReportsCase, HttpCase):
    """The public page a survey link opens: one answer per token, until it expires."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_ticket = cls.ticket(cls.carl, cls.team_a, cls.alice, cls.voice)

    def survey(self, kind="csat", **vals):
        return self.env["cc.survey"].create(
            {
                "kind": kind,
                "ticket_id": self.customer_ticket.id,
                "partner_id": self.carl.id,
                "state": "sent",
                "sent_at": fields.Datetime.now(),
                **vals,
            }
        )

    def path(self, survey):
        return f"/cc/survey/{survey.token}"

    def csrf_token(self, response):
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        self.assertTrue(match, "the page has a form with a CSRF token")
        return match[1]

    def submit(self, survey, **data):
        """Open the page, then post the form with the page's CSRF token, in the same session."""
        page = self.url_open(self.path(survey))
        self.assertEqual(page.status_code, 200)
        return self.url_open(self.path(survey), data={"csrf_token": self.csrf_token(page), **data})

    def test_page_shows_the_question(self):
        survey = self.survey()
        response = self.url_open(self.path(survey))
        self.assertEqual(response.status_code, 200)
        self.assertIn("How satisfied are you", response.text)
        self.assertIn(self.customer_ticket.number, response.text)
        self.assertEqual(re.findall(r'name="score"[^>]*value="(\d+)"', response.text), ["1", "2", "3", "4", "5"])
        nps = self.url_open(self.path(self.survey("nps")))
        self.assertIn("How likely are you to recommend us", nps.text)
        self.assertEqual(len(re.findall(r'name="score"', nps.text)), 11)

    def test_valid_answer_then_reused_token(self):
        survey = self.survey()
        csrf_token = self.csrf_token(self.url_open(self.path(survey)))
        response = self.url_open(
            self.path(survey), data={"csrf_token": csrf_token, "score": "4", "comment": "Quick and kind"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        survey.invalidate_recordset()
        self.assertRecordValues(survey, [{"state": "answered", "score": 4, "comment": "Quick and kind"}])
        self.assertTrue(survey.answered_at)

        # The same form posted again (a second tab, the back button): refused.
        response = self.url_open(
            self.path(survey), data={"csrf_token": csrf_token, "score": "1", "comment": "Changed my mind"}
        )
        self.assertEqual(response.status_code, 409)
        self.assertIn("already answered", response.text)
        survey.invalidate_recordset()
        self.assertRecordValues(survey, [{"state": "answered", "score": 4, "comment": "Quick and kind"}])
        # The page of an answered survey no longer has a form.
        page = self.url_open(self.path(survey))
        self.assertIn("already answered", page.text)
        self.assertNotIn('name="score"', page.text)

    def test_nps_bounds(self):
        survey = self.survey("nps")
        response = self.submit(survey, score="0")
        self.assertEqual(response.status_code, 200)
        survey.invalidate_recordset()
        self.assertRecordValues(survey, [{"state": "answered", "score": 0}])
        other = self.survey("nps")
        response = self.submit(other, score="11")
        self.assertEqual(response.status_code, 400)
        self.assertIn("The score must be between 0 and 10.", response.text)

    def test_expired_token(self):
        survey = self.survey(expires_at=fields.Datetime.now() - timedelta(minutes=1))
        page = self.url_open(self.path(survey))
        self.assertIn("This survey has expired.", page.text)
        self.assertNotIn('name="score"', page.text)
        other = self.survey(expires_at=fields.Datetime.now() + timedelta(days=1))
        page = self.url_open(self.path(other))
        token = self.csrf_token(page)
        other.expires_at = fields.Datetime.now() - timedelta(seconds=1)  # expires while the page is open
        response = self.url_open(self.path(other), data={"csrf_token": token, "score": "5"})
        self.assertEqual(response.status_code, 410)
        self.assertIn("This survey has expired.", response.text)
        other.invalidate_recordset()
        self.assertRecordValues(other, [{"state": "expired", "score": 0, "answered_at": False}])

    def test_out_of_range_score(self):
        survey = self.survey()
        response = self.submit(survey, score="7", comment="Great")
        self.assertEqual(response.status_code, 400)
        self.assertIn("The score must be between 1 and 5.", response.text)
        self.assertIn("Great", response.text, "the comment is kept in the form")
        survey.invalidate_recordset()
        self.assertRecordValues(survey, [{"state": "sent", "score": 0, "comment": False, "answered_at": False}])
        # The customer can still answer.
        self.assertEqual(self.submit(survey, score="5").status_code, 200)

    def test_garbage(self):
        survey = self.survey()
        for data in ({"score": "abc"}, {}, {"score": ""}, {"score": "4.5"}, {"score": "'; DROP TABLE cc_survey"}):
            with self.subTest(data=data):
                response = self.submit(survey, **data)
                self.assertEqual(response.status_code, 400)
                self.assertIn("Choose a score.", response.text)
        survey.invalidate_recordset()
        self.assertRecordValues(survey, [{"state": "sent", "score": 0, "answered_at": False}])

    @mute_logger("odoo.http")
    def test_post_without_csrf_token_is_refused(self):
        survey = self.survey()
        response = self.url_open(self.path(survey), data={"score": "5"})
        self.assertEqual(response.status_code, 400)
        survey.invalidate_recordset()
        self.assertEqual(survey.state, "sent")

    def test_unknown_token(self):
        response = self.url_open("/cc/survey/not-a-token")
        self.assertEqual(response.status_code, 404)
        self.assertIn("This survey link is not valid.", response.text)
        page = self.url_open(self.path(self.survey()))
        response = self.url_open("/cc/survey/not-a-token", data={"csrf_token": self.csrf_token(page), "score": "5"})
        self.assertEqual(response.status_code, 404)
