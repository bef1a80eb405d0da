"""Practice at a desk: reminders."""
