from . import test_kpi_formulas
from . import test_ui
