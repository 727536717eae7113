"""The staff web: accounts, sessions, the secretary's workspace and report authors' pages."""
