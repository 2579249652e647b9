"""A worker function that reports how many objects its process has frozen out of the garbage
collector's reach: for the test that a document worker freezes what its first item loaded."""

import gc


def frozen_objects(item: object) -> int:
    import xml.dom.minidom  # noqa: F401  (a lazy import, as the language model is loaded on first use)

    return gc.get_freeze_count()
