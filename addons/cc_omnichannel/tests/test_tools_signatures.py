import hashlib
import hmac
from urllib.parse import parse_qs, urlencode

from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from odoo.tests import tagged
from odoo.tests.common import BaseCase

from odoo.addons.cc_omnichannel.tools import signatures

# The example of Twilio's security documentation (also used by twilio-python's own tests).
TWILIO_DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_DOC_TOKEN = "12345"
TWILIO_DOC_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}
TWILIO_DOC_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="

SMS_PARAMS = {
    "MessageSid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
    "SmsSid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
    "AccountSid": "AC00000000000000000000000000000000",
    "From": "+14155550100",
    "To": "+14155238886",
    "Body": "Héllo, is the shop open? 😀",
    "NumMedia": "0",
}


@tagged("cc_omnichannel_tools")
class TestTwilioSignature(BaseCase):
    def test_documented_example(self):
        self.assertEqual(
            signatures.twilio_signature(TWILIO_DOC_URL, TWILIO_DOC_PARAMS, TWILIO_DOC_TOKEN),
            TWILIO_DOC_SIGNATURE,
        )
        args = (TWILIO_DOC_URL, TWILIO_DOC_PARAMS, TWILIO_DOC_TOKEN, TWILIO_DOC_SIGNATURE)
        self.assertTrue(signatures.verify_twilio(*args))

    def test_matches_request_validator(self):
        url = "https://cc.example.com/cc/webhook/twilio/sms?channel=3"
        token = "f3a9c1d2e4b5a6978877665544332211"
        expected = RequestValidator(token).compute_signature(url, SMS_PARAMS)
        self.assertEqual(signatures.twilio_signature(url, SMS_PARAMS, token), expected)
        self.assertTrue(signatures.verify_twilio(url, SMS_PARAMS, token, expected))

    def test_repeated_parameters_match_request_validator(self):
        form = MultiDict([("To", "+14155238886"), ("Tag", "b"), ("Tag", "a"), ("Tag", "b"), ("From", "+1")])
        url = "https://cc.example.com/hook"
        expected = RequestValidator("tok").compute_signature(url, form)
        self.assertEqual(signatures.twilio_signature(url, form, "tok"), expected)
        as_dict = {"To": "+14155238886", "Tag": ["b", "a", "b"], "From": "+1"}
        self.assertEqual(signatures.twilio_signature(url, as_dict, "tok"), expected)

    def test_parse_qs_form(self):
        body = urlencode(SMS_PARAMS)
        url = "https://cc.example.com/hook"
        signature = RequestValidator("tok").compute_signature(url, SMS_PARAMS)
        form = parse_qs(body, keep_blank_values=True)
        self.assertTrue(signatures.verify_twilio(url, form, "tok", signature))

    def test_no_params_signs_url_only(self):
        url = "https://cc.example.com/hook?x=1"
        expected = RequestValidator("tok").compute_signature(url, {})
        self.assertEqual(signatures.twilio_signature(url, None, "tok"), expected)
        self.assertEqual(signatures.twilio_signature(url, {}, "tok"), expected)

    def test_url_with_or_without_standard_port(self):
        token = "tok"
        signed_without_port = signatures.twilio_signature("https://cc.example.com/hook", SMS_PARAMS, token)
        signed_with_port = signatures.twilio_signature("https://cc.example.com:443/hook", SMS_PARAMS, token)
        for url in ("https://cc.example.com/hook", "https://cc.example.com:443/hook"):
            for signature in (signed_without_port, signed_with_port):
                with self.subTest(url=url, signature=signature):
                    self.assertTrue(signatures.verify_twilio(url, SMS_PARAMS, token, signature))
                    self.assertTrue(RequestValidator(token).validate(url, SMS_PARAMS, signature))
        http_signature = signatures.twilio_signature("http://cc.example.com:80/hook", SMS_PARAMS, token)
        url = "http://cc.example.com/hook"
        self.assertTrue(signatures.verify_twilio(url, SMS_PARAMS, token, http_signature))

    def test_non_standard_port_is_also_tried_without_port(self):
        # RequestValidator.remove_port drops any port, not only the standard ones.
        token = "tok"
        signature = signatures.twilio_signature("https://cc.example.com/hook", SMS_PARAMS, token)
        url = "https://cc.example.com:8443/hook"
        self.assertTrue(RequestValidator(token).validate(url, SMS_PARAMS, signature))
        self.assertTrue(signatures.verify_twilio(url, SMS_PARAMS, token, signature))

    def test_rejects_tampering_and_missing_values(self):
        url, token = TWILIO_DOC_URL, TWILIO_DOC_TOKEN
        tampered = dict(TWILIO_DOC_PARAMS, Digits="9999")
        cases = {
            "tampered param": (url, tampered, token, TWILIO_DOC_SIGNATURE),
            "extra param": (url, dict(TWILIO_DOC_PARAMS, Extra="1"), token, TWILIO_DOC_SIGNATURE),
            "other url": (url.replace("foo=1", "foo=2"), TWILIO_DOC_PARAMS, token, TWILIO_DOC_SIGNATURE),
            "wrong token": (url, TWILIO_DOC_PARAMS, "54321", TWILIO_DOC_SIGNATURE),
            "empty token": (url, TWILIO_DOC_PARAMS, "", TWILIO_DOC_SIGNATURE),
            "missing header": (url, TWILIO_DOC_PARAMS, token, None),
            "empty header": (url, TWILIO_DOC_PARAMS, token, ""),
            "non-ascii header": (url, TWILIO_DOC_PARAMS, token, "é" * 28),
            "malformed port": (
                "https://cc.example.com:99999999/x",
                TWILIO_DOC_PARAMS,
                token,
                TWILIO_DOC_SIGNATURE,
            ),
        }
        for name, args in cases.items():
            with self.subTest(name):
                self.assertFalse(signatures.verify_twilio(*args))

    def test_hmac_sha256_webhook_rule(self):
        url = "https://cc.example.com/hook"
        expected = RequestValidator("shared").compute_signature(url, SMS_PARAMS, "HMAC_SHA256")
        sha256 = signatures.TWILIO_HMAC_SHA256
        self.assertEqual(signatures.twilio_signature(url, SMS_PARAMS, "shared", algorithm=sha256), expected)
        self.assertTrue(signatures.verify_twilio(url, SMS_PARAMS, "shared", expected, algorithm=sha256))
        self.assertFalse(signatures.verify_twilio(url, SMS_PARAMS, "shared", expected))
        self.assertFalse(signatures.verify_twilio(url, SMS_PARAMS, "shared", expected, algorithm="HMAC_MD5"))
        with self.assertRaises(ValueError):
            signatures.twilio_signature(url, SMS_PARAMS, "shared", algorithm="HMAC_MD5")

    def test_signature_algorithm_header(self):
        header = "key=webhooks_sharedkey_1234,algorithm=HMAC_SHA256"
        self.assertEqual(signatures.twilio_signature_algorithm(header), "HMAC_SHA256")
        self.assertEqual(signatures.twilio_signature_algorithm(None), "HMAC_SHA1")
        self.assertEqual(signatures.twilio_signature_algorithm("key=abc"), "HMAC_SHA1")

    @settings(max_examples=150, deadline=None)
    @given(
        path=st.text(alphabet="abcxyz/-_", max_size=20),
        params=st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=20), max_size=6),
        token=st.text(min_size=1, max_size=40),
    )
    def test_property_matches_request_validator(self, path, params, token):
        url = "https://cc.example.com/" + path
        validator = RequestValidator(token)
        expected = validator.compute_signature(url, params)
        self.assertEqual(signatures.twilio_signature(url, params, token), expected)
        self.assertEqual(
            signatures.verify_twilio(url, params, token, expected), validator.validate(url, params, expected)
        )


