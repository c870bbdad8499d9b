"""Tests of ehalsa_analys, mirroring the package."""
