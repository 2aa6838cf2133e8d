from . import test_business_time
from . import test_sla_escalation
from . import test_sla_policy_rules
from . import test_sla_timeline
from . import test_sla_timers
from . import test_ui
