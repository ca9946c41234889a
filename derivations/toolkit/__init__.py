"""Shared mathematics used by several posts, one small module per subject (``gaussian``: Gaussian
expectations).  A toolkit module imports only SymPy, mpmath and numpy, never a post."""
