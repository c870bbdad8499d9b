"""Loaders: one module per source, all built on the shared Swedish-file reader."""
