"""The central unit's side: the intake queue, decisions, the independent panel and the timeline."""
