from . import models


def pre_init_hook(env):
    """Tickets opened before this module was installed start their SLA clock when they were opened."""
    env.cr.execute("ALTER TABLE helpdesk_ticket ADD COLUMN IF NOT EXISTS cc_sla_start_at timestamp")
    env.cr.execute("UPDATE helpdesk_ticket SET cc_sla_start_at = create_date WHERE cc_sla_start_at IS NULL")
