"""The risk screen: what in a session may put the patient or others at risk (see screen.py)."""
