//! Nothing grows without bound: expired windows, sessions and old events are pruned; the API budget is charged atomically.
