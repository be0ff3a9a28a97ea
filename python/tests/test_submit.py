"""The pip-installed pyspark distribution running the job jar's CLI: its spark-submit in local mode, and
bin/sparktrain submit (which uses that distribution) on a standalone master and worker started by the distribution's
own daemon script."""

import csv
import re
import subprocess
from pathlib import Path

import pytest

from data import FEATURES, blobs
from spark_daemons import MASTER, SPARK_HOME, WORKER, Daemon, free_port, spark_env

CONFIG = """\
name: blobs-submit
data:
  format: csv
  train_path: {train}
  test_path: {test}
  header: true
  label_column: label
  normalize: standardize
model:
  input_shape: [4]
  layers:
    - {{type: dense, units: 16, activation: relu}}
    - {{type: dense, units: 3}}
  loss: softmax_cross_entropy
optimizer: {{type: adam, lr: 0.02}}
training: {{epochs: 1, batch_size_per_worker: 16, workers: 2, seed: 3}}
"""

RESULT = re.compile(r"^RESULT .*test_acc=([0-9.]+)", re.MULTILINE)


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("submit-data")
    for name, rows, seed in (("train", 400, 1), ("test", 200, 2)):
        with open(folder / f"{name}.csv", "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([*FEATURES, "label"])
            writer.writerows(row[1:] for row in blobs(rows, seed))
    path = folder / "blobs.yaml"
    path.write_text(CONFIG.format(train=folder / "train.csv", test=folder / "test.csv"))
    return path


def submit(root: Path, jar: str, env: dict, master: str, config: Path, out: Path, *extra: str):
    command = [str(SPARK_HOME / "bin" / "spark-submit"), "--master", master, "--deploy-mode", "client",
               "--class", "dev.sparktrain.jobs.cli.SparkTrain", "--properties-file",
               str(root / "conf" / "spark-defaults.conf"), "--driver-memory", "1g", *extra,
               jar, "train", str(config), "--out", str(out)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, cwd=root)


def check_run(done, out: Path) -> None:
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    found = RESULT.search(done.stdout)
    assert found, done.stdout[-3000:]
    assert float(found.group(1)) > 0.8  # one epoch on well-separated blobs
    assert (out / "model" / "params.npy").is_file() and (out / "metrics.jsonl").is_file()


def test_spark_submit_local(root, jar, config, tmp_path):
    env = spark_env(tmp_path / "spark")
    out = tmp_path / "run"
    check_run(submit(root, jar, env, "local[2]", config, out), out)


def test_bin_sparktrain_submit_to_a_standalone_master_and_worker(root, config, tmp_path):
    """bin/sparktrain submit runs the installed distribution's spark-submit (SPARK_HOME) against a standalone master
    and worker started by that distribution's daemon script."""
    run_dir = tmp_path / "cluster"
    run_dir.mkdir()
    master_port, worker_port = free_port(), free_port()
    master_url = f"spark://127.0.0.1:{master_port}"
    daemons = []
    try:
        daemons.append(Daemon("start", MASTER, ["--host", "127.0.0.1", "--port", str(master_port),
                                                "--webui-port", str(free_port())], run_dir, master_port))
        daemons.append(Daemon("start", WORKER, ["--host", "127.0.0.1", "--port", str(worker_port),
                                                "--webui-port", str(free_port()), "--cores", "2",
                                                "--memory", "3g", "--work-dir", str(run_dir / "work"),
                                                master_url], run_dir, worker_port))
        env = spark_env(run_dir)
        env.update(SPARKTRAIN_NO_BUILD="1", SPARK_PRINT_LAUNCH_COMMAND="1")
        out = tmp_path / "run"
        done = subprocess.run([str(root / "bin" / "sparktrain"), "submit", "--master", master_url,
                               "--driver-memory", "1g", "--", "train", str(config), "--out", str(out)],
                              env=env, capture_output=True, text=True, timeout=1200, cwd=root)
        check_run(done, out)
        # Spark's launcher printed the command it ran: the distribution's jars, not the build's target/spark-home.
        assert f"{SPARK_HOME}/jars/*" in done.stderr and "target/spark-home" not in done.stderr
        # The tasks ran in an executor JVM the worker started, not in the driver.
        executor_logs = list((run_dir / "work").glob("app-*/*/stderr"))
        assert executor_logs and any("Running task" in p.read_text(errors="replace") for p in executor_logs)
    finally:
        for daemon in reversed(daemons):
            daemon.stop()
    assert not any(d.alive() for d in daemons)
