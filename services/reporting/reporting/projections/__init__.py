"""Read models built only from events: one fact table per kind of event, the tallies every
figure is read from (moved by each fact), and the timeline."""
