import os
import sys

# corpus.py and other test data modules of this folder import by name
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
