"""The translator's workspace: the catalogue's strings in their place, proposals and reviews, and
their export as a .po update (catalogues are changed by developers, never by the running service)."""
