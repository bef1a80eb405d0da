"""A session on its clock: the state machine, ratings, checkpoints, recovery."""
