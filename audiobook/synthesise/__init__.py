"""The synthesise stage."""
