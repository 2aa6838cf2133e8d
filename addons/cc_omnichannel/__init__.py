from . import controllers
from . import wizards
from . import models
