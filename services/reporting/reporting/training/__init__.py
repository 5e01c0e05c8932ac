"""Training sessions (tập huấn) for emulation staff, and who attended from which unit."""
