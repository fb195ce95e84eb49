"""CLI adapters: one module per command, each calling into the library."""
