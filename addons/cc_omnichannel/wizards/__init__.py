from . import cc_upsell_dismiss_wizard
from . import cc_identity_merge_wizard
