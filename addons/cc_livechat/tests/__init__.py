from . import test_livechat_bridge
