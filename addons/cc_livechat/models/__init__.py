from . import cc_channel
from . import discuss_channel
