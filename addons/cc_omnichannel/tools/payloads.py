"""Parse provider webhook payloads into provider-neutral :class:`InboundEvent` objects.

Conventions shared by every parser:

- ``address`` is always the customer's side of the conversation (the sender of an inbound message
  or call, the recipient of an outbound one whose status is reported) and ``recipient`` is always
  ours (our phone number, WhatsApp phone number id, Page id, Instagram account id), or ''.
- Datetimes are naive UTC.
- Media a provider only gives by id, to be fetched with its API and our credentials, appear in
  ``media_urls`` as ``whatsapp-media:<media id>`` or ``telegram-file:<file_id>``.
- Structural problems raise :class:`PayloadError`; event kinds or status values we do not handle
  are skipped, so a value a provider adds later never makes the webhook fail.
"""

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

MESSAGE_STATUSES = ("queued", "sent", "delivered", "read", "failed")
CALL_STATUSES = ("ringing", "in_progress", "completed", "busy", "no_answer", "failed", "canceled")
ADDRESS_KINDS = ("phone", "whatsapp", "email", "telegram", "facebook", "instagram", "other")
EVENT_KINDS = ("message", "status", "call")

WHATSAPP_MEDIA_PREFIX = "whatsapp-media:"
TELEGRAM_FILE_PREFIX = "telegram-file:"

_EPOCH = datetime(1970, 1, 1)


class PayloadError(ValueError):
    """A webhook payload is malformed; the message is one line, meant for the sender."""


@dataclass(frozen=True)
class InboundEvent:
    """One thing a provider told us about: an inbound message, a message status or a call update."""

    kind: str  # one of EVENT_KINDS
    external_id: str  # the provider's id of the message or call
    address_kind: str  # one of ADDRESS_KINDS
    address: str  # the customer's raw address, e.g. "+14155550100", a wa_id, a chat id, a PSID
    display_name: str = ""
    body: str = ""
    media_urls: tuple[str, ...] = ()
    occurred_at: datetime | None = None  # naive UTC
    status: str = ""  # one of MESSAGE_STATUSES for 'status', of CALL_STATUSES for 'call', else ''
    wait_seconds: int | None = None
    talk_seconds: int | None = None
    error: str = ""
    recipient: str = ""  # our number or id on that channel


# --- shared helpers ---------------------------------------------------------------------------


def _is_whole_number(text: str) -> bool:
    # str.isdigit() alone accepts characters such as "²" that int() rejects.
    return text.isascii() and text.isdigit()