@tagged("cc_omnichannel_tools")
class TestTwilioJsonBody(BaseCase):
    body = b'{"property": "value", "boolean": true}'

    def _signed_url(self, body):
        return "https://cc.example.com/hook?bodySHA256=" + hashlib.sha256(body).hexdigest()

    def test_body_hash(self):
        url = self._signed_url(self.body)
        self.assertTrue(signatures.twilio_body_sha256_ok(url, self.body))
        self.assertFalse(signatures.twilio_body_sha256_ok(url, self.body + b" "))
        self.assertFalse(signatures.twilio_body_sha256_ok("https://cc.example.com/hook", self.body))

    def test_verify_json_matches_request_validator(self):
        url = self._signed_url(self.body)
        signature = RequestValidator("tok").compute_signature(url, {})
        self.assertTrue(RequestValidator("tok").validate(url, self.body.decode(), signature))
        self.assertTrue(signatures.verify_twilio_json(url, self.body, "tok", signature))
        self.assertFalse(signatures.verify_twilio_json(url, b'{"property": "other"}', "tok", signature))
        self.assertFalse(signatures.verify_twilio_json(url, self.body, "other", signature))
        self.assertFalse(signatures.verify_twilio_json(url, self.body, "tok", ""))


@tagged("cc_omnichannel_tools")
class TestMetaSignature(BaseCase):
    secret = "6c1f3e0d2b7a4c5e8f9a0b1c2d3e4f50"
    body = b'{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[]}]}'

    def expected(self, body=None, secret=None):
        digest = hmac.new((secret or self.secret).encode(), body or self.body, hashlib.sha256).hexdigest()
        return "sha256=" + digest

    def test_signature(self):
        self.assertEqual(signatures.meta_signature(self.body, self.secret), self.expected())
        self.assertTrue(self.expected().startswith("sha256=") and len(self.expected()) == 7 + 64)

    def test_verify(self):
        self.assertTrue(signatures.verify_meta(self.body, self.secret, self.expected()))
        upper_hex = "sha256=" + self.expected()[len("sha256=") :].upper()
        self.assertTrue(signatures.verify_meta(self.body, self.secret, " " + upper_hex))

    def test_rejects(self):
        cases = {
            "other body": (self.body + b" ", self.secret, self.expected()),
            "other secret": (self.body, "another", self.expected()),
            "sha1 header": (
                self.body,
                self.secret,
                "sha1=" + hmac.new(b"x", self.body, hashlib.sha1).hexdigest(),
            ),
            "hex without prefix": (self.body, self.secret, self.expected()[len("sha256=") :]),
            "missing header": (self.body, self.secret, None),
            "empty header": (self.body, self.secret, ""),
            "empty secret": (self.body, "", signatures.meta_signature(self.body, "")),
            "non-ascii header": (self.body, self.secret, "sha256=é"),
        }
        for name, args in cases.items():
            with self.subTest(name):
                self.assertFalse(signatures.verify_meta(*args))


