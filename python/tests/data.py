"""Small deterministic data sets and configs the Python tests share (the JVM tests' blobs and curve, in Python)."""

import math
import random

FEATURES = ["x1", "x2", "x3", "x4"]

MLP = """\
name: blobs
data: {normalize: standardize}
model:
  input_shape: [4]
  layers:
    - {type: dense, units: 16, activation: relu}
    - {type: dense, units: 3}
  loss: softmax_cross_entropy
optimizer: {type: adam, lr: 0.01}
training: {epochs: 2, batch_size_per_worker: 32, workers: 2, seed: 3}
"""

REGRESSION = """\
name: curve
model:
  input_shape: [3]
  layers:
    - {type: dense, units: 32, activation: tanh}
    - {type: dense, units: 1}
  loss: mse
optimizer: {type: adam, lr: 0.02}
training: {epochs: 20, batch_size_per_worker: 16, workers: 2, seed: 5, mode: average}
"""


def blobs(rows, seed):
    """Three Gaussian blobs in four dimensions: class k sits at 2 on axis k (sd 0.6); rows (id, x1..x4, label)."""
    rng = random.Random(seed)
    out = []
    for i in range(rows):
        label = rng.randrange(3)
        xs = [(2.0 if d == label else 0.0) + 0.6 * rng.gauss(0, 1) for d in range(4)]
        out.append((i, *xs, label))
    return out


def blobs_df(spark, rows, seed):
    return spark.createDataFrame(blobs(rows, seed), ["id", *FEATURES, "label"])


def curve_df(spark, rows, seed):
    """y = 2 x1 - x2 + sin(3 x3) + N(0, 0.05^2), x uniform in [-1, 1]^3; rows (x1, x2, x3, y)."""
    rng = random.Random(seed)
    out = []
    for _ in range(rows):
        x1, x2, x3 = (rng.uniform(-1, 1) for _ in range(3))
        out.append((x1, x2, x3, 2 * x1 - x2 + math.sin(3 * x3) + rng.gauss(0, 0.05)))
    return spark.createDataFrame(out, ["x1", "x2", "x3", "y"])


IMAGES = """\
name: tiles
model:
  input_shape: [1, 4, 4]
  layers:
    - {type: flatten}
    - {type: dense, units: 3}
  loss: softmax_cross_entropy
optimizer: {type: adam, lr: 0.05}
training: {epochs: 2, batch_size_per_worker: 8, workers: 2, seed: 3}
"""


def tiles_df(spark, rows, seed):
    """4x4 one-channel images (rows in NCHW order, 16 values): class k lights column k (of the first three), plus
    noise; rows (id, features, label)."""
    from pyspark.ml.linalg import Vectors

    rng = random.Random(seed)
    out = []
    for i in range(rows):
        label = rng.randrange(3)
        pixels = [(1.0 if x == label else 0.0) + 0.3 * rng.gauss(0, 1) for y in range(4) for x in range(4)]
        out.append((i, Vectors.dense(pixels), label))
    return spark.createDataFrame(out, ["id", "features", "label"])
