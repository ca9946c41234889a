"""Shared mathematics used by several posts, one small module per subject.  A toolkit module imports
only the claim language, SymPy, mpmath and numpy, never a post.

* ``gaussian``: the normal pdf/cdf, antiderivatives of \\(z^k\\varphi(z)\\), Gaussian integrals and
  degree-2 noise expectations, the erf surrogate (batch-size-lr, adam-epsilon);
* ``gaussian_moments``: exact expectations of polynomials in independent standard normals (reflow, sid1,
  sid2, gflow);
* ``gaussian_reflow``: the Gaussian ReFlow velocity and flow (reflow, shortcut);
* ``sid_toy``: the Gaussian toy model of identity-based distillation (sid1, sid2);
* ``one_step``: symbolic vectors and matrices of the one-step loss model (batch-size-lr, adam-epsilon).
"""
