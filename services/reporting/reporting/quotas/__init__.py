"""Yearly quotas: an exemplar publicised by every unit and commune, one sent to the province."""
