from odoo.exceptions import ConcurrencyError
from odoo.tests import tagged

from odoo.addons.cc_omnichannel.models.cc_channel import PAYLOADS_PER_JOB
from odoo.addons.cc_omnichannel.models.cc_webhook_event import MAX_ATTEMPTS

from .common import WebhookCase, twilio_sms


@tagged("post_install", "-at_install")
class TestWebhookQueue(WebhookCase):
    """The provider is answered once its payload is stored; the channel's queue job does the rest."""

    def test_answered_before_processing_then_processed_by_the_channel_job(self):
        jobs = self.job_counter()
        first = self.post_twilio(self.sms, twilio_sms("SMQ01", "+32470123456", "Where is my order?"), process=False)
        second = self.post_twilio(self.sms, twilio_sms("SMQ02", "+32470999888", "Is the shop open?"), process=False)

        self.assertEqual([first.status_code, second.status_code], [200, 200])
        events = self.events(self.sms)
        self.assertEqual(events.mapped("state"), ["received", "received"])
        self.assertFalse(self.interactions(self.sms), "nothing is processed before the job runs")
        job = jobs.search_created()
        self.assertEqual(len(job), 1, "one job per channel waits for every payload received meanwhile")
        self.assertEqual(
            (job.state, job.channel, job.method_name), ("pending", "root.cc_inbound", "_process_received_payloads")
        )
        self.assertEqual(job.records, self.sms)

        self.run_payload_jobs()

        self.assertEqual(events.mapped("state"), ["processed", "processed"])
        self.assertEqual(
            self.interactions(self.sms).ticket_id.mapped("name"), ["Where is my order?", "Is the shop open?"]
        )

    def test_a_payload_after_the_job_ran_gets_a_new_job(self):
        self.post_twilio(self.sms, twilio_sms("SMQ05", "+32470123456", "Hello"))
        jobs = self.job_counter()

        self.post_twilio(self.sms, twilio_sms("SMQ06", "+32470123456", "Anyone there?"), process=False)

        self.assertEqual(len(jobs.search_created()), 1)
        self.run_payload_jobs()
        self.assertEqual(self.events(self.sms).mapped("state"), ["processed", "processed"])

    def test_a_job_takes_a_batch_and_queues_the_rest(self):
        for index in range(PAYLOADS_PER_JOB + 1):
            self.post_twilio(self.sms, twilio_sms(f"SMB{index:02d}", f"+324701000{index:02d}", "Hi"), process=False)
        job = self.waiting_payload_jobs()
        self.assertEqual(len(job), 1)

        self.env["cc.channel"].browse(self.sms.id)._process_received_payloads()

        states = self.events(self.sms).mapped("state")
        self.assertEqual(states.count("processed"), PAYLOADS_PER_JOB)
        self.assertEqual(states[-1], "received", "the newest payload waits for the next job")
        self.assertEqual(len(self.waiting_payload_jobs()), 1, "the waiting job takes the rest: no second one")

    def test_payload_and_job_belong_to_the_channel_company(self):
        branch = self.env["res.company"].create({"name": "Branch Office", "country_id": self.env.ref("base.be").id})
        branch_sms = self.sms.copy(
            {"name": "Branch SMS", "company_id": branch.id, "team_id": False, "signing_secret": "branch-token"}
        )
        jobs = self.job_counter()

        self.post_twilio(branch_sms, twilio_sms("SMQ04", "+32470123456", "Bonjour"), process=False)

        event = self.events(branch_sms)
        self.assertEqual(event.company_id, branch)
        self.assertEqual(jobs.search_created().company_id, branch, "the job runs in the channel's company")
        self.run_payload_jobs()
        self.assertEqual(event.state, "processed")
        self.assertEqual(self.interactions(branch_sms).body, "Bonjour")

    def test_refused_requests_queue_nothing(self):
        jobs = self.job_counter()
        forged = self.post_twilio(self.sms, twilio_sms("SMQ02", "+32470123456", "hi"), signature="Zm9yZ2Vk")
        malformed = self.post_twilio(self.sms, {"From": "+32470123456", "Body": "no id"})

        self.assertEqual([forged.status_code, malformed.status_code], [403, 400])
        self.assertEqual(jobs.count_created(), 0)

    def test_a_payload_that_keeps_conflicting_ends_failed_for_supervisors(self):
        self.post_twilio(self.sms, twilio_sms("SMQ03", "+32470123456", "hello"), process=False)
        event = self.events(self.sms)
        conflict = ConcurrencyError("could not serialize access due to concurrent update")

        for _attempt in range(MAX_ATTEMPTS - 1):
            event._note_conflict(conflict)
        self.assertEqual((event.state, event.attempts), ("received", MAX_ATTEMPTS - 1), "still waiting for a job")
        event._note_conflict(conflict)

        self.assertEqual(event.state, "failed")
        self.assertIn("could not serialize access", event.error)
        self.assertEqual(event.action_replay(), True)
        self.assertEqual(event.state, "processed", "a supervisor's replay processes it")

    def test_payloads_left_waiting_are_queued_again_by_the_cron(self):
        self.post_twilio(self.sms, twilio_sms("SMQ07", "+32470123456", "hello"), process=False)
        self.waiting_payload_jobs().unlink()  # the job was lost
        event = self.events(self.sms)
        self.env["cc.channel"]._cron_queue_stranded_payloads()
        self.assertFalse(self.waiting_payload_jobs(), "a payload received a moment ago still has its job coming")

        self.env.cr.execute("UPDATE cc_webhook_event SET received_at = received_at - interval '2 minutes'")
        self.env["cc.channel"]._cron_queue_stranded_payloads()

        self.assertEqual(self.waiting_payload_jobs().records, self.sms)
        self.run_payload_jobs()
        self.assertEqual(event.state, "processed")
