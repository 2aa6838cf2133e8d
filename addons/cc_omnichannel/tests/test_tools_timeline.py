from odoo.tests import tagged
from odoo.tests.common import BaseCase

from odoo.addons.cc_omnichannel.tools.timeline import ID_SLOTS, TimelineBranch, check_slots, key_bound


def branch(slot, kind="interaction"):
    return TimelineBranch(
        slot=slot, model="cc.interaction", kind=kind, key="k", partner="p", date="d", title="t", summary="s"
    )


@tagged("cc_omnichannel_tools")
class TestKeyBound(BaseCase):
    def test_rows_before_the_cursor_item_in_every_slot(self):
        """At the cursor's second, a branch's rows come before the item (key * 16 + slot < item id) exactly
        when key < key_bound(item id, slot), whatever the item's slot and the branch's."""
        for item_key in (0, 1, 7, 1000):
            for item_slot in range(1, ID_SLOTS):
                item_id = item_key * ID_SLOTS + item_slot
                for slot in range(1, ID_SLOTS):
                    bound = key_bound(item_id, slot)
                    with self.subTest(item_id=item_id, slot=slot):
                        for key in range(max(0, item_key - 2), item_key + 3):
                            self.assertEqual(key < bound, key * ID_SLOTS + slot < item_id)

    def test_own_slot_stops_before_the_item_itself(self):
        self.assertEqual(key_bound(5 * ID_SLOTS + 3, 3), 5)
        self.assertEqual(key_bound(5 * ID_SLOTS + 3, 4), 5, "key 5 of slot 4 has id 84 > 83")
        self.assertEqual(key_bound(5 * ID_SLOTS + 3, 2), 6, "key 5 of slot 2 has id 82 < 83")


@tagged("cc_omnichannel_tools")
class TestBranches(BaseCase):
    def test_slots_must_be_unique_and_in_range(self):
        check_slots([branch(1), branch(2, "ticket")])
        with self.assertRaisesRegex(ValueError, "share slot 2"):
            check_slots([branch(1), branch(2, "ticket"), branch(2, "survey")])
        with self.assertRaisesRegex(ValueError, "not within 1-15"):
            branch(ID_SLOTS)
        with self.assertRaisesRegex(ValueError, "not within 1-15"):
            branch(0)
