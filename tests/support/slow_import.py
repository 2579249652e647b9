"""A module that takes IMPORT_SECONDS to import, as a document worker's imports do (trafilatura,
lxml, the language model): for tests of when a worker process starts."""

import time

IMPORT_SECONDS = 2.0
time.sleep(IMPORT_SECONDS)


def echo(item: object) -> object:
    return item
