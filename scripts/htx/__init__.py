"""Generator for the An Giang cooperatives site: profiles → validated model → pages."""
