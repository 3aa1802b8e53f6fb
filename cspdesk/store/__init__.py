"""Opening, migrating and backing up a workspace file."""
