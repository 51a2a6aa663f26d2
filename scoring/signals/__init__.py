"""Signals: spin, split, injection, boilerplate (scored) and language (reported)."""
