from . import cc_upsell_dismiss_wizard
