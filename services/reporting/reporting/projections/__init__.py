"""Read models built only from events: one fact table per kind of event, the contributions
each nomination makes to the tallies, the tallies, and the timeline."""
