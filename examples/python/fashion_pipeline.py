#!/usr/bin/env python3
"""Fashion-MNIST with sparktrain from Python: read the images into a DataFrame, assemble the pixels into a features
vector, fit a NeuralNetClassifier in a Spark ML Pipeline, evaluate it with Spark's MulticlassClassificationEvaluator,
save the fitted pipeline and load it back.

    bin/python-env && bin/example-data                 # once: the Python environment and data/examples/*.csv
    .venv/bin/python examples/python/fashion_pipeline.py
    .venv/bin/python examples/python/fashion_pipeline.py --remote sc://localhost:15002   # the same over Spark Connect

--format csv (the default) reads the 7x7-pooled CSVs that bin/example-data writes (49 pixel columns) and trains
conf/examples/fashion-logreg.yaml; --format idx reads the original 28x28 IDX files of data/fashion-mnist
(bin/fetch-fashion-mnist) here in Python and trains conf/examples/fashion-mlp.yaml. Over Spark Connect, CSV files and
--model-dir are paths on the server's file system (the same machine in the tests); IDX rows are sent from the client.
Ends with one line: RESULT accuracy=... loaded_accuracy=... model=... ; bad input ends with one line and exit code 2.
"""

import argparse
import gzip
import struct
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--remote", metavar="URL", help="a Spark Connect server, e.g. sc://localhost:15002 "
                   "(default: a local Spark session in this process, local[2])")
    p.add_argument("--format", choices=["csv", "idx"], default="csv")
    p.add_argument("--data", type=Path, help="folder of the data (default: data/examples for csv, "
                   "data/fashion-mnist for idx)")
    p.add_argument("--config", type=Path, help="the sparktrain YAML (default: conf/examples/fashion-logreg.yaml "
                   "for csv, conf/examples/fashion-mlp.yaml for idx)")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--train-rows", type=int, default=0, help="use only the first N training rows (0: all 60000)")
    p.add_argument("--test-rows", type=int, default=0, help="use only the first N test rows (0: all 10000)")
    p.add_argument("--model-dir", type=Path, default=ROOT / "runs" / "fashion-pipeline-python",
                   help="where the fitted pipeline is saved (refused if it exists, unless --overwrite)")
    p.add_argument("--overwrite", action="store_true", help="replace --model-dir if it exists")
    args = p.parse_args(argv)
    for name in ("epochs",):
        if getattr(args, name) < 1:
            fail(f"--{name} must be at least 1, got {getattr(args, name)}")
    for name in ("train_rows", "test_rows"):
        if getattr(args, name) < 0:
            fail(f"--{name.replace('_', '-')} must be 0 or more, got {getattr(args, name)}")
    args.data = (args.data or ROOT / ("data/examples" if args.format == "csv" else "data/fashion-mnist")).resolve()
    args.config = (args.config or ROOT / "conf/examples" / (
        "fashion-logreg.yaml" if args.format == "csv" else "fashion-mlp.yaml")).resolve()
    args.model_dir = args.model_dir.resolve()
    return args


def read_idx(path: Path, rows: int):
    """An IDX file (MNIST's format, gzip or raw) as a numpy array: images (n, h*w) or labels (n,)."""
    import numpy as np

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        magic = f.read(4)
        if len(magic) < 4 or magic[:2] != b"\x00\x00" or magic[2] != 8:
            fail(f"{path}: not an unsigned-byte IDX file (magic {magic.hex()})")
        dims = struct.unpack(">" + "I" * magic[3], f.read(4 * magic[3]))
        count = min(dims[0], rows) if rows else dims[0]
        size = int(np.prod(dims[1:], dtype=np.int64)) if len(dims) > 1 else 1
        data = np.frombuffer(f.read(count * size), dtype=np.uint8)
    if data.size != count * size:
        fail(f"{path}: truncated: expected {count * size} bytes of values, found {data.size}")
    return data.reshape(count, size) if len(dims) > 1 else data


