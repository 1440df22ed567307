"""Persistence: typed SQLAlchemy models, encrypted columns and the queries the services use."""
