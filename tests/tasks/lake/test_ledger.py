import os

import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

from schemas.tables import INPUTS_SCHEMA
from tasks.ingest.files import discover_inputs
from tasks.lake.ledger import forget_inputs, plan_inputs, record_inputs
from tasks.lake.paths import inputs_path
from tests.support.factories import run_info


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
    assert record_inputs(str(lake), first.pending, set(), run_info(1), {}).recorded == 2

    _folder(tmp_path, **{"b.txt": "Beta\n\nTwo, corrected.", "c.txt": "Gamma\n\nThree."})
    second = _plan(lake, source)
    assert (second.new, second.changed, second.unchanged) == (1, 1, 1)
    assert sorted(p.rsplit("/", 1)[1] for p in (i.uri for i in second.files)) == ["b.txt", "c.txt"]


def test_full_refresh_reads_recorded_inputs_again(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne."})
    record_inputs(str(lake), _plan(lake, source).pending, set(), run_info(1), {})
    refresh = _plan(lake, source, full_refresh=True)
    assert (refresh.new, refresh.unchanged, len(refresh.pending), refresh.full_refresh) == (0, 1, 1, True)


def test_recording_the_same_inputs_again_commits_nothing(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne."})
    plan = _plan(lake, source)
    first = record_inputs(str(lake), plan.pending, set(), run_info(1), {"records_read": 1})
    again = record_inputs(str(lake), plan.pending, set(), run_info(2), {})
    assert (first.recorded, first.version, again.recorded, again.version) == (1, 0, 0, 0)
    [row] = DeltaTable(inputs_path(str(lake))).to_pyarrow_table().to_pylist()
    assert (row["uri"], row["size_bytes"], row["run_id"], len(row["sha256"])) == (
        str(source / "a.txt"),
        len("Alpha\n\nOne."),
        "run-1",
        64,
    )
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
    record_inputs(str(lake), plan.pending, set(), run_info(1), {})
    assert _plan(lake, source).files == [gone.file]


def test_input_rejected_as_unreadable_is_not_recorded(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne.", "b.txt": "Beta\n\nTwo."})
    plan = _plan(lake, source)
    record_inputs(str(lake), plan.pending, {str(source / "b.txt")}, run_info(1), {})
    assert [i.uri for i in _plan(lake, source).files] == [str(source / "b.txt")]


def test_a_retried_commit_reports_the_commit_it_already_made(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne."})
    plan = _plan(lake, source)
    first = record_inputs(str(lake), plan.pending, set(), run_info(1), {})
    retried = record_inputs(str(lake), plan.pending, set(), run_info(1), {})
    assert first == retried and retried.recorded == 1


def test_an_input_listed_with_its_recorded_stamp_is_not_read_again(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne."})
    record_inputs(str(lake), _plan(lake, source).pending, set(), run_info(1), {})
    listed = (source / "a.txt").stat()
    # Same size, same inode, modification time put back: nothing a listing shows has changed,
    # so the bytes are not read (a full refresh reads them).
    (source / "a.txt").write_text("Alpha\n\nUno.")
    os.utime(source / "a.txt", ns=(listed.st_atime_ns, listed.st_mtime_ns))

    plan = _plan(lake, source)
    assert (plan.unchanged, plan.pending, plan.restamped) == (1, [], [])
    refresh = _plan(lake, source, full_refresh=True)
    assert (refresh.changed, [i.file.uri for i in refresh.pending]) == (1, [str(source / "a.txt")])


def test_a_touched_input_is_hashed_once_and_only_its_new_stamp_recorded(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne."})
    record_inputs(str(lake), _plan(lake, source).pending, set(), run_info(1), {})
    [before] = DeltaTable(inputs_path(str(lake))).to_pyarrow_table().to_pylist()
    listed = (source / "a.txt").stat()
    os.utime(source / "a.txt", ns=(listed.st_atime_ns, listed.st_mtime_ns + 5_000_000_000))

    plan = _plan(lake, source)
    assert (plan.unchanged, plan.pending, len(plan.restamped)) == (1, [], 1)
    assert record_inputs(str(lake), plan.restamped, set(), run_info(2), {}).recorded == 1
    [after] = DeltaTable(inputs_path(str(lake))).to_pyarrow_table().to_pylist()
    assert after == before | {"stamp": plan.restamped[0].file.stamp}  # still the run that processed the bytes
    assert _plan(lake, source).restamped == []


def test_a_ledger_written_before_stamps_gains_them_on_the_nextrun_info(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne.", "b.txt": "Beta\n\nTwo."})
    plan = _plan(lake, source)
    old_schema = INPUTS_SCHEMA.remove(INPUTS_SCHEMA.get_field_index("stamp"))
    old_rows = [
        {
            "uri": i.file.uri,
            "sha256": i.sha256,
            "size_bytes": i.size_bytes,
            "source_format": "txt",
            "run_id": "run-1",
            "pipeline_version": "0.1.0",
            "processed_at": run_info(1).started_at,
        }
        for i in plan.pending
    ]
    write_deltalake(inputs_path(str(lake)), pa.Table.from_pylist(old_rows, schema=old_schema))

    upgraded = _plan(lake, source)
    assert (upgraded.unchanged, upgraded.pending, len(upgraded.restamped)) == (2, [], 2)
    assert record_inputs(str(lake), upgraded.restamped, set(), run_info(2), {}).recorded == 2
    rows = DeltaTable(inputs_path(str(lake))).to_pyarrow_table().to_pylist()
    assert sorted((row["uri"], row["run_id"], row["stamp"] is not None) for row in rows) == [
        (str(source / "a.txt"), "run-1", True),
        (str(source / "b.txt"), "run-1", True),
    ]
    assert _plan(lake, source).restamped == []


def test_forgotten_inputs_are_pending_again_and_the_others_stay_recorded(tmp_path):
    lake = tmp_path / "lake"
    source = _folder(tmp_path, **{"a.txt": "Alpha\n\nOne.", "b.txt": "Beta\n\nTwo."})
    record_inputs(str(lake), _plan(lake, source).pending, set(), run_info(1), {})
    unknown = str(source / "never-read.txt")
    assert forget_inputs(str(lake), {str(source / "b.txt"), unknown}, {"restored_articles_version": 0}) == 1
    assert forget_inputs(str(lake), {unknown}, {}) == 0  # nothing the ledger holds: no commit
    after = _plan(lake, source)
    assert (after.new, after.unchanged, [item.uri for item in after.files]) == (1, 1, [str(source / "b.txt")])
    [forget, *_] = DeltaTable(inputs_path(str(lake))).history()
    assert (forget["version"], forget["inputs_forgotten"], forget["restored_articles_version"]) == (1, 1, 0)
