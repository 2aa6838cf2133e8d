from odoo.tests import tagged

from odoo.addons.queue_job.job import Job

from .common import WebhookCase, twilio_sms


@tagged("post_install", "-at_install")
class TestWebhookQueue(WebhookCase):
    """The provider is answered once its payload is stored; a queue job does the rest."""

    def test_answered_before_processing_then_processed_by_its_job(self):
        jobs = self.job_counter()
        response = self.post_twilio(self.sms, twilio_sms("SMQ01", "+32470123456", "Where is my order?"), process=False)

        self.assertEqual(response.status_code, 200)
        event = self.events(self.sms)
        self.assertEqual(event.state, "received")
        self.assertFalse(self.interactions(self.sms), "nothing is processed before the job runs")
        job = jobs.search_created()
        self.assertEqual(len(job), 1)
        self.assertEqual((job.state, job.channel, job.method_name), ("pending", "root.cc_inbound", "_process_queued"))
        self.assertEqual(job.records, event)

        self.perform_jobs(jobs)

        self.assertEqual(event.state, "processed")
        self.assertEqual(self.interactions(self.sms).ticket_id.name, "Where is my order?")

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
        self.perform_jobs(jobs)
        self.assertEqual(event.state, "processed")
        self.assertEqual(self.interactions(branch_sms).body, "Bonjour")

    def test_refused_requests_queue_nothing(self):
        jobs = self.job_counter()
        forged = self.post_twilio(self.sms, twilio_sms("SMQ02", "+32470123456", "hi"), signature="Zm9yZ2Vk")
        malformed = self.post_twilio(self.sms, {"From": "+32470123456", "Body": "no id"})

        self.assertEqual([forged.status_code, malformed.status_code], [403, 400])
        self.assertEqual(jobs.count_created(), 0)

    def test_job_that_gives_up_leaves_the_payload_failed_for_supervisors(self):
        jobs = self.job_counter()
        self.post_twilio(self.sms, twilio_sms("SMQ03", "+32470123456", "hello"), process=False)
        job = Job.load(self.env, jobs.search_created().uuid)

        # What queue_job's runner calls once a job will not be retried any more.
        job.on_fail({"exc_name": "FailedJobError", "exc_message": "Max. retries (5) reached: deadlock detected"})

        event = self.events(self.sms)
        self.assertEqual(event.state, "failed")
        self.assertEqual(event.error, "FailedJobError: Max. retries (5) reached: deadlock detected")
