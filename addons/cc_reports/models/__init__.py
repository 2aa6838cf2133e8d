# First: the fact models below inherit it, and some are imported early by others.
from . import cc_kpi_dimensions
from . import cc_agent
from . import cc_dashboard
from . import cc_interaction
from . import cc_kpi
from . import cc_kpi_contact
from . import cc_kpi_sla_outcome
from . import cc_kpi_summary
from . import cc_kpi_ticket
from . import cc_sla_timer
from . import cc_survey
from . import cc_timeline_item
from . import digest_digest
from . import helpdesk_ticket
from . import res_company
from . import res_config_settings
from . import cc_reports_demo
