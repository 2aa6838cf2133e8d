from . import cc_interaction
from . import cc_sla_escalation
from . import cc_sla_escalation_log
from . import cc_sla_policy
from . import cc_sla_target
from . import cc_sla_timer
from . import helpdesk_ticket
from . import resource_calendar
