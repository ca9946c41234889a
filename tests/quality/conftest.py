import os
import sys

# corpus.py and other test data modules of this folder import by name
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hypothesis import HealthCheck, settings  # noqa: E402

# Deadline-free and derandomized: the engine's timings vary with the machine's load, and the
# examples a CI run tries are the same every time.  Tests opt in with @settings(get_profile(...)).
settings.register_profile("stepcheck-quality", deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
