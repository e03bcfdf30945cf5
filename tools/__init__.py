"""Maintenance tools: scripts that rebuild shipped data files."""
