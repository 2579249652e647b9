"""What every command that runs a flow wraps it in: the collector paused while the flow imports."""

import gc

from flows.cli.flow_runs import collector_paused_for_imports, running_a_flow


def test_the_collector_waits_for_the_imports_then_skips_them_until_the_block_ends():
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with collector_paused_for_imports() as imports_done:
        assert not gc.isenabled()
        imported = [[index] for index in range(1000)]  # lists: objects the collector tracks
        imports_done()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(imported)  # out of every later collection's walk
    assert gc.isenabled() and gc.get_freeze_count() == 0  # a process that lives on gets its heap back


def test_the_collector_stays_off_after_the_block_when_the_caller_had_it_off():
    gc.disable()
    try:
        with collector_paused_for_imports() as imports_done:
            imports_done()
            assert not gc.isenabled()
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_a_flow_loads_with_the_collector_paused_and_runs_with_its_imports_frozen(tmp_path):
    seen = {}

    def load_flow():
        seen["loading: collector on"] = gc.isenabled()
        return "the flow"

    with running_a_flow(load_flow, str(tmp_path / "lake")) as flow:
        seen["running: collector on"] = gc.isenabled()
        seen["running: imports frozen"] = gc.get_freeze_count() > 0

    assert flow == "the flow"
    assert seen == {"loading: collector on": False, "running: collector on": True, "running: imports frozen": True}
    assert gc.isenabled() and gc.get_freeze_count() == 0
