"""What a leader wants to see at a glance, as JSON."""
