"""lien.dask: scoring split by path instance over a dask.distributed LocalCluster with several worker processes
gives exactly the one-process scores; partitions keep each learner's instances together."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import lien
from lien import cli
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

    last = lien.simulate(learners=96, seed=31, start=cli.DEMO_LAST_YEAR_START, id_prefix="Y25-").cohort
    this = lien.simulate(learners=144, seed=32, start=cli.DEMO_THIS_YEAR_START, observe_until=cli.DEMO_TODAY,
                         id_prefix="Y26-").cohort
    data = tmp_path / "this"
    lien.write_csv_dir(this, data)
    fitted = lien.RiskModel().fit(last)
    model = fitted.to_json()
    single = fitted.score(lien.read_data(data).cohort, cli.DEMO_TODAY).to_frame()
    single = single.sort_values("enrolment", kind="stable").reset_index(drop=True)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        got = ldask.score(str(data), model, cli.DEMO_TODAY, client=client, partitions=4, workdir=str(tmp_path))
    assert len(got) == len(single) > 0
    pd.testing.assert_frame_equal(got, single, check_exact=True)
