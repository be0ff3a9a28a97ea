"""The Spark settings a session needs to run sparktrain, for Python: the defaults of the JVM's
``SparktrainSparkConf.applyDefaults`` (a test checks they agree) but one, plus the job jar on the classpath."""

import os
from pathlib import Path
from typing import Dict, Optional

from sparktrain.jar import jar_path

REGISTRATOR = "dev.sparktrain.driver.serialization.SparktrainKryoRegistrator"
LOSS_LISTENER = "dev.sparktrain.driver.cluster.ExecutorLossListener"


def blas_core_type(cpuinfo: Path = Path("/proc/cpuinfo")) -> Optional[str]:
    """OpenBLAS's core type for this CPU (as bin/blas-env picks it): SKYLAKEX with AVX-512 (F, BW, VL), HASWELL with
    AVX2 and FMA, else None. OpenBLAS 0.3.19 does not recognise recent CPUs and falls back to slow generic kernels
    unless told before it loads."""
    try:
        with open(cpuinfo) as f:
            line = next((l for l in f if l.startswith("flags")), "")
    except OSError:
        return None
    flags = set(line.partition(":")[2].split())
    if {"avx512f", "avx512bw", "avx512vl"} <= flags:
        return "SKYLAKEX"
    if {"avx2", "fma"} <= flags:
        return "HASWELL"
    return None


def spark_conf(jar: Optional[str] = None, task_cpus: int = 1) -> Dict[str, str]:
    """The settings a SparkSession needs to train with sparktrain, as a dict for ``SparkSession.builder.config``:
    the job jar (``spark.jars``), Kryo with sparktrain's registrator, the executor loss listener, the executors' BLAS
    environment and the broadcast and task-result settings, with the values ``SparktrainSparkConf.applyDefaults``
    gives on the JVM side, except that Kryo does not require every class to be registered. ``jar`` defaults to
    :func:`sparktrain.jar_path`."""
    threads = str(task_cpus)
    conf = {
        "spark.jars": jar or jar_path(),
        "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
        # Not "true" as on the JVM side: a Python (or Spark Connect) session runs any Spark SQL work besides training,
        # and Spark ships classes nobody registers (CSV schema inference returns a DataType[] from its tasks). The
        # trainer's own classes are registered by its registrator either way.
        "spark.kryo.registrationRequired": "false",
        "spark.kryo.registrator": REGISTRATOR,
        "spark.extraListeners": LOSS_LISTENER,
        "spark.executorEnv.OMP_NUM_THREADS": threads,
        "spark.executorEnv.OPENBLAS_NUM_THREADS": threads,
        "spark.broadcast.compress": "false",
        "spark.task.maxDirectResultSize": "128m",
    }
    if task_cpus != 1:
        conf["spark.task.cpus"] = threads
    core = blas_core_type()
    if core:
        conf["spark.executorEnv.OPENBLAS_CORETYPE"] = core
    return conf


def set_driver_blas_env() -> None:
    """Sets this process's BLAS environment where unset, so a driver JVM that PySpark starts from it (and, in local
    mode, the tasks inside it) gets OpenBLAS's fast kernels and one native thread per task. It must run before the
    first SparkSession starts the JVM."""
    core = blas_core_type()
    if core:
        os.environ.setdefault("OPENBLAS_CORETYPE", core)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def configure(builder, jar: Optional[str] = None):
    """Applies :func:`spark_conf` to a ``SparkSession.builder`` (keeping what it already sets) and the driver's BLAS
    environment, and returns the builder::

        spark = sparktrain.configure(SparkSession.builder.master("local[2]")).getOrCreate()
    """
    set_driver_blas_env()
    chosen = getattr(builder, "_options", {})
    for key, value in spark_conf(jar).items():
        if key not in chosen:
            builder = builder.config(key, value)
    return builder
