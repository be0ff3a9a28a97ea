"""MLflow's python_function loader for a sparktrain model logged with its ONNX export.

mlflow.pyfunc.load_model(uri).predict(frame) takes the raw features as `sparktrain predict` reads them, one row per
sample (normalisation happens inside the ONNX graph), and returns predict's columns in input order: for a classifier
`predicted` and `p0..p(C-1)` (a binary model's one sigmoid output p as p0 = 1 - p and p1 = p), for regression
`prediction`. MLflow's own onnx pyfunc flattens every output into one
column, which cannot hold a [rows, classes] output next to a [rows] one, hence this loader.
"""
import numpy as np
import onnxruntime
import pandas as pd


class SparktrainOnnxModel:
    def __init__(self, path):
        self.session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name
        self.outputs = [o.name for o in self.session.get_outputs()]

    def predict(self, model_input, params=None):
        x = np.asarray(model_input, dtype=np.float32)
        if x.ndim == 1:
            x = x.reshape(1, -1)
        x = x.reshape(x.shape[0], -1)
        result = dict(zip(self.outputs, self.session.run(None, {self.input: x})))
        index = model_input.index if isinstance(model_input, pd.DataFrame) else None
        columns = {}
        if "predicted_class" in result:
            columns["predicted"] = result["predicted_class"].reshape(-1).astype(np.int64)
            probabilities = result["probabilities"].reshape(len(x), -1)
            if probabilities.shape[1] == 1:
                probabilities = np.hstack([1 - probabilities, probabilities])
            for c in range(probabilities.shape[1]):
                columns["p%d" % c] = probabilities[:, c]
        else:
            prediction = result["prediction"].reshape(len(x), -1)
            if prediction.shape[1] == 1:
                columns["prediction"] = prediction[:, 0]
            else:
                for i in range(prediction.shape[1]):
                    columns["prediction%d" % i] = prediction[:, i]
        return pd.DataFrame(columns, index=index)


def _load_pyfunc(path):
    return SparktrainOnnxModel(path)
