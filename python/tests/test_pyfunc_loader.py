"""The MLflow pyfunc loader that a logged sparktrain model carries (jobs' resources, sparktrain_pyfunc.py), on small
ONNX graphs with the export's output names: its columns are `sparktrain predict`'s, a binary model's one sigmoid
output included (p0 = 1 - p, p1 = p)."""

import importlib.util
from pathlib import Path

import numpy as np
import onnx
import pandas as pd
from onnx import TensorProto, helper

LOADER = (Path(__file__).resolve().parents[2] / "jobs" / "src" / "main" / "resources" / "dev" / "sparktrain" / "jobs"
          / "tracking" / "sparktrain_pyfunc.py")


def loader():
    spec = importlib.util.spec_from_file_location("sparktrain_pyfunc", LOADER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def classifier_graph(path, classes):
    """features [batch, F] -> probabilities: softmax over F = classes, or for one column the sigmoid; the class as
    the export computes it (arg-max, or p >= 0.5)."""
    features = helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", classes])
    probabilities = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", classes])
    predicted = helper.make_tensor_value_info("predicted_class", TensorProto.INT64, ["batch"])
    if classes == 1:
        half = helper.make_tensor("half", TensorProto.FLOAT, [], [0.5])
        shape = helper.make_tensor("flat", TensorProto.INT64, [1], [-1])
        nodes = [helper.make_node("Sigmoid", ["features"], ["probabilities"]),
                 helper.make_node("GreaterOrEqual", ["probabilities", "half"], ["at_least_half"]),
                 helper.make_node("Cast", ["at_least_half"], ["class_2d"], to=TensorProto.INT64),
                 helper.make_node("Reshape", ["class_2d", "flat"], ["predicted_class"])]
        initializers = [half, shape]
    else:
        nodes = [helper.make_node("Softmax", ["features"], ["probabilities"], axis=1),
                 helper.make_node("ArgMax", ["features"], ["predicted_class"], axis=1, keepdims=0)]
        initializers = []
    graph = helper.make_graph(nodes, "g", [features], [probabilities, predicted], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(path))


def test_a_binary_model_gets_both_classes_probabilities(tmp_path):
    classifier_graph(tmp_path / "binary.onnx", 1)
    logits = np.array([[-2.0], [0.0], [3.0]], dtype=np.float32)
    frame = loader().SparktrainOnnxModel(str(tmp_path / "binary.onnx")).predict(pd.DataFrame(logits, columns=["f0"]))
    assert list(frame.columns) == ["predicted", "p0", "p1"]
    p = 1 / (1 + np.exp(-logits[:, 0]))
    assert np.abs(frame["p1"].to_numpy() - p).max() <= 1e-6
    assert np.abs(frame["p0"].to_numpy() - (1 - p)).max() <= 1e-6
    assert frame["predicted"].tolist() == [0, 1, 1]


def test_a_multiclass_model_keeps_one_column_per_class(tmp_path):
    classifier_graph(tmp_path / "three.onnx", 3)
    scores = np.array([[1.0, 2.0, 0.0], [3.0, 0.0, 0.5]], dtype=np.float32)
    frame = loader().SparktrainOnnxModel(str(tmp_path / "three.onnx")).predict(
        pd.DataFrame(scores, columns=["a", "b", "c"]))
    assert list(frame.columns) == ["predicted", "p0", "p1", "p2"]
    assert frame["predicted"].tolist() == [1, 0]
    assert abs(frame[["p0", "p1", "p2"]].to_numpy().sum(axis=1) - 1).max() <= 1e-6
