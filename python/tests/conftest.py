"""Shared fixtures: the job jar, the repository root, and one classic (py4j) local Spark session for the module
that asks for it. Spark Connect clients run in their own processes (test_connect.py): pyspark decides "remote or
not" per process, from an environment variable that builder.remote() sets."""

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
