"""Derived views of a Document, built lazily and shared by all rules."""
