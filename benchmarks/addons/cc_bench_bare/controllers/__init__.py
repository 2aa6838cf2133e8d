from . import bare
