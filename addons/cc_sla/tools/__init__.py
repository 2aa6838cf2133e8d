from .business_time import BusinessCalendar
from .business_time import WeeklySlot

__all__ = ["BusinessCalendar", "WeeklySlot"]
