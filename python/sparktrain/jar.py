"""Where the sparktrain job jar is: the one file a Spark session needs on its classpath (``spark.jars``)."""

import os
from pathlib import Path

JAR_ENV = "SPARKTRAIN_JAR"
JAR_IN_CHECKOUT = Path("jobs") / "target" / "sparktrain-jobs-job.jar"


def jar_path() -> str:
    """The job jar: ``$SPARKTRAIN_JAR`` if set, else ``jobs/target/sparktrain-jobs-job.jar`` of the sparktrain
    checkout that holds the working directory or this installed package (a virtual environment inside the checkout).

    Raises FileNotFoundError naming what was looked for and how to build it.
    """
    configured = os.environ.get(JAR_ENV)
    if configured:
        if not Path(configured).is_file():
            raise FileNotFoundError(f"{JAR_ENV}={configured}: no such file")
        return str(Path(configured).resolve())
    starts = [Path.cwd(), Path(__file__).resolve().parent]
    for start in starts:
        for folder in [start, *start.parents]:
            candidate = folder / JAR_IN_CHECKOUT
            if candidate.is_file():
                return str(candidate)
    raise FileNotFoundError(
        f"no sparktrain job jar: set {JAR_ENV}, or build it in the sparktrain checkout "
        f"(./mvnw -B -DskipTests package writes {JAR_IN_CHECKOUT})")
