from odoo.tests import tagged
from odoo.tests.common import BaseCase

from odoo.addons.cc_omnichannel.tools.upsell import CompiledRule, contact_windows, keyword_pattern


def rule(rule_id=1, channels=(), keywords="", min_contacts=0, window_days=30):
    return CompiledRule(
        id=rule_id,
        channel_codes=frozenset(channels),
        pattern=keyword_pattern(keywords),
        min_contacts=min_contacts,
        window_days=window_days,
        cooldown_days=30,
    )


@tagged("cc_omnichannel_tools")
class TestUpsellRules(BaseCase):
    def test_keywords_are_whole_words_in_any_case(self):
        fiber = rule(keywords="fiber, speed test,  ")
        self.assertTrue(fiber.matches_message("sms", "Is FIBER available here?"))
        self.assertTrue(fiber.matches_message("sms", "I ran a speed test"))
        self.assertFalse(fiber.matches_message("sms", "fibers and speed tests"), "whole words only")
        self.assertFalse(fiber.matches_message("sms", None))
        self.assertIsNone(keyword_pattern(" , "), "no word: any message")
        self.assertTrue(rule().matches_message("sms", ""))

    def test_channels_limit_contacts_not_tickets_or_ratings(self):
        sms_only = rule(channels={"sms", "whatsapp"})
        self.assertTrue(sms_only.matches_message("whatsapp", "hi"))
        self.assertFalse(sms_only.matches_message("voice", "hi"))
        self.assertTrue(sms_only.matches_message(None, ""), "a solved ticket or a rating is on no channel")
        self.assertFalse(rule(channels={"sms"}, keywords="fiber").matches_message(None, ""), "no message, no word")

    def test_minimum_contacts_within_the_rule_window(self):
        loyal = rule(min_contacts=3, window_days=7)
        self.assertTrue(loyal.matches_contacts({7: 3, 30: 9}))
        self.assertFalse(loyal.matches_contacts({7: 2, 30: 9}), "the 30-day count is another rule's")
        self.assertFalse(loyal.matches_contacts({}))
        self.assertTrue(rule().matches_contacts({}), "no minimum")

    def test_windows_counted_only_for_rules_with_a_minimum(self):
        rules = [
            rule(1, min_contacts=2, window_days=14),
            rule(2, window_days=90),
            rule(3, min_contacts=5, window_days=7),
        ]
        self.assertEqual(contact_windows(rules), [7, 14])
        self.assertEqual(contact_windows([rule(window_days=30)]), [])
