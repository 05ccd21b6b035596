"""Consilium: the shared platform of a network of medical-education institutions."""
