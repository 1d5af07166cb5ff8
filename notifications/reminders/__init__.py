"""Reminders the system sends on a schedule: 换届 (terms.py) and missing records / dues arrears (records.py).
Each is sent once, through services.reminder_send_once()."""
