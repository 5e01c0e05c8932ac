"""Every event of one nomination, in order, with its trace id."""
