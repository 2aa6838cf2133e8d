from . import cc_sla_policy
