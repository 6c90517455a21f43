"""lien.dask: scoring split by path instance over a dask.distributed LocalCluster with several worker processes
gives exactly the one-process scores; partitions keep each learner's instances together."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lien import _extras, _lien, cli
from lien import dask as ldask


def test_partitions_keep_a_learner_in_one_partition() -> None:
    e = pd.DataFrame({"learner_id": ["a", "a", "b", "c", "d", "e"],
                      "instance_id": ["I1", "I2", "I2", "I3", "I4", "I4"],
                      "path_id": ["P"] * 6})
    parts = ldask.partition_instances(e, 3)
    where = {i: k for k, p in enumerate(parts) for i in p}
    assert where["I1"] == where["I2"]  # learner a is in both
    assert sorted(i for p in parts for i in p) == ["I1", "I2", "I3", "I4"]
    assert len(parts) == 3
    assert ldask.partition_instances(e, 3) == parts  # deterministic


@pytest.mark.filterwarnings("ignore")
def test_distributed_scores_equal_single_process(tmp_path: Path) -> None:
    from dask.distributed import Client, LocalCluster

    last, _ = _lien.cli_simulate(96, 31, cli.DEMO_LAST_YEAR_START, None, "Y25-")
    today = _extras.instant(last, cli.DEMO_TODAY)
    this, _ = _lien.cli_simulate(144, 32, cli.DEMO_THIS_YEAR_START, today, "Y26-")
    data = tmp_path / "this"
    _lien.write_csv_dir(this, str(data))
    model = _extras.fit(last)
    single = _extras.score(_lien.read_data(str(data)).cohort, model, as_of=today).frame
    single = single.sort_values("enrolment", kind="stable").reset_index(drop=True)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        got = ldask.score(str(data), model, cli.DEMO_TODAY, client=client, partitions=4, workdir=str(tmp_path))
    assert len(got) == len(single) > 0
    pd.testing.assert_frame_equal(got, single, check_exact=True)
