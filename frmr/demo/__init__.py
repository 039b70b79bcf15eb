"""Demo and synthetic data of the register: the fictional demo stand and the bulk generator.

Everything here is loaded by the system itself (management commands), not by an operator, so it
writes with the models in bulk instead of going through the per-row services; the data it writes is
built to pass the same validators and database constraints.
"""
