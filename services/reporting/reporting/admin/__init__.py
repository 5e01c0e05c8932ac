"""Running the projections: a replay from the stream."""
