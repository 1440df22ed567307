"""Staff accounts: organisations, users and roles, password hashing and sessions."""
