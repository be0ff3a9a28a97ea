"""The ONNX export as a Python user meets it: a model fitted from PySpark, written by exportOnnx, checked by ONNX's
own checker (full_check: types and shapes inferred through every node) and run by ONNX Runtime on raw features,
whose outputs match the model's transform (probabilities within 1e-5, regression values within 1e-4 relative)."""

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from pyspark.ml.feature import VectorAssembler

from sparktrain import SparktrainError
from sparktrain.ml import NeuralNetClassifier, NeuralNetRegressor
from data import FEATURES, MLP, REGRESSION, blobs_df, curve_df


def exported(model, path):
    model.exportOnnx(str(path))
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto, full_check=True)
    assert proto.opset_import[0].version == 17
    return proto, ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def test_classifier_matches_transform_and_passes_the_checker(spark, tmp_path):
    assembler = VectorAssembler(inputCols=FEATURES, outputCol="features")
    train = assembler.transform(blobs_df(spark, 300, 1))
    test = assembler.transform(blobs_df(spark, 50, 2))
    model = NeuralNetClassifier(config=MLP, epochs=1).fit(train)  # data.normalize: standardize, inside the ONNX file
    proto, session = exported(model, tmp_path / "blobs.onnx")
    meta = {p.key: p.value for p in proto.metadata_props}
    assert (meta["sparktrain.task"], meta["sparktrain.classes"], meta["sparktrain.input_name"]) == (
        "multiclass", "3", "features")
    rows = model.transform(test).orderBy("id").select("features", "probability", "prediction").collect()
    x = np.array([r["features"].toArray() for r in rows], dtype=np.float32)
    probabilities, classes = session.run(["probabilities", "predicted_class"], {"features": x})
    expected = np.array([r["probability"].toArray() for r in rows])
    assert np.abs(probabilities - expected).max() <= 1e-5
    assert classes.tolist() == [int(r["prediction"]) for r in rows]

    with pytest.raises(SparktrainError, match="file exists; use --overwrite to replace it"):
        model.exportOnnx(str(tmp_path / "blobs.onnx"))
    model.exportOnnx(str(tmp_path / "blobs.onnx"), overwrite=True)


def test_regressor_matches_transform(spark, tmp_path):
    assembler = VectorAssembler(inputCols=["x1", "x2", "x3"], outputCol="features")
    train = assembler.transform(curve_df(spark, 300, 1))
    model = NeuralNetRegressor(config=REGRESSION, epochs=2, labelCol="y").fit(train)
    _, session = exported(model, tmp_path / "curve.onnx")
    rows = model.transform(assembler.transform(curve_df(spark, 50, 2))).select("features", "prediction").collect()
    x = np.array([r["features"].toArray() for r in rows], dtype=np.float32)
    (prediction,) = session.run(["prediction"], {"features": x})
    expected = np.array([r["prediction"] for r in rows])
    assert np.all(np.abs(prediction[:, 0] - expected) <= 1e-4 * np.maximum(np.abs(expected), 1e-2))
