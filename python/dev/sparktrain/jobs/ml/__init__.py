"""The Python classes of the JVM package ``dev.sparktrain.jobs.ml``, under its name.

pyspark loads a saved pipeline's stages by mapping each stage's JVM class name to a Python module and class
(``JavaParams._from_java``, ``DefaultParamsReader.loadParamsInstance``); this module is where those names lead.
Use :mod:`sparktrain.ml` in code.
"""

from sparktrain.ml import (NeuralNetClassificationModel, NeuralNetClassifier, NeuralNetRegressionModel,
                           NeuralNetRegressor)

__all__ = ["NeuralNetClassifier", "NeuralNetClassificationModel", "NeuralNetRegressor", "NeuralNetRegressionModel"]
