from . import test_digest
from . import test_kpi_access
from . import test_kpi_facts
from . import test_kpi_formulas
from . import test_kpi_service
from . import test_survey
from . import test_ui
