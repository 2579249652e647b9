from datetime import UTC, datetime

from deltalake import DeltaTable

from schemas.tables import INPUTS_SCHEMA
from tasks.ingest import discover_inputs
from tasks.lake import RunInfo
from tasks.ledger import inputs_path, plan_inputs, record_inputs


def _run(n: int) -> RunInfo:
    return RunInfo(f"run-{n}", "manual", "0.1.0", datetime(2026, 1, n, tzinfo=UTC))


def _plan(lake, source, **options):
    return plan_inputs(str(lake), discover_inputs([str(source)]).inputs, **options)


def _folder(tmp_path, **files):
    source = tmp_path / "raw"
    source.mkdir(exist_ok=True)
    for name, text in files.items():
        (source / name).write_text(text)
    return source


def test_recorded_inputs_are_left_out_and_new_or_changed_ones_are_pending(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne.", "b.txt": "Beta\n\nTwo."})
    first = _plan(lake, source)
    assert (first.new, first.changed, first.unchanged, len(first.pending)) == (2, 0, 0, 2)
    assert record_inputs(str(lake), first.pending, set(), _run(1), {}).recorded == 2

    _folder(tmp_path, **{"b.txt": "Beta\n\nTwo, corrected.", "c.txt": "Gamma\n\nThree."})
    second = _plan(lake, source)
    assert (second.new, second.changed, second.unchanged) == (1, 1, 1)
    assert sorted(p.rsplit("/", 1)[1] for p in (i.uri for i in second.files)) == ["b.txt", "c.txt"]


def test_full_refresh_reads_recorded_inputs_again(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne."})
    record_inputs(str(lake), _plan(lake, source).pending, set(), _run(1), {})
    refresh = _plan(lake, source, full_refresh=True)
    assert (refresh.new, refresh.unchanged, len(refresh.pending), refresh.full_refresh) == (0, 1, 1, True)


def test_recording_the_same_inputs_again_commits_nothing(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne."})
    plan = _plan(lake, source)
    first = record_inputs(str(lake), plan.pending, set(), _run(1), {"records_read": 1})
    again = record_inputs(str(lake), plan.pending, set(), _run(2), {})
    assert (first.recorded, first.version, again.recorded, again.version) == (1, 0, 0, 0)
    [row] = DeltaTable(inputs_path(str(lake))).to_pyarrow_table().to_pylist()
    assert (row["uri"], row["size_bytes"], row["run_id"], len(row["sha256"])) == (str(source / "a.txt"), len("Alpha\n\nOne."), "run-1", 64)
    [commit] = DeltaTable(inputs_path(str(lake))).history()
    assert (commit["run_id"], commit["records_read"], commit["inputs_recorded"]) == ("run-1", 1, 1)
    assert DeltaTable(inputs_path(str(lake))).schema().to_arrow().names == INPUTS_SCHEMA.names


def test_unreadable_input_stays_pending_and_out_of_the_ledger(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne."})
    (source / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    plan = _plan(lake, source)
    [gone] = [i for i in plan.pending if i.file.uri.endswith("gone.txt")]
    assert (gone.sha256, plan.new) == (None, 2)
    record_inputs(str(lake), plan.pending, set(), _run(1), {})
    assert _plan(lake, source).files == [gone.file]


def test_input_rejected_as_unreadable_is_not_recorded(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne.", "b.txt": "Beta\n\nTwo."})
    plan = _plan(lake, source)
    record_inputs(str(lake), plan.pending, {str(source / "b.txt")}, _run(1), {})
    assert [i.uri for i in _plan(lake, source).files] == [str(source / "b.txt")]


def test_a_retried_commit_reports_the_commit_it_already_made(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne."})
    plan = _plan(lake, source)
    first = record_inputs(str(lake), plan.pending, set(), _run(1), {})
    retried = record_inputs(str(lake), plan.pending, set(), _run(1), {})
    assert first == retried and retried.recorded == 1