def _prefixed(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message


def _as_dict(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise PayloadError(f"{where} must be an object")
    return value


def _as_list(value, where: str) -> list:
    """Return a JSON array, [] when absent."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise PayloadError(f"{where} must be a list")
    return value


def _required_id(obj: dict, key: str, where: str) -> str:
    """Return a required identifier, which JSON senders may give as a string or an integer."""
    value = obj.get(key)
    if isinstance(value, bool) or value in (None, ""):
        raise PayloadError(_prefixed(where, f"'{key}' is required"))
    if not isinstance(value, (str, int)):
        raise PayloadError(_prefixed(where, f"'{key}' must be a string"))
    return str(value)


def _optional_str(obj: dict, key: str, where: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PayloadError(_prefixed(where, f"'{key}' must be a string"))
    return value


def _epoch(value, field: str, where: str, *, milliseconds: bool = False) -> datetime | None:
    """Convert a Unix timestamp given as a number or a string of digits; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and _is_whole_number(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise PayloadError(_prefixed(where, f"'{field}' must be a Unix timestamp"))
    try:
        # timedelta keeps millisecond timestamps exact, where a float division may not.
        return _EPOCH + (timedelta(milliseconds=value) if milliseconds else timedelta(seconds=value))
    except OverflowError:
        raise PayloadError(_prefixed(where, f"'{field}' is out of range")) from None


def _to_naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


# --- Twilio -----------------------------------------------------------------------------------

_TWILIO_MESSAGE_STATUSES = {
    "accepted": "queued",
    "scheduled": "queued",
    "queued": "queued",
    "sending": "sent",
    "sent": "sent",
    "delivered": "delivered",
    "partially_delivered": "delivered",
    "read": "read",
    "failed": "failed",
    "undelivered": "failed",
    "canceled": "failed",
}
# Statuses of a message we receive: such a callback is the inbound message itself.
_TWILIO_INBOUND_STATUSES = ("received", "receiving")

_TWILIO_CALL_STATUSES = {
    # A queued or initiated call has not reached the callee yet; for us it is pending, like ringing.
    "queued": "ringing",
    "initiated": "ringing",
    "ringing": "ringing",
    "in-progress": "in_progress",
    "completed": "completed",
    "busy": "busy",
    "no-answer": "no_answer",
    "failed": "failed",
    "canceled": "canceled",
}

# Twilio prefixes non-SMS channel addresses, e.g. "whatsapp:+14155550100", "messenger:<PSID>".
_TWILIO_CHANNEL_PREFIXES = {"whatsapp": "whatsapp", "messenger": "facebook"}


def _form_value(form: Mapping, key: str) -> str:
    value = form.get(key)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value if isinstance(value, str) else ""


def _required_form_value(form: Mapping, key: str) -> str:
    value = _form_value(form, key).strip()
    if not value:
        raise PayloadError(f"'{key}' is required")
    return value


def _twilio_address(raw: str) -> tuple[str, str]:
    """Split a Twilio From/To value into (address_kind, address)."""
    raw = raw.strip()
    channel, separator, rest = raw.partition(":")
    if not separator:
        return "phone", raw
    kind = _TWILIO_CHANNEL_PREFIXES.get(channel.lower())
    if kind:
        return kind, rest
    return "other", raw  # client:alice, sip:bob@example.com, rcs:...


def _twilio_media_urls(form: Mapping) -> tuple[str, ...]:
    num_media = _form_value(form, "NumMedia").strip()
    if not num_media:
        return ()
    if not _is_whole_number(num_media):
        raise PayloadError("'NumMedia' must be a whole number")
    # A form cannot hold more media URLs than it has fields; this bounds a forged NumMedia.
    count = min(int(num_media), len(form))
    urls = (_form_value(form, f"MediaUrl{index}") for index in range(count))
    return tuple(url for url in urls if url)


def _twilio_error(form: Mapping) -> str:
    code = _form_value(form, "ErrorCode").strip()
    message = _form_value(form, "ErrorMessage").strip()
    return ": ".join(part for part in (code, message) if part)


def parse_twilio_message(form: Mapping) -> list[InboundEvent]:
    """Parse a Twilio Messaging webhook: an inbound SMS/MMS/WhatsApp message or a status callback.

    A request carrying ``MessageStatus`` but no ``Body`` is an outbound message's status callback;
    its ``address`` is the customer (``To``) and ``recipient`` our number (``From``).
    """
    sid = _form_value(form, "MessageSid").strip() or _form_value(form, "SmsSid").strip()
    if not sid:
        raise PayloadError("'MessageSid' is required")
    sender = _required_form_value(form, "From")
    to = _form_value(form, "To")
    message_status = _form_value(form, "MessageStatus").strip().lower()
    if message_status and "Body" not in form and message_status not in _TWILIO_INBOUND_STATUSES:
        status = _TWILIO_MESSAGE_STATUSES.get(message_status)
        if status is None:
            return []
        address_kind, address = _twilio_address(to)
        return [
            InboundEvent(
                kind="status",
                external_id=sid,
                address_kind=address_kind,
                address=address,
                status=status,
                error=_twilio_error(form),
                recipient=_twilio_address(sender)[1],
            )
        ]
    address_kind, address = _twilio_address(sender)
    return [
        InboundEvent(
            kind="message",
            external_id=sid,
            address_kind=address_kind,
            address=address,
            display_name=_form_value(form, "ProfileName").strip(),
            body=_form_value(form, "Body"),
            media_urls=_twilio_media_urls(form),
            recipient=_twilio_address(to)[1],
        )
    ]


def _twilio_timestamp(form: Mapping) -> datetime | None:
    raw = _form_value(form, "Timestamp").strip()
    if not raw:
        return None
    try:
        return _to_naive_utc(parsedate_to_datetime(raw))
    except (TypeError, ValueError):
        raise PayloadError("'Timestamp' must be an RFC 2822 date") from None


def _twilio_call_duration(form: Mapping) -> int | None:
    raw = _form_value(form, "CallDuration").strip()
    if not raw:
        return None
    if not _is_whole_number(raw):
        raise PayloadError("'CallDuration' must be a whole number of seconds")
    return int(raw)


def parse_twilio_call(form: Mapping) -> list[InboundEvent]:
    """Parse a Twilio Voice status callback (or incoming-call webhook) into one 'call' event.

    The customer is ``From`` on inbound calls and ``To`` on outbound ones (``Direction``
    ``outbound-api`` or ``outbound-dial``). ``talk_seconds`` is ``CallDuration`` once completed.
    """
    sid = _required_form_value(form, "CallSid")
    raw_status = _required_form_value(form, "CallStatus").lower()
    status = _TWILIO_CALL_STATUSES.get(raw_status)
    if status is None:
        return []
    outbound = _form_value(form, "Direction").strip().lower().startswith("outbound")
    customer_key, our_key = ("To", "From") if outbound else ("From", "To")
    address_kind, address = _twilio_address(_required_form_value(form, customer_key))
    duration = _twilio_call_duration(form)
    return [
        InboundEvent(
            kind="call",
            external_id=sid,
            address_kind=address_kind,
            address=address,
            display_name="" if outbound else _form_value(form, "CallerName").strip(),
            occurred_at=_twilio_timestamp(form),
            status=status,
            talk_seconds=duration if status == "completed" else None,
            recipient=_twilio_address(_form_value(form, our_key))[1],
        )
    ]


# --- Meta: WhatsApp Cloud API -----------------------------------------------------------------

_WHATSAPP_STATUSES = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "played": "read",  # voice messages report 'played' instead of 'read'
    "failed": "failed",
}
_WHATSAPP_MEDIA_TYPES = ("image", "video", "audio", "document", "sticker")
# Reactions point at an earlier message rather than being one.
_WHATSAPP_IGNORED_TYPES = ("reaction",)


def _whatsapp_contact_names(value: dict, where: str) -> dict[str, str]:
    names = {}
    for index, raw_contact in enumerate(_as_list(value.get("contacts"), f"{where}.contacts")):
        contact = _as_dict(raw_contact, f"{where}.contacts[{index}]")
        profile = contact.get("profile")
        name = (profile.get("name") or "") if isinstance(profile, dict) else ""
        for key in ("wa_id", "user_id"):
            if contact.get(key):
                names[str(contact[key])] = name
    return names


def _whatsapp_location_text(location: dict) -> str:
    parts = [location.get("name"), location.get("address")]
    if location.get("latitude") is not None and location.get("longitude") is not None:
        parts.append(f"{location['latitude']},{location['longitude']}")
    return "\n".join(str(part) for part in parts if part)


def _whatsapp_reply_title(interactive: dict) -> str:
    reply = interactive.get("button_reply") or interactive.get("list_reply")
    return (reply.get("title") or "") if isinstance(reply, dict) else ""


_WHATSAPP_BODY_READERS = {
    "text": lambda content: content.get("body"),
    "button": lambda content: content.get("text"),
    "interactive": _whatsapp_reply_title,
    "location": _whatsapp_location_text,
    **{media_type: (lambda content: content.get("caption")) for media_type in _WHATSAPP_MEDIA_TYPES},
}


def _whatsapp_body_and_media(message: dict) -> tuple[str, tuple[str, ...]]:
    message_type = message.get("type")
    if not isinstance(message_type, str):
        return "", ()
    content = message.get(message_type)
    if not isinstance(content, dict):
        return "", ()
    # Types without a reader ('system', ...) may still carry a body.
    read_body = _WHATSAPP_BODY_READERS.get(message_type, lambda content: content.get("body"))
    body = read_body(content) or ""
    media = ()
    if message_type in _WHATSAPP_MEDIA_TYPES and content.get("id"):
        media = (WHATSAPP_MEDIA_PREFIX + str(content["id"]),)
    return str(body), media


def _whatsapp_message(message: dict, names: dict, recipient: str, where: str) -> InboundEvent | None:
    if message.get("type") in _WHATSAPP_IGNORED_TYPES:
        return None
    sender = _required_id(message, "from", where)
    body, media = _whatsapp_body_and_media(message)
    return InboundEvent(
        kind="message",
        external_id=_required_id(message, "id", where),
        address_kind="whatsapp",
        address=sender,
        display_name=names.get(sender) or (next(iter(names.values())) if len(names) == 1 else ""),
        body=body,
        media_urls=media,
        occurred_at=_epoch(message.get("timestamp"), "timestamp", where),
        recipient=recipient,
    )


def _whatsapp_error(status: dict, where: str) -> str:
    errors = _as_list(status.get("errors"), f"{where}.errors")
    if not errors or not isinstance(errors[0], dict):
        return ""
    first = errors[0]
    title = first.get("title") or first.get("message") or ""
    return ": ".join(str(part) for part in (first.get("code"), title) if part not in (None, ""))


def _whatsapp_status(status: dict, recipient: str, where: str) -> InboundEvent | None:
    raw_status = _required_id(status, "status", where).lower()
    normalized = _WHATSAPP_STATUSES.get(raw_status)
    if normalized is None:
        return None
    return InboundEvent(
        kind="status",
        external_id=_required_id(status, "id", where),
        address_kind="whatsapp",
        address=str(status.get("recipient_id") or ""),
        occurred_at=_epoch(status.get("timestamp"), "timestamp", where),
        status=normalized,
        error=_whatsapp_error(status, where),
        recipient=recipient,
    )


def _parse_whatsapp_value(value: dict, where: str) -> list[InboundEvent]:
    metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
    recipient = str(metadata.get("phone_number_id") or "")
    names = _whatsapp_contact_names(value, where)
    events = []
    for index, message in enumerate(_as_list(value.get("messages"), f"{where}.messages")):
        item_where = f"{where}.messages[{index}]"
        events.append(_whatsapp_message(_as_dict(message, item_where), names, recipient, item_where))
    for index, status in enumerate(_as_list(value.get("statuses"), f"{where}.statuses")):
        item_where = f"{where}.statuses[{index}]"
        events.append(_whatsapp_status(_as_dict(status, item_where), recipient, item_where))
    return [event for event in events if event is not None]


def _parse_whatsapp(entries: list) -> list[InboundEvent]:
    events = []
    for entry_index, raw_entry in enumerate(entries):
        entry_where = f"entry[{entry_index}]"
        entry = _as_dict(raw_entry, entry_where)
        for change_index, raw_change in enumerate(_as_list(entry.get("changes"), f"{entry_where}.changes")):
            change_where = f"{entry_where}.changes[{change_index}]"
            change = _as_dict(raw_change, change_where)
            # Other fields (template status, account updates...) have unrelated shapes.
            if change.get("field", "messages") != "messages":
                continue
            value = _as_dict(change.get("value"), f"{change_where}.value")
            events.extend(_parse_whatsapp_value(value, f"{change_where}.value"))
    return events


# --- Meta: Messenger and Instagram ------------------------------------------------------------


def _attachment_url(attachment) -> str:
    payload = attachment.get("payload") if isinstance(attachment, dict) else None
    url = payload.get("url") if isinstance(payload, dict) else None
    return url if isinstance(url, str) else ""  # templates and fallbacks carry no media URL


def _messaging_message(event: dict, common: dict, where: str) -> InboundEvent | None:
    message = _as_dict(event["message"], f"{where}.message")
    # Echoes are our own outgoing messages; deleted ones are unsent by the customer.
    if message.get("is_echo") or message.get("is_deleted"):
        return None
    attachments = _as_list(message.get("attachments"), f"{where}.message.attachments")
    urls = tuple(url for url in map(_attachment_url, attachments) if url)
    return InboundEvent(
        kind="message",
        external_id=_required_id(message, "mid", f"{where}.message"),
        body=_optional_str(message, "text", f"{where}.message"),
        media_urls=urls,
        **common,
    )


def _messaging_postback(event: dict, common: dict, where: str) -> InboundEvent | None:
    postback = _as_dict(event["postback"], f"{where}.postback")
    if not postback.get("mid"):
        return None  # older postbacks have no message id to deduplicate on
    return InboundEvent(
        kind="message",
        external_id=str(postback["mid"]),
        body=_optional_str(postback, "title", f"{where}.postback"),
        **common,
    )


def _messaging_statuses(event: dict, common: dict, where: str) -> list[InboundEvent]:
    if "delivery" in event:
        delivery = _as_dict(event["delivery"], f"{where}.delivery")
        mids = _as_list(delivery.get("mids"), f"{where}.delivery.mids")
        delivered = {"kind": "status", "status": "delivered", **common}
        return [InboundEvent(external_id=str(mid), **delivered) for mid in mids]
    read = _as_dict(event["read"], f"{where}.read")
    if not read.get("mid"):
        return []  # Messenger only gives a watermark timestamp, not the message that was read
    return [InboundEvent(kind="status", external_id=str(read["mid"]), status="read", **common)]


def _parse_messaging_event(event: dict, address_kind: str, where: str) -> list[InboundEvent]:
    sender = _as_dict(event.get("sender"), f"{where}.sender")
    recipient = _as_dict(event.get("recipient"), f"{where}.recipient")
    common = {
        "address_kind": address_kind,
        "address": _required_id(sender, "id", f"{where}.sender"),
        "recipient": _required_id(recipient, "id", f"{where}.recipient"),
        "occurred_at": _epoch(event.get("timestamp"), "timestamp", where, milliseconds=True),
    }
    if "message" in event:
        found = _messaging_message(event, common, where)
        return [found] if found else []
    if "postback" in event:
        found = _messaging_postback(event, common, where)
        return [found] if found else []
    if "delivery" in event or "read" in event:
        return _messaging_statuses(event, common, where)
    return []  # reactions, referrals, optins, handovers...


def _parse_messaging(entries: list, address_kind: str) -> list[InboundEvent]:
    events = []
    for entry_index, raw_entry in enumerate(entries):
        entry_where = f"entry[{entry_index}]"
        entry = _as_dict(raw_entry, entry_where)
        # 'standby' events belong to the app in control of the conversation, not to us.
        for index, event in enumerate(_as_list(entry.get("messaging"), f"{entry_where}.messaging")):
            event_where = f"{entry_where}.messaging[{index}]"
            events.extend(_parse_messaging_event(_as_dict(event, event_where), address_kind, event_where))
    return events


_META_MESSAGING_OBJECTS = {"page": "facebook", "instagram": "instagram"}


def parse_meta(payload: dict) -> list[InboundEvent]:
    """Parse a Meta webhook: WhatsApp Cloud API, Messenger (``object: page``) or Instagram.

    WhatsApp ``recipient`` is our ``phone_number_id``; Messenger/Instagram ``recipient`` is our
    Page or Instagram account id. Echoes of our own messages are skipped.
    """
    payload = _as_dict(payload, "payload")
    meta_object = payload.get("object")
    if not meta_object:
        raise PayloadError("'object' is required")
    if not isinstance(meta_object, str):
        raise PayloadError("'object' must be a string")
    entries = _as_list(payload.get("entry"), "entry")
    if meta_object == "whatsapp_business_account":
        return _parse_whatsapp(entries)
    if meta_object in _META_MESSAGING_OBJECTS:
        return _parse_messaging(entries, _META_MESSAGING_OBJECTS[meta_object])
    raise PayloadError(f"unknown Meta object {meta_object!r}")


# --- Telegram ---------------------------------------------------------------------------------

_TELEGRAM_FILE_FIELDS = ("document", "video", "audio", "voice", "video_note", "animation", "sticker")


def _telegram_name(person: dict) -> str:
    names = [person.get(key) for key in ("first_name", "last_name", "username", "title")]
    first, last, username, title = (name if isinstance(name, str) else "" for name in names)
    return " ".join(part for part in (first, last) if part) or username or title


def _telegram_files(message: dict) -> tuple[str, ...]:
    file_ids = []
    photo_sizes = message.get("photo")
    if isinstance(photo_sizes, list) and photo_sizes and isinstance(photo_sizes[-1], dict):
        file_ids.append(photo_sizes[-1].get("file_id"))  # sizes are listed smallest first
    for field in _TELEGRAM_FILE_FIELDS:
        if isinstance(message.get(field), dict):
            file_ids.append(message[field].get("file_id"))
    usable = [file_id for file_id in file_ids if isinstance(file_id, str) and file_id]
    return tuple(TELEGRAM_FILE_PREFIX + file_id for file_id in usable)


def parse_telegram(update: dict) -> list[InboundEvent]:
    """Parse a Telegram Bot API Update; only new ``message`` updates give an event.

    ``address`` is the chat id (where replies go) and ``external_id`` is ``<chat id>:<message id>``
    because message ids are only unique within a chat.
    """
    update = _as_dict(update, "update")
    if "message" not in update:
        return []  # edited messages, channel posts, callback queries...
    message = _as_dict(update["message"], "message")
    chat = _as_dict(message.get("chat"), "message.chat")
    chat_id = _required_id(chat, "id", "message.chat")
    message_id = _required_id(message, "message_id", "message")
    if message.get("date") in (None, ""):
        raise PayloadError("message: 'date' is required")
    sender = message.get("from") if isinstance(message.get("from"), dict) else chat
    return [
        InboundEvent(
            kind="message",
            external_id=f"{chat_id}:{message_id}",
            address_kind="telegram",
            address=chat_id,
            display_name=_telegram_name(sender),
            body=_optional_str(message, "text", "message") or _optional_str(message, "caption", "message"),
            media_urls=_telegram_files(message),
            occurred_at=_epoch(message["date"], "date", "message"),
        )
    ]


# --- Our generic JSON webhook -----------------------------------------------------------------

_GENERIC_ADDRESS_KEYS = ("phone", "whatsapp", "email", "telegram", "facebook", "instagram", "other")


def _generic_sender(event: dict, where: str) -> tuple[str, str, str]:
    """Return (address_kind, address, display_name) from the event's 'from' object."""
    sender = event.get("from")
    if not isinstance(sender, dict):
        raise PayloadError(_prefixed(where, "'from' must be an object"))
    name = _optional_str(sender, "name", where)
    for key in _GENERIC_ADDRESS_KEYS:  # the first address given wins
        if sender.get(key) not in (None, ""):
            return key, _required_id(sender, key, where).strip(), name
    keys = ", ".join(f"'{key}'" for key in _GENERIC_ADDRESS_KEYS)
    raise PayloadError(_prefixed(where, f"'from' needs one of {keys}"))


def _generic_timestamp(event: dict, where: str) -> datetime | None:
    """Read ISO-8601 (without an offset it is taken as UTC) or Unix seconds."""
    value = event.get("timestamp")
    if value is None or value == "":
        return None
    if isinstance(value, str) and not _is_whole_number(value.strip()):
        text = value.strip()
        if text[-1:] in ("Z", "z"):
            text = text[:-1] + "+00:00"  # fromisoformat only understands 'Z' from Python 3.11
        try:
            return _to_naive_utc(datetime.fromisoformat(text))
        except ValueError:
            raise PayloadError(_prefixed(where, "'timestamp' must be ISO-8601 or a Unix timestamp")) from None
    return _epoch(value, "timestamp", where)


def _generic_seconds(event: dict, key: str, where: str) -> int | None:
    value = event.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PayloadError(_prefixed(where, f"'{key}' must be a non-negative integer"))
    return value


def _generic_media(event: dict, where: str) -> tuple[str, ...]:
    media = event.get("media")
    if media is None:
        return ()
    if not isinstance(media, list) or not all(isinstance(url, str) and url for url in media):
        raise PayloadError(_prefixed(where, "'media' must be a list of URLs"))
    return tuple(media)


def _generic_status(event: dict, kind: str, where: str) -> str:
    if kind == "message":
        return ""  # an inbound message has no delivery status of ours
    status = _optional_str(event, "status", where)
    if kind == "status" and not status:
        raise PayloadError(_prefixed(where, "'status' is required"))
    allowed = MESSAGE_STATUSES if kind == "status" else CALL_STATUSES
    if status and status not in allowed:
        choices = ", ".join(f"'{choice}'" for choice in allowed)
        raise PayloadError(_prefixed(where, f"'status' must be one of {choices}"))
    return status


def _parse_generic_event(event, where: str) -> InboundEvent:
    if not isinstance(event, dict):
        raise PayloadError(_prefixed(where, "must be an object"))
    external_id = _required_id(event, "id", where)
    kind = event.get("type")
    if kind not in EVENT_KINDS:
        raise PayloadError(_prefixed(where, "'type' must be one of 'message', 'call', 'status'"))
    if kind == "status" and event.get("from") is None:
        address_kind, address, name = "other", "", ""
    else:
        address_kind, address, name = _generic_sender(event, where)
    return InboundEvent(
        kind=kind,
        external_id=external_id,
        address_kind=address_kind,
        address=address,
        display_name=name,
        body=_optional_str(event, "body", where),
        media_urls=_generic_media(event, where),
        occurred_at=_generic_timestamp(event, where),
        status=_generic_status(event, kind, where),
        wait_seconds=_generic_seconds(event, "wait_seconds", where),
        talk_seconds=_generic_seconds(event, "talk_seconds", where),
        error=_optional_str(event, "error", where),
        recipient=_optional_str(event, "to", where),
    )


def parse_generic(payload: dict) -> list[InboundEvent]:
    """Parse our generic JSON webhook: one event object, or ``{"events": [...]}`` for a batch.

    An event is ``{"id", "type": "message"|"call"|"status", "from": {<kind>: <address>, "name"},
    "body", "media": [urls], "timestamp": ISO-8601 or Unix seconds, "status", "wait_seconds",
    "talk_seconds", "error", "to"}``; <kind> is one of ADDRESS_KINDS. 'from' is optional for a
    status. Errors in a batch name the event by its 1-based position: "event 2: 'id' is required".
    """
    payload = _as_dict(payload, "payload")
    if "events" not in payload:
        return [_parse_generic_event(payload, "")]
    events = payload["events"]
    if not isinstance(events, list):
        raise PayloadError("'events' must be a list")
    return [_parse_generic_event(event, f"event {number}") for number, event in enumerate(events, start=1)]


def load_json(raw: bytes) -> dict:
    """Decode a webhook body that must be a JSON object."""
    if not raw or not raw.strip():
        raise PayloadError("body is empty")
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise PayloadError("body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise PayloadError("body must be a JSON object")
    return payload
