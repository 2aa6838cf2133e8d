from . import cc_sla_policy_condition  # first: the policies and targets inherit from it
from . import cc_interaction
from . import cc_sla_escalation
from . import cc_sla_escalation_log
from . import cc_sla_policy
from . import cc_sla_target
from . import cc_sla_timer
from . import cc_timeline_item
from . import helpdesk_ticket
from . import resource_calendar
from . import cc_sla_demo
