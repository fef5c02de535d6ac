"""How a cost grows with size: the exponent ``b`` of ``cost ≈ a · size^b``.

A least-squares line through the points on log–log axes; ``b`` near 1 means
linear growth, near 2 quadratic, near 0 a cost that does not depend on size.
Shared by ``bench/queries.py`` and ``bench/growth.py``.

>>> a, b = loglog_fit([100, 200, 400], [1.0, 2.0, 4.0])
>>> round(a, 4), round(b, 4)
(0.01, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def loglog_fit(sizes: Sequence[float], costs: Sequence[float]) -> tuple[float, float]:
    """``(a, b)`` of the least-squares fit of ``log cost = log a + b · log size``.

    Needs at least two distinct positive sizes and positive costs.

    >>> round(loglog_fit([1e5, 1e6, 1e7], [0.01, 0.1, 3.0])[1], 2)
    1.24
    >>> loglog_fit([10, 10], [1, 2])
    Traceback (most recent call last):
    ...
    ValueError: need at least two distinct positive sizes and positive costs
    """
    pairs = list(zip(sizes, costs, strict=True))
    if len({s for s, _ in pairs}) < 2 or any(s <= 0 or c <= 0 for s, c in pairs):
        raise ValueError("need at least two distinct positive sizes and positive costs")
    points = [(math.log(s), math.log(c)) for s, c in pairs]
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    b = sxy / sxx
    return math.exp(mean_y - b * mean_x), b


def exponent(sizes: Sequence[float], costs: Sequence[float]) -> str:
    """The fitted exponent as text (``"1.02"``), or ``"–"`` when it cannot be fitted.

    >>> exponent([1, 2, 4], [3, 3, 3]), exponent([1], [2])
    ('0.00', '–')
    """
    try:
        return f"{loglog_fit(sizes, costs)[1]:.2f}"
    except ValueError:
        return "–"
