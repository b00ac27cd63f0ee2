"""Tools for people who keep tables: suggesting entries from text."""
