"""Partner returns: making them, reading them back, comparing and merging (one batch policy),
and the chase list."""
