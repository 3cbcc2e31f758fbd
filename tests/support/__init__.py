"""Helpers the tests (and bench/) share: CLI processes, services, receivers, faults."""
