"""The screens of a practice: ratings, pacer, attention, where it hurts, summary, finder."""
