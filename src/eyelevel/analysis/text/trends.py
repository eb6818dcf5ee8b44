"""Is an aspect's negative share rising against its own history? A one-sided two-proportion z-test."""

import math
from dataclasses import dataclass

from scipy.stats import norm


@dataclass(frozen=True)
class ShareTest:
    recent_share: float
    history_share: float
    z: float
    p_value: float


def rising_share(recent_hits: int, recent_total: int, history_hits: int, history_total: int) -> ShareTest:
    """Test H1 'the recent share is higher than the historical one' (pooled two-proportion z-test)."""
    if recent_total == 0 or history_total == 0:
        return ShareTest(0.0, 0.0, 0.0, 1.0)
    recent, history = recent_hits / recent_total, history_hits / history_total
    pooled = (recent_hits + history_hits) / (recent_total + history_total)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / recent_total + 1 / history_total))
    if spread == 0:
        return ShareTest(recent, history, 0.0, 1.0)
    z = (recent - history) / spread
    return ShareTest(recent, history, z, float(norm.sf(z)))
