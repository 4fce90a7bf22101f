"""Make a parsed dump smaller in memory: equal keys and short values share one string.

A kubectl dump repeats the same keys ("apiVersion", "metadata"...) and short values ("TCP",
"True", namespace and node names) hundreds of thousands of times; a YAML parser makes a new
string for each. Sharing them takes a 50 MB dump's peak RSS from 6.8x to 3.9x its size
(bench/bench_load.py), for a walk over the objects that adds a fifth to a third of the load
time (snapshot.load vs yamlfast.load_all in the same bench).
"""

from __future__ import annotations

import sys
from typing import Any

SHARED_MAX_LEN = 32  # longer values (uids, images, messages) are rarely repeated

_intern = sys.intern


def share_strings(obj: Any) -> None:
    """Replace, in place, the keys and short string values of nested dicts and lists by
    shared (interned) strings. Order and values are unchanged."""
    try:
        _share(obj)
    except RecursionError:  # absurdly deep nesting: leave the rest as it is
        pass


def _share(obj: Any) -> None:
    if type(obj) is dict:
        pairs = []
        for key, value in obj.items():
            kind = type(value)
            if kind is dict or kind is list:
                _share(value)
            elif kind is str and len(value) <= SHARED_MAX_LEN:
                value = _intern(value)
            pairs.append((_intern(key) if type(key) is str else key, value))
        obj.clear()
        obj.update(pairs)
    elif type(obj) is list:
        for i, value in enumerate(obj):
            kind = type(value)
            if kind is dict or kind is list:
                _share(value)
            elif kind is str and len(value) <= SHARED_MAX_LEN:
                obj[i] = _intern(value)
