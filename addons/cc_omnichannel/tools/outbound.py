"""Send a text message through a provider's HTTP API: the exact request each provider expects, retries.

No ORM here: the caller passes an :class:`OutboundConfig` read from the channel and gets back the
provider's message id, or an :class:`OutboundError` whose message says why, in one line.
"""

import time
from dataclasses import dataclass

import requests

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


class OutboundError(Exception):
    """The message was not accepted by the provider; the text is meant for the agent."""


@dataclass(frozen=True)
class OutboundConfig:
    provider: str  # twilio, meta, telegram
    channel_type: str  # sms, whatsapp, telegram, facebook, instagram
    api_base_url: str  # without trailing slash
    api_account: str = ""  # Twilio account SID
    api_token: str = ""  # Twilio auth token, Meta access token, Telegram bot token
    sender_id: str = ""  # Twilio from number, Meta phone number id
    status_callback_url: str = ""  # where the provider reports delivery (Twilio)


@dataclass(frozen=True)
class OutboundRequest:
    method: str
    url: str
    data: dict | None = None
    json: dict | None = None
    auth: tuple[str, str] | None = None
    headers: dict | None = None


def build_request(config: OutboundConfig, to: str, text: str) -> OutboundRequest:
    """The provider's API call that sends `text` to the customer address `to`."""
    if config.provider == "twilio":
        return _twilio_request(config, to, text)
    if config.provider == "meta" and config.channel_type == "whatsapp":
        return OutboundRequest(
            "POST",
            f"{config.api_base_url}/{config.sender_id}/messages",
            json={
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to.lstrip("+"),
                "type": "text",
                "text": {"preview_url": False, "body": text},
            },
            headers={"Authorization": f"Bearer {config.api_token}"},
        )
    if config.provider == "meta":
        return OutboundRequest(
            "POST",
            f"{config.api_base_url}/me/messages",
            json={"recipient": {"id": to}, "messaging_type": "RESPONSE", "message": {"text": text}},
            headers={"Authorization": f"Bearer {config.api_token}"},
        )
    if config.provider == "telegram":
        return OutboundRequest(
            "POST", f"{config.api_base_url}/bot{config.api_token}/sendMessage", json={"chat_id": to, "text": text}
        )
    raise OutboundError(f"replies cannot be sent through {config.provider}")


def _twilio_request(config, to, text):
    prefix = "whatsapp:" if config.channel_type == "whatsapp" else ""
    sender = config.sender_id if config.sender_id.startswith(prefix) else prefix + config.sender_id
    data = {"To": prefix + to, "From": sender, "Body": text}
    if config.status_callback_url:
        data["StatusCallback"] = config.status_callback_url
    return OutboundRequest(
        "POST",
        f"{config.api_base_url}/2010-04-01/Accounts/{config.api_account}/Messages.json",
        data=data,
        auth=(config.api_account, config.api_token),
    )


def message_id(config: OutboundConfig, answer: dict) -> str:
    """The provider's id of the message it accepted, from its JSON answer."""
    try:
        if config.provider == "twilio":
            return answer["sid"]
        if config.provider == "meta" and config.channel_type == "whatsapp":
            return answer["messages"][0]["id"]
        if config.provider == "meta":
            return answer["message_id"]
        result = answer["result"]
        return f"{result['chat']['id']}:{result['message_id']}"
    except (KeyError, IndexError, TypeError) as error:
        raise OutboundError(f"the provider's answer has no message id ({error!r})") from error


def provider_error(response: requests.Response) -> str:
    """One line from a provider's error answer: Twilio `message`, Meta `error.message`, Telegram `description`."""
    try:
        answer = response.json()
    except ValueError:
        return f"HTTP {response.status_code}: {response.text[:200]}"
    detail = answer.get("message") or answer.get("description") or (answer.get("error") or {}).get("message")
    return f"HTTP {response.status_code}: {detail or response.text[:200]}"


def send(
    config: OutboundConfig,
    to: str,
    text: str,
    *,
    attempts: int = 3,
    backoff: float = 0.5,
    timeout: float = 10.0,
    session: requests.Session | None = None,
) -> str:
    """Send and return the provider's message id; retry network errors, 429 and 5xx with exponential backoff.

    A 4xx answer is final (the request itself is wrong: retrying cannot help).
    """
    request = build_request(config, to, text)
    http = session or requests.Session()
    last_error = ""
    for attempt in range(attempts):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            response = http.request(
                request.method,
                request.url,
                data=request.data,
                json=request.json,
                auth=request.auth,
                headers=request.headers,
                timeout=timeout,
            )
        except (requests.ConnectionError, requests.Timeout) as error:
            last_error = f"network error: {type(error).__name__}"
            continue
        if response.status_code in RETRYABLE_STATUSES:
            last_error = provider_error(response)
            continue
        if response.status_code >= 400:
            raise OutboundError(provider_error(response))
        answer = response.json() if response.content else {}
        if config.provider == "telegram" and not answer.get("ok"):
            raise OutboundError(provider_error(response))
        return message_id(config, answer)
    raise OutboundError(f"gave up after {attempts} attempts, last: {last_error}")
