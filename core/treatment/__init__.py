"""Treatment over time, per patient: goals measured across sessions and PHQ-9/GAD-7 scores."""
