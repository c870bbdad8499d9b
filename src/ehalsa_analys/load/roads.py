"""Road networks as a directed graph that :mod:`ehalsa_analys.access` searches.

:class:`RoadGraph` is the contract between the road loader and the
distance engine: node coordinates in EPSG:3006 and one sparse, directed
weight matrix per weight (metres; seconds when speeds are known). A two-way
road is stored in both directions; a one-way link only from its start.

Example
-------
>>> import numpy as np
>>> from scipy import sparse
>>> length = sparse.csr_array(([100.0, 100.0], ([0, 1], [1, 0])), shape=(2, 2))
>>> graph = RoadGraph(x=np.array([0.0, 100.0]), y=np.array([0.0, 0.0]), length=length)
>>> graph.n_nodes, graph.weights("length").sum()
(2, np.float64(200.0))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..errors import check_choice

__all__ = ["RoadGraph"]


@dataclass(frozen=True)
class RoadGraph:
    """A directed road graph in EPSG:3006.

    Attributes
    ----------
    x, y : numpy.ndarray
        Node coordinates in metres (float64, one per node).
    length : scipy.sparse.csr_array
        ``length[i, j]`` is the length in metres of the link from node ``i`` to
        node ``j`` (n × n). Absent entries are no link.
    time : scipy.sparse.csr_array or None
        Travel time in seconds on the same links, when speeds are known.
    crs : str
        Always "EPSG:3006"; kept so that callers can check before mixing.

    Example
    -------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> m = sparse.csr_array(([50.0], ([0], [1])), shape=(2, 2))
    >>> RoadGraph(x=np.zeros(2), y=np.arange(2.0), length=m).weights("length")[0, 1]
    np.float64(50.0)
    """

    x: np.ndarray
    y: np.ndarray
    length: sparse.csr_array
    time: sparse.csr_array | None = None
    crs: str = "EPSG:3006"

    def __post_init__(self) -> None:
        n = len(self.x)
        if len(self.y) != n:
            raise ValueError(f"`x` has {n} nodes but `y` has {len(self.y)}.")
        for name in ("length", "time"):
            matrix = getattr(self, name)
            if matrix is not None and matrix.shape != (n, n):
                raise ValueError(
                    f"`{name}` has shape {matrix.shape}; a graph of {n} nodes needs ({n}, {n})."
                )

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.x)

    def weights(self, weight: str = "length") -> sparse.csr_array:
        """The weight matrix for ``weight`` ("length" in metres or "time" in seconds)."""
        check_choice("weight", ["length", "time"], weight)
        if weight == "time" and self.time is None:
            raise ValueError(
                "`weight='time'` needs travel times, but this road graph has none. "
                "Load the roads with a speed or road-class column, or use weight='length'."
            )
        return self.length if weight == "length" else self.time
