"""Review workflow: the triage store (decisions, notes, manual findings) and working-paper export."""
