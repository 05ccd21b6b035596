"""Partnerships pages, one module per part; ``partnerships/urls.py`` names their routes."""