def idx_frame(spark, folder: Path, split: str, rows: int):
    """Pixels p0..p783 (raw bytes 0..255; the config's data.scale maps them to [0, 1]) and the label."""
    import pandas as pd

    prefix = "train" if split == "train" else "t10k"
    images, labels = (folder / f"{prefix}-images-idx3-ubyte.gz", folder / f"{prefix}-labels-idx1-ubyte.gz")
    for path in (images, labels):
        if not path.is_file():
            fail(f"{path}: no such file; bin/fetch-fashion-mnist fetches it")
    pixels, label = read_idx(images, rows), read_idx(labels, rows)
    if len(pixels) != len(label):
        fail(f"{images}: {len(pixels)} images but {labels}: {len(label)} labels")
    frame = pd.DataFrame(pixels.astype("float32"), columns=[f"p{i}" for i in range(pixels.shape[1])])
    frame["label"] = label.astype("int32")
    return spark.createDataFrame(frame)


def csv_frame(spark, folder: Path, split: str, rows: int):
    path = folder / f"fashion7x7-{split}.csv"
    if not path.is_file():
        fail(f"{path}: no such file; bin/example-data writes it")
    # The layout bin/example-data writes: the class, then 49 pooled pixels. A schema spares a pass to infer one.
    schema = "label INT, " + ", ".join(f"p{i} DOUBLE" for i in range(49))
    df = spark.read.option("header", True).option("mode", "FAILFAST").schema(schema).csv(str(path))
    return df.limit(rows) if rows else df


def session(remote):
    from pyspark.sql import SparkSession

    if remote:
        return SparkSession.builder.remote(remote).getOrCreate()
    import sparktrain

    # Arrow turns the IDX pixels (a pandas frame) into a DataFrame in one go instead of row by row.
    builder = (SparkSession.builder.master("local[2]").appName("fashion-pipeline").config("spark.ui.enabled", "false")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.ui.showConsoleProgress", "false"))
    spark = sparktrain.configure(builder).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def main(argv) -> None:
    args = parse_args(argv)
    if not args.config.is_file():
        fail(f"{args.config}: no such file")
    if args.model_dir.exists() and not args.overwrite:
        fail(f"{args.model_dir}: exists; use --overwrite to replace it or --model-dir to choose another folder")

    from pyspark.ml import Pipeline, PipelineModel
    from pyspark.ml.evaluation import MulticlassClassificationEvaluator
    from pyspark.ml.feature import VectorAssembler

    from sparktrain import SparktrainError
    from sparktrain.ml import NeuralNetClassifier

    spark = session(args.remote)
    try:
        read = csv_frame if args.format == "csv" else idx_frame
        train = read(spark, args.data, "train", args.train_rows)
        test = read(spark, args.data, "test", args.test_rows)
        pixels = [c for c in train.columns if c != "label"]
        assembler = VectorAssembler(inputCols=pixels, outputCol="features")
        classifier = NeuralNetClassifier(epochs=args.epochs).setConfigFile(str(args.config))
        evaluator = MulticlassClassificationEvaluator(metricName="accuracy")

        started = time.monotonic()
        model = Pipeline(stages=[assembler, classifier]).fit(train)
        fit_seconds = time.monotonic() - started
        accuracy = evaluator.evaluate(model.transform(test))
        print(f"fitted {args.epochs} epoch(s) on {train.count()} rows in {fit_seconds:.1f} s; "
              f"test accuracy {accuracy:.4f}", flush=True)

        writer = model.write().overwrite() if args.overwrite else model.write()
        writer.save(str(args.model_dir))
        loaded = PipelineModel.load(str(args.model_dir))
        loaded_accuracy = evaluator.evaluate(loaded.transform(test))
        print(f"RESULT accuracy={accuracy:.4f} loaded_accuracy={loaded_accuracy:.4f} model={args.model_dir}",
              flush=True)
        if loaded_accuracy != accuracy:
            fail(f"{args.model_dir}: the loaded pipeline scores {loaded_accuracy}, the fitted one {accuracy}")
    except SparktrainError as error:
        fail(str(error))
    finally:
        spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
