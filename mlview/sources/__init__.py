"""Where cluster objects come from. Every source yields plain dicts in the Kubernetes JSON shape."""
