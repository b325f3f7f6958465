"""Materialised tree paths stored on each dated version of an organisation.

A path is the ids of the organisation's ancestors and its own, root first, each as a
fixed-width run of digits: "00000001" "00000042" "00001234". Digits only, so the order of
paths is the same under every collation of both databases, and the subtree of a node is
one B-tree range: path >= P and path < P + 1 (P read as a number, same width).
"""

SEGMENT = 8
MAX_ID = 10**SEGMENT - 2  # keeps the range end of any path at the same width


def segment(organization_id: int) -> str:
    if not 0 < organization_id <= MAX_ID:
        raise ValueError(f"organisation id out of range for a path: {organization_id}")
    return f"{organization_id:0{SEGMENT}d}"


def child_path(parent_path: str, organization_id: int) -> str:
    return parent_path + segment(organization_id)


def subtree_end(path: str) -> str:
    """The first path after every descendant of `path` (exclusive upper bound)."""
    return str(int(path) + 1).zfill(len(path))


def path_ids(path: str) -> list[int]:
    return [int(path[i : i + SEGMENT]) for i in range(0, len(path), SEGMENT)]


def depth(path: str) -> int:
    return len(path) // SEGMENT
