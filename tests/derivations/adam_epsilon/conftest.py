"""Tests of a derivation package live in their own folder; the shared helpers (``expected``) sit one level up."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
