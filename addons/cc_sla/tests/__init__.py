from . import test_business_time
from . import test_ui
