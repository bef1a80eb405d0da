"""The clinician's PDF report."""