@tagged("cc_omnichannel_tools")
class TestMetaHandshake(BaseCase):
    def test_verify(self):
        self.assertTrue(signatures.verify_meta_handshake("my-verify-token", "my-verify-token"))

    def test_rejects(self):
        cases = {
            "different": ("my-verify-token", "my-verify-tokem"),
            "missing": ("my-verify-token", None),
            "empty": ("my-verify-token", ""),
            "nothing configured": ("", ""),
            "nothing configured, token sent": ("", "my-verify-token"),
        }
        for name, args in cases.items():
            with self.subTest(name):
                self.assertFalse(signatures.verify_meta_handshake(*args))


@tagged("cc_omnichannel_tools")
class TestTelegramSecret(BaseCase):
    def test_verify(self):
        self.assertTrue(signatures.verify_telegram("s3cr3t_Token-42", "s3cr3t_Token-42"))

    def test_rejects(self):
        cases = {
            "different": ("s3cr3t_Token-42", "s3cr3t_Token-43"),
            "prefix": ("s3cr3t_Token-42", "s3cr3t"),
            "missing header": ("s3cr3t_Token-42", None),
            "empty header": ("s3cr3t_Token-42", ""),
            "no configured secret": ("", ""),
            "no configured secret, header sent": ("", "anything"),
            "non-ascii": ("s3cr3t", "sécret"),
        }
        for name, args in cases.items():
            with self.subTest(name):
                self.assertFalse(signatures.verify_telegram(*args))


@tagged("cc_omnichannel_tools")
class TestGenericSignature(BaseCase):
    key = "channel-key-0001"
    body = b'{"id":"evt-1","type":"message","from":{"phone":"+32470123456"},"body":"Hi"}'

    def test_signature(self):
        expected = "sha256=" + hmac.new(self.key.encode(), self.body, hashlib.sha256).hexdigest()
        self.assertEqual(signatures.generic_signature(self.body, self.key), expected)
        self.assertTrue(signatures.verify_generic(self.body, self.key, expected))

    def test_rejects(self):
        good = signatures.generic_signature(self.body, self.key)
        cases = {
            "other body": (self.body[:-1], self.key, good),
            "other key": (self.body, "channel-key-0002", good),
            "missing header": (self.body, self.key, None),
            "empty header": (self.body, self.key, ""),
            "empty key": (self.body, "", signatures.generic_signature(self.body, "")),
            "garbage": (self.body, self.key, "sha256=not-hex"),
        }
        for name, args in cases.items():
            with self.subTest(name):
                self.assertFalse(signatures.verify_generic(*args))
