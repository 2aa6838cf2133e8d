from . import test_channel
from . import test_tools_identity
from . import test_tools_payloads
from . import test_tools_signatures
from . import test_ui
from . import test_webhook_meta
from . import test_webhook_telegram_generic
from . import test_webhook_twilio
