"""Webhook signature checks for the providers we accept traffic from.

Every ``verify_*`` function returns False, and never raises, when the header or the configured
secret is missing or empty, and compares digests in constant time.
"""

import base64
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import parse_qs, urlparse

TWILIO_HMAC_SHA1 = "HMAC_SHA1"
TWILIO_HMAC_SHA256 = "HMAC_SHA256"
_TWILIO_HASHES = {TWILIO_HMAC_SHA1: hashlib.sha1, TWILIO_HMAC_SHA256: hashlib.sha256}


def _same(expected: str, received: str) -> bool:
    # compare_digest on str only accepts ASCII; comparing UTF-8 bytes keeps a hostile
    # non-ASCII header from raising instead of failing.
    return hmac.compare_digest(expected.encode(), received.encode())


def _hmac_sha256_header(raw_body: bytes, key: str) -> str:
    return "sha256=" + hmac.new(key.encode(), raw_body, hashlib.sha256).hexdigest()


# --- Twilio -----------------------------------------------------------------------------------


def _param_values(params: Mapping, name: str) -> list[str]:
    getlist = getattr(params, "getlist", None)  # werkzeug MultiDict (request.httprequest.form)
    if getlist is not None:
        return getlist(name)
    value = params[name]
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def twilio_signature(
    url: str,
    params: Mapping[str, str | list[str]] | None,
    auth_token: str,
    *,
    algorithm: str = TWILIO_HMAC_SHA1,
) -> str:
    """Return the X-Twilio-Signature Twilio computes for a request.

    The signed string is the full URL followed by, for each POST parameter name in sorted order,
    the name and each of its distinct values in sorted order. It is signed with HMAC-SHA1 (or
    HMAC-SHA256 for a Webhooks Rule with a SharedKey) and base64-encoded, exactly as
    ``twilio.request_validator.RequestValidator.compute_signature`` does.

    ``params`` may be a plain dict (a list value stands for a repeated name) or a werkzeug
    MultiDict. Raises ValueError for an unknown algorithm.
    """
    hash_function = _TWILIO_HASHES.get((algorithm or TWILIO_HMAC_SHA1).upper())
    if hash_function is None:
        raise ValueError(f"unsupported Twilio signature algorithm: {algorithm}")
    signed = url
    for name in sorted(set(params or {})):
        for value in sorted(set(_param_values(params, name))):
            signed += name + value
    digest = hmac.new(auth_token.encode(), signed.encode(), hash_function).digest()
    return base64.b64encode(digest).decode()


def twilio_signature_algorithm(signature_settings_header: str | None) -> str:
    """Return the algorithm named in an X-Twilio-Webhooks-Signature-Settings header.

    The header (``key=<id>,algorithm=HMAC_SHA256``) is only sent when a Webhooks Rule signs
    with a SharedKey; without it Twilio signs with the Auth Token and HMAC-SHA1.
    """
    for part in (signature_settings_header or "").split(","):
        name, separator, value = part.partition("=")
        if separator and name.strip() == "algorithm" and value.strip():
            return value.strip()
    return TWILIO_HMAC_SHA1


def _url_with_and_without_port(url: str) -> tuple[str, str]:
    # Twilio's own validator accepts both forms because Twilio does not sign consistently
    # with or without the standard port.
    parsed = urlparse(url)
    if parsed.port:  # raises ValueError on a malformed port
        host = parsed.netloc.rsplit(":", 1)[0]
        return url, parsed._replace(netloc=host).geturl()
    default_port = 443 if parsed.scheme == "https" else 80
    return parsed._replace(netloc=f"{parsed.netloc}:{default_port}").geturl(), url


def verify_twilio(
    url: str,
    params: Mapping[str, str | list[str]] | None,
    auth_token: str,
    signature_header: str | None,
    *,
    algorithm: str = TWILIO_HMAC_SHA1,
) -> bool:
    """Tell whether ``signature_header`` is Twilio's signature of this request.

    ``url`` is the full URL Twilio requested, query string included; it matches with or
    without an explicit port, as Twilio's RequestValidator accepts. For a JSON body, pass
    empty ``params`` and also check :func:`twilio_body_sha256_ok` (or use
    :func:`verify_twilio_json`).
    """
    if not auth_token or not signature_header or not url:
        return False
    if (algorithm or TWILIO_HMAC_SHA1).upper() not in _TWILIO_HASHES:
        return False
    try:
        variants = _url_with_and_without_port(url)
        signatures = [twilio_signature(each, params, auth_token, algorithm=algorithm) for each in variants]
    except (ValueError, TypeError, KeyError):
        return False
    # Evaluate both comparisons so the time taken does not depend on which one matched.
    matches = [_same(signature, signature_header) for signature in signatures]
    return any(matches)


def twilio_body_sha256_ok(url: str, body_bytes: bytes) -> bool:
    """Tell whether the ``bodySHA256`` query parameter of ``url`` is the SHA-256 of the body.

    Twilio adds that parameter to the URL of requests with a JSON body and signs the URL
    alone. False when the URL carries no ``bodySHA256``.
    """
    try:
        expected = parse_qs(urlparse(url).query).get("bodySHA256", [""])[0]
    except ValueError:
        return False
    if not expected:
        return False
    return _same(hashlib.sha256(body_bytes).hexdigest(), expected)


def verify_twilio_json(
    url: str,
    body_bytes: bytes,
    auth_token: str,
    signature_header: str | None,
    *,
    algorithm: str = TWILIO_HMAC_SHA1,
) -> bool:
    """Verify a Twilio request with a JSON body: the body hash in the URL and the URL signature."""
    body_ok = twilio_body_sha256_ok(url, body_bytes)
    signature_ok = verify_twilio(url, {}, auth_token, signature_header, algorithm=algorithm)
    return body_ok and signature_ok


# --- Meta (WhatsApp Cloud API, Messenger, Instagram) ------------------------------------------


def meta_signature(raw_body: bytes, app_secret: str) -> str:
    """Return the X-Hub-Signature-256 value Meta sends: ``sha256=<hex HMAC-SHA256 of the body>``."""
    return _hmac_sha256_header(raw_body, app_secret)


def verify_meta(raw_body: bytes, app_secret: str, header: str | None) -> bool:
    """Tell whether the X-Hub-Signature-256 header matches the raw body and the app secret."""
    if not app_secret or not header:
        return False
    return _same(meta_signature(raw_body, app_secret), header.strip().lower())


def verify_meta_handshake(verify_token: str, received_token: str | None) -> bool:
    """Tell whether the ``hub.verify_token`` of Meta's subscription GET is the one we configured."""
    if not verify_token or not received_token:
        return False
    return _same(verify_token, received_token)


# --- Telegram ---------------------------------------------------------------------------------


def verify_telegram(secret_token: str, header: str | None) -> bool:
    """Tell whether X-Telegram-Bot-Api-Secret-Token equals the secret given to setWebhook."""
    if not secret_token or not header:
        return False
    return _same(secret_token, header)


# --- Our generic JSON webhook -----------------------------------------------------------------


def generic_signature(raw_body: bytes, key: str) -> str:
    """Return the X-CC-Signature value of our generic webhook: ``sha256=<hex HMAC-SHA256>``."""
    return _hmac_sha256_header(raw_body, key)


def verify_generic(raw_body: bytes, key: str, header: str | None) -> bool:
    """Tell whether the X-CC-Signature header matches the raw body and the channel key."""
    if not key or not header:
        return False
    return _same(generic_signature(raw_body, key), header.strip().lower())
