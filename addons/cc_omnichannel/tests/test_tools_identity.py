from odoo.tests import tagged
from odoo.tests.common import BaseCase

from odoo.addons.cc_omnichannel.tools.identity import normalize_email, normalize_identity, normalize_phone


@tagged("cc_omnichannel_tools")
class TestNormalizePhone(BaseCase):
    def test_national_formats_with_region(self):
        cases = [
            ("0470 12 34 56", "BE", "+32470123456"),
            ("0470/12.34.56", "be", "+32470123456"),
            ("(415) 555-0100", "US", "+14155550100"),
            ("415.555.0100", "US", "+14155550100"),
            ("06 12 34 56 78", "FR", "+33612345678"),
            ("020 7946 0958", "GB", "+442079460958"),
        ]
        for value, region, expected in cases:
            with self.subTest(value=value, region=region):
                self.assertEqual(normalize_phone(value, region), expected)

    def test_international_formats_ignore_region(self):
        cases = [
            ("+32 470 12 34 56", None),
            ("+32 (0)470 12 34 56", "US"),
            ("0032 470 12 34 56", "BE"),
            ("whatsapp:+32470123456", None),
            ("WhatsApp:+32470123456", "FR"),
            ("tel:+32-470-12-34-56", None),
            ("  +32470123456  ", None),
        ]
        for value, region in cases:
            with self.subTest(value=value, region=region):
                self.assertEqual(normalize_phone(value, region), "+32470123456")

    def test_wa_id(self):
        self.assertEqual(normalize_phone("14155550100", None, assume_international=True), "+14155550100")
        self.assertEqual(normalize_phone("14155550100", "BE", assume_international=True), "+14155550100")
        prefixed = normalize_phone("whatsapp:32470123456", "BE", assume_international=True)
        self.assertEqual(prefixed, "+32470123456")
        # Read nationally, German numbering would turn this wa_id into +494915112345678.
        self.assertEqual(normalize_phone("4915112345678", "DE", assume_international=True), "+4915112345678")
        self.assertEqual(normalize_phone("4915112345678", "DE"), "+494915112345678")

    def test_assume_international_still_reads_national_numbers(self):
        self.assertEqual(normalize_phone("0470123456", "BE", assume_international=True), "+32470123456")
        self.assertEqual(normalize_phone("0470 12 34 56", "BE", assume_international=True), "+32470123456")

    def test_wa_id_without_flag_is_not_international(self):
        self.assertIsNone(normalize_phone("14155550100", None))
        self.assertIsNone(normalize_phone("14155550100", "BE"))

    def test_invalid(self):
        cases = [
            ("", "BE"),
            ("   ", "BE"),
            ("whatsapp:", None),
            ("0470 12 34 56", None),  # national without a region
            ("12", "BE"),
            ("0470 12 34", "BE"),  # too short
            ("+32 470 12 34 56 78 90", None),  # too long
            ("+999 123 456 789", None),  # no such country code
            ("not a number", "US"),
            ("1234567", None),
            ("1234", "US"),
        ]
        for value, region in cases:
            with self.subTest(value=value, region=region):
                self.assertIsNone(normalize_phone(value, region))
                self.assertIsNone(normalize_phone(value, region, assume_international=True))
        self.assertIsNone(normalize_phone(None, "BE"))


@tagged("cc_omnichannel_tools")
class TestNormalizeEmail(BaseCase):
    def test_valid(self):
        cases = [
            ("ann.lee@example.com", "ann.lee@example.com"),
            ("  Ann.Lee@Example.COM ", "ann.lee@example.com"),
            ("Ann Lee <Ann.Lee@Example.com>", "ann.lee@example.com"),
            ('"Lee, Ann" <ann@example.com>', "ann@example.com"),
            ("<ann@example.com>", "ann@example.com"),
        ]
        for value, expected in cases:
            with self.subTest(value):
                self.assertEqual(normalize_email(value), expected)

    def test_invalid(self):
        for value in ("", "   ", "ann", "Ann Lee", "ann@", "@example.com", "Ann <>", None):
            with self.subTest(value):
                self.assertIsNone(normalize_email(value))


@tagged("cc_omnichannel_tools")
class TestNormalizeIdentity(BaseCase):
    def test_dispatch(self):
        cases = [
            ("phone", "0470 12 34 56", "+32470123456"),
            ("phone", "14155550100", None),  # a phone number is national unless it has a '+'
            ("whatsapp", "14155550100", "+14155550100"),
            ("whatsapp", "whatsapp:+32470123456", "+32470123456"),
            ("email", "Ann <ANN@example.com>", "ann@example.com"),
            ("telegram", " 1111111 ", "1111111"),
            ("facebook", "7029381870478437", "7029381870478437"),
            ("instagram", "1254459154682919\n", "1254459154682919"),
            ("other", " client:agent_ana ", "client:agent_ana"),
            ("telegram", "   ", None),
            ("email", "nobody", None),
        ]
        for kind, value, expected in cases:
            with self.subTest(kind=kind, value=value):
                self.assertEqual(normalize_identity(kind, value, "BE"), expected)

    def test_odoo_empty_values(self):
        for kind in ("phone", "whatsapp", "email", "telegram", "facebook", "instagram", "other"):
            with self.subTest(kind):
                self.assertIsNone(normalize_identity(kind, False, False))
                self.assertIsNone(normalize_identity(kind, None, None))
        self.assertEqual(normalize_identity("phone", "+32470123456", False), "+32470123456")
        self.assertEqual(normalize_identity("telegram", 1111111, None), "1111111")

    def test_unknown_kind(self):
        with self.assertRaises(ValueError):
            normalize_identity("fax", "+32470123456", "BE")
