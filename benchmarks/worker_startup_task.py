"""The trivial unit of work benchmarks/worker_startup.py hands to each kind of worker process
(in a module of its own so that pool processes and DeadlineRunner children can import it)."""

from prefect import task


def square_value(x: int) -> int:
    return x * x


square = task(name="square")(square_value)
