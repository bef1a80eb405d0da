"""The application layer: the practice flow, the profile in use, shared wording."""
