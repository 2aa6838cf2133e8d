from . import cc_channel
from . import cc_livechat_demo
from . import discuss_channel
