"""Spark daemons from the pip-installed pyspark distribution, for the tests: a Spark Connect server, a standalone
master and worker. Each is started by the distribution's sbin/spark-daemon.sh (what its start-connect-server.sh,
start-master.sh and start-worker.sh run; pip's pyspark ships spark-daemon.sh but not those three), bound to
127.0.0.1 on a free port, and stopped by the PID its PID file names, on failure too."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Optional

import pyspark

import sparktrain.conf

SPARK_HOME = Path(pyspark.__file__).resolve().parent
CONNECT_SERVER = "org.apache.spark.sql.connect.service.SparkConnectServer"
MASTER = "org.apache.spark.deploy.master.Master"
WORKER = "org.apache.spark.deploy.worker.Worker"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spark_env(run_dir: Path) -> Dict[str, str]:
    """The environment of Spark processes started here: loopback only, the BLAS fast path, logs and PID files in
    run_dir, and the Scala version (the pip distribution has no RELEASE file to tell Spark's launcher)."""
    env = dict(os.environ)
    env.update(SPARK_HOME=str(SPARK_HOME), SPARK_LOCAL_IP="127.0.0.1", SPARK_LOCAL_HOSTNAME="localhost",
               SPARK_SCALA_VERSION="2.13", SPARK_PID_DIR=str(run_dir), SPARK_LOG_DIR=str(run_dir),
               SPARK_IDENT_STRING="sparktrain-tests", SPARK_CONF_DIR=str(run_dir / "conf"))
    core = sparktrain.conf.blas_core_type()
    if core:
        env.setdefault("OPENBLAS_CORETYPE", core)
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    (run_dir / "conf").mkdir(parents=True, exist_ok=True)
    return env


class Daemon:
    """One daemon started by spark-daemon.sh; ``stop()`` ends exactly the PID it recorded."""

    def __init__(self, mode: str, main_class: str, args: List[str], run_dir: Path, port: int,
                 instance: int = 1, timeout: float = 180) -> None:
        self.run_dir, self.port, self.main_class, self.instance = run_dir, port, main_class, instance
        self.env = spark_env(run_dir)
        self.pid: Optional[int] = None
        result = subprocess.run(["bash", str(SPARK_HOME / "sbin" / "spark-daemon.sh"), mode, main_class,
                                 str(instance), *args], env=self.env, capture_output=True, text=True, timeout=120)
        pid_file = run_dir / f"spark-sparktrain-tests-{main_class}-{instance}.pid"
        if pid_file.is_file():
            self.pid = int(pid_file.read_text().strip())
        if result.returncode != 0 or self.pid is None:
            self.stop()
            raise RuntimeError(f"{main_class} did not start: {result.stdout}{result.stderr}{self.log()}")
        try:
            self._wait_for_port(timeout)
        except BaseException:
            self.stop()
            raise

    def log(self) -> str:
        logs = sorted(self.run_dir.glob(f"spark-sparktrain-tests-{self.main_class}-{self.instance}-*.out"))
        return "".join(path.read_text(errors="replace")[-6000:] for path in logs)

    def alive(self) -> bool:
        if self.pid is None:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        state = Path(f"/proc/{self.pid}/stat")
        return not (state.is_file() and state.read_text().split(")")[-1].split()[0] == "Z")

    def _wait_for_port(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.main_class} exited while starting:\n{self.log()}")
            with socket.socket() as s:
                s.settimeout(1)
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"{self.main_class} did not listen on 127.0.0.1:{self.port} in {timeout} s:\n{self.log()}")

    def stop(self, grace: float = 30) -> None:
        """SIGTERM (Spark's shutdown hooks run), then SIGKILL if it outlives the grace period."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGTERM)
            deadline = time.monotonic() + grace
            while self.alive() and time.monotonic() < deadline:
                time.sleep(0.2)
            if self.alive():
                os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.pid = None
