"""Shared fixtures: the job jar, the repository root, one classic (py4j) local Spark session and one Spark Connect
server for the modules that ask for them. Spark Connect clients run in their own processes (test_connect.py,
test_example.py): pyspark decides "remote or not" per process, from an environment variable that builder.remote()
sets."""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Spark binds to the machine's outside address unless told otherwise.
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
os.environ.setdefault("SPARK_LOCAL_HOSTNAME", "localhost")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def jar() -> str:
    import sparktrain

    return sparktrain.jar_path()


@pytest.fixture(scope="session")
def spark(jar):
    from pyspark.sql import SparkSession
    import sparktrain

    builder = (SparkSession.builder.master("local[2]").appName("sparktrain-python-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
               .config("spark.driver.memory", "2g"))
    session = sparktrain.configure(builder, jar).getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory, jar):
    """A Spark Connect server from the pip-installed pyspark distribution with the job jar, on 127.0.0.1 and a free
    port, shared by the Connect tests and the example's; stopped by its PID when they are done, failed or not."""
    import sparktrain
    from spark_daemons import CONNECT_SERVER, Daemon, free_port

    run_dir = tmp_path_factory.mktemp("connect-server")
    server_tmp = run_dir / "tmp"
    server_tmp.mkdir()
    port = free_port()
    args = ["--name", "sparktrain-connect-tests", "--master", "local[2]", "--driver-memory", "2g",
            # The server's temporary files (its model cache's offloaded models among them) stay in the test's folder.
            "--driver-java-options", f"-Djava.io.tmpdir={server_tmp}",
            "--conf", f"spark.connect.grpc.binding.port={port}",
            "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
            "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=2"]
    for key, value in sparktrain.spark_conf(jar).items():
        args += ["--jars", value] if key == "spark.jars" else ["--conf", f"{key}={value}"]
    daemon = Daemon("submit", CONNECT_SERVER, args, run_dir, port)
    try:
        yield {"url": f"sc://127.0.0.1:{port}", "tmp": server_tmp, "daemon": daemon}
    finally:
        daemon.stop()
        assert not daemon.alive()
