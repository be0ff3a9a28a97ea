"""Spark ML estimators that train sparktrain neural networks, for PySpark and Spark Connect.

Thin wrappers over the JVM classes in ``dev.sparktrain.jobs.ml`` (in the job jar, see :func:`sparktrain.jar_path`),
in the pattern of ``pyspark.ml``'s own Java wrappers: the params live on both sides with the same names, ``fit`` and
``transform`` run on the JVM, and models saved from Python, Java or Scala load in any of them. Under Spark Connect the
same classes send their params to the server, which finds the JVM classes through ``META-INF/services`` in the jar.
"""

from pathlib import Path
from typing import Any, List, Optional

from pyspark import keyword_only
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.param.shared import (HasFeaturesCol, HasLabelCol, HasPredictionCol, HasProbabilityCol,
                                     HasRawPredictionCol)
from pyspark.ml.util import JavaMLReadable, JavaMLReader, JavaMLWritable, MLReader
from pyspark.ml.wrapper import JavaEstimator, JavaModel
from pyspark.sql.utils import is_remote

from sparktrain.errors import SparktrainError, jvm_errors

__all__ = ["NeuralNetClassifier", "NeuralNetClassificationModel", "NeuralNetRegressor", "NeuralNetRegressionModel"]

_JVM_PACKAGE = "dev.sparktrain.jobs.ml"


class _JavaClassReader(JavaMLReader):
    """Classic PySpark: loads through the JVM class the Python class names (``_java_class``), not through a class
    name derived from the Python module as pyspark does for its own classes."""

    @classmethod
    def _java_loader_class(cls, clazz) -> str:
        return clazz._java_class

    def load(self, path: str):
        with jvm_errors():
            return super().load(path)


class _RemoteReader(MLReader):
    """Spark Connect: asks the server to load the JVM class ``_java_class`` (pyspark's own remote reader derives the
    JVM class from the Python module name, which only works for ``pyspark.ml`` itself)."""

    def __init__(self, clazz) -> None:
        super().__init__()
        self._clazz = clazz

    def load(self, path: str):
        import pyspark.sql.connect.proto as pb2
        from pyspark.ml.connect.serialize import deserialize, deserialize_param
        from pyspark.ml.util import RemoteModelRef
        from pyspark.sql.connect.session import SparkSession

        session = SparkSession.getActiveSession()
        if session is None:
            raise RuntimeError("no active Spark Connect session")
        is_model = issubclass(self._clazz, JavaModel)
        kind = pb2.MlOperator.OPERATOR_TYPE_MODEL if is_model else pb2.MlOperator.OPERATOR_TYPE_ESTIMATOR
        command = pb2.Command()
        command.ml_command.read.CopyFrom(pb2.MlCommand.Read(
            operator=pb2.MlOperator(name=self._clazz._java_class, type=kind), path=path))
        with jvm_errors():
            _, properties, _ = session.client.execute_command(command)
        result = deserialize(properties)
        instance = self._clazz(RemoteModelRef(result.obj_ref.id)) if is_model else self._clazz()
        instance._resetUid(result.uid)
        instance._set(**{name: deserialize_param(value) for name, value in result.params.params.items()})
        return instance


class _JavaClassReadable(JavaMLReadable):
    """``load``/``read`` for classes whose JVM peer is ``_java_class``, in classic PySpark and over Spark Connect."""

    _java_class: str

    @classmethod
    def read(cls):
        return _RemoteReader(cls) if is_remote() else _JavaClassReader(cls)


# The upper bound the JVM config parser gives data.augment.random_crop.padding (RunConfigParser.MAX_BATCH).
_MAX_CROP_PADDING = 1 << 20


def _crop_padding(value: Any) -> int:
    """``data.augment.random_crop.padding``: a whole number >= 1, refused with the JVM config's message (the bound of
    half the images' smaller side is checked on the JVM, which knows the model's input shape)."""
    whole = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, float) and value.is_integer():
        whole = int(value)
    if whole is None or not 1 <= whole <= _MAX_CROP_PADDING:
        shown = f"'{value}'" if isinstance(value, str) else value
        raise SparktrainError(f"data.augment.random_crop.padding: expected a whole number in [1, {_MAX_CROP_PADDING}],"
                              f" got {shown}")
    return whole


def _horizontal_flip(value: Any) -> bool:
    """``data.augment.horizontal_flip``: a bool, refused with the JVM config's message."""
    if not isinstance(value, bool):
        raise SparktrainError(f"data.augment.horizontal_flip must be true or false, got '{value}'")
    return value


class _NeuralNetParams(HasFeaturesCol, HasLabelCol, HasPredictionCol):
    """The params both estimators share, as the JVM's ``NeuralNetEstimator`` declares them."""

    config: "Param[str]" = Param(
        Params._dummy(), "config", "the sparktrain training config as YAML text (model, optimizer, training "
        "sections; of data only normalize, scale and augment are used)", typeConverter=TypeConverters.toString)
    overrides: "Param[List[str]]" = Param(
        Params._dummy(), "overrides", "config overrides path=value, as the CLI's --set",
        typeConverter=TypeConverters.toListString)
    epochs: "Param[int]" = Param(Params._dummy(), "epochs", "overrides training.epochs",
                                 typeConverter=TypeConverters.toInt)
    mode: "Param[str]" = Param(Params._dummy(), "mode", "overrides training.mode: sync, average or outer",
                               typeConverter=TypeConverters.toString)
    seed: "Param[int]" = Param(Params._dummy(), "seed", "overrides training.seed",
                               typeConverter=TypeConverters.toInt)
    workers: "Param[int]" = Param(Params._dummy(), "workers",
                                  "overrides training.workers (data partitions, one task each)",
                                  typeConverter=TypeConverters.toInt)
    batchSizePerWorker: "Param[int]" = Param(Params._dummy(), "batchSizePerWorker",
                                             "overrides training.batch_size_per_worker",
                                             typeConverter=TypeConverters.toInt)
    learningRate: "Param[float]" = Param(Params._dummy(), "learningRate", "overrides optimizer.lr",
                                         typeConverter=TypeConverters.toFloat)
    cropPadding: "Param[int]" = Param(Params._dummy(), "cropPadding",
                                      "overrides data.augment.random_crop.padding: pad training images by this many "
                                      "zero pixels, then crop back at a random offset", typeConverter=_crop_padding)
    horizontalFlip: "Param[bool]" = Param(Params._dummy(), "horizontalFlip",
                                          "overrides data.augment.horizontal_flip: mirror training images left to "
                                          "right with probability 1/2", typeConverter=_horizontal_flip)
    mlflowUri: "Param[str]" = Param(Params._dummy(), "mlflowUri", "log fit to MLflow: a tracking server "
                                    "(http://host:5000) or a file store (file:/path/mlruns); overrides "
                                    "tracking.mlflow.uri", typeConverter=TypeConverters.toString)
    mlflowExperiment: "Param[str]" = Param(Params._dummy(), "mlflowExperiment",
                                           "overrides tracking.mlflow.experiment",
                                           typeConverter=TypeConverters.toString)
    mlflowRunName: "Param[str]" = Param(Params._dummy(), "mlflowRunName", "overrides tracking.mlflow.run_name",
                                        typeConverter=TypeConverters.toString)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._setDefault(overrides=[])

    def getConfig(self) -> str:
        return self.getOrDefault(self.config)

    def getOverrides(self) -> List[str]:
        return self.getOrDefault(self.overrides)

    def getEpochs(self) -> int:
        return self.getOrDefault(self.epochs)

    def getMode(self) -> str:
        return self.getOrDefault(self.mode)

    def getSeed(self) -> int:
        return self.getOrDefault(self.seed)

    def getWorkers(self) -> int:
        return self.getOrDefault(self.workers)

    def getBatchSizePerWorker(self) -> int:
        return self.getOrDefault(self.batchSizePerWorker)

    def getLearningRate(self) -> float:
        return self.getOrDefault(self.learningRate)

    def getCropPadding(self) -> int:
        return self.getOrDefault(self.cropPadding)

    def getHorizontalFlip(self) -> bool:
        return self.getOrDefault(self.horizontalFlip)

    def getMlflowUri(self) -> str:
        return self.getOrDefault(self.mlflowUri)

    def getMlflowExperiment(self) -> str:
        return self.getOrDefault(self.mlflowExperiment)

    def getMlflowRunName(self) -> str:
        return self.getOrDefault(self.mlflowRunName)


class _NeuralNetEstimator(JavaEstimator, _NeuralNetParams, _JavaClassReadable, JavaMLWritable):
    """Setters and fitting shared by both estimators."""

    def __init__(self) -> None:
        super().__init__()
        self._java_obj = self._new_java_obj(self._java_class, self.uid)

    def setConfig(self, value: str):
        """The sparktrain YAML config as text, e.g. the contents of ``conf/examples/fashion-mlp.yaml``."""
        return self._set(config=value)

    def setConfigFile(self, path: str):
        """Reads the YAML config from a file here, in Python (under Spark Connect: on the client); the text is what
        is sent to the JVM and saved with the estimator and its models."""
        return self.setConfig(Path(path).read_text())

    def setOverrides(self, value: List[str]):
        """Overrides of any config field, ``path=value`` as the CLI's ``--set`` takes them."""
        return self._set(overrides=value)

    def setEpochs(self, value: int):
        return self._set(epochs=value)

    def setMode(self, value: str):
        return self._set(mode=value)

    def setSeed(self, value: int):
        return self._set(seed=value)

    def setWorkers(self, value: int):
        return self._set(workers=value)

    def setBatchSizePerWorker(self, value: int):
        return self._set(batchSizePerWorker=value)

    def setLearningRate(self, value: float):
        return self._set(learningRate=value)

    def setCropPadding(self, value: int):
        """Training-time random crop (``data.augment.random_crop.padding``): pad each image by ``value`` zero pixels
        (1 to half its smaller side), then crop back to its size at a random offset. Needs image inputs
        (``model.input_shape: [C, H, W]``)."""
        return self._set(cropPadding=value)

    def setHorizontalFlip(self, value: bool):
        """Training-time horizontal flip (``data.augment.horizontal_flip``) of half the images, after the crop."""
        return self._set(horizontalFlip=value)

    def setMlflowUri(self, value: str):
        """Logs ``fit`` to MLflow (as ``tracking.mlflow.uri``): params, metrics, tags, artifacts and the model."""
        return self._set(mlflowUri=value)

    def setMlflowExperiment(self, value: str):
        return self._set(mlflowExperiment=value)

    def setMlflowRunName(self, value: str):
        return self._set(mlflowRunName=value)

    def setFeaturesCol(self, value: str):
        return self._set(featuresCol=value)

    def setLabelCol(self, value: str):
        return self._set(labelCol=value)

    def setPredictionCol(self, value: str):
        return self._set(predictionCol=value)

    def _fit(self, dataset):
        with jvm_errors():
            return super()._fit(dataset)


class _NeuralNetModel(JavaModel, HasFeaturesCol, HasPredictionCol, _JavaClassReadable, JavaMLWritable):
    """Transforming and the model's own params, shared by both models."""

    def setFeaturesCol(self, value: str):
        return self._set(featuresCol=value)

    def setPredictionCol(self, value: str):
        return self._set(predictionCol=value)

    def _transform(self, dataset):
        with jvm_errors():
            return super()._transform(dataset)

    def _jvm_only(self, name: str) -> None:
        if is_remote():
            raise NotImplementedError(
                f"{name} is not available over Spark Connect: its server only calls methods of Spark's own model "
                "classes on a cached model (MLUtils' allow-list); save the model and read its model/ directory")

    @property
    def numFeatures(self) -> int:
        """Values per input row (classic PySpark only)."""
        self._jvm_only("numFeatures")
        return self._call_java("numFeatures")

    def configYaml(self) -> str:
        """The resolved sparktrain config the model was trained with (classic PySpark only)."""
        self._jvm_only("configYaml")
        return self._call_java("configYaml")

    def exportOnnx(self, path: str, overwrite: bool = False) -> None:
        """Writes the model as an ONNX file (opset 17) on the driver's local file system: input ``features``
        (raw features, float32 ``[batch, F]``, normalised inside the model as ``transform`` does), outputs
        ``raw_output`` and ``probabilities`` + ``predicted_class`` (classifiers) or ``prediction`` (regression). An
        existing file is refused unless ``overwrite`` (classic PySpark only)."""
        self._jvm_only("exportOnnx")
        with jvm_errors():
            self._java_obj.exportOnnx(path, overwrite)


class NeuralNetClassificationModel(_NeuralNetModel, HasProbabilityCol, HasRawPredictionCol):
    """A fitted :class:`NeuralNetClassifier`: appends ``rawPrediction`` (network outputs), ``probability`` and
    ``prediction`` (the class index as a double), so Spark's evaluators work on its output."""

    _java_class = _JVM_PACKAGE + ".NeuralNetClassificationModel"

    def setProbabilityCol(self, value: str):
        return self._set(probabilityCol=value)

    def setRawPredictionCol(self, value: str):
        return self._set(rawPredictionCol=value)

    @property
    def numClasses(self) -> int:
        """Number of classes (classic PySpark only)."""
        self._jvm_only("numClasses")
        return self._call_java("numClasses")


class NeuralNetRegressionModel(_NeuralNetModel):
    """A fitted :class:`NeuralNetRegressor`: appends ``prediction``, the network's single output."""

    _java_class = _JVM_PACKAGE + ".NeuralNetRegressionModel"


class NeuralNetClassifier(_NeuralNetEstimator, HasProbabilityCol, HasRawPredictionCol):
    """Trains a sparktrain network for classification on a DataFrame: labels are class indices ``0..C-1`` for a
    multi-class loss with C outputs, or 0/1 for a binary loss with one output. The features column holds Spark ML
    vectors (e.g. from ``VectorAssembler``) or ``array<float|double>``.

    >>> nn = NeuralNetClassifier(epochs=3, mode="average").setConfigFile("conf/examples/fashion-logreg.yaml")
    >>> model = Pipeline(stages=[assembler, nn]).fit(train)
    """

    _java_class = _JVM_PACKAGE + ".NeuralNetClassifier"

    @keyword_only
    def __init__(self, *, featuresCol: str = "features", labelCol: str = "label",
                 predictionCol: str = "prediction", probabilityCol: str = "probability",
                 rawPredictionCol: str = "rawPrediction", config: Optional[str] = None,
                 overrides: Optional[List[str]] = None, epochs: Optional[int] = None, mode: Optional[str] = None,
                 seed: Optional[int] = None, workers: Optional[int] = None,
                 batchSizePerWorker: Optional[int] = None, learningRate: Optional[float] = None,
                 cropPadding: Optional[int] = None, horizontalFlip: Optional[bool] = None,
                 mlflowUri: Optional[str] = None, mlflowExperiment: Optional[str] = None,
                 mlflowRunName: Optional[str] = None) -> None:
        super().__init__()
        self.setParams(**self._input_kwargs)

    @keyword_only
    def setParams(self, *, featuresCol: str = "features", labelCol: str = "label",
                  predictionCol: str = "prediction", probabilityCol: str = "probability",
                  rawPredictionCol: str = "rawPrediction", config: Optional[str] = None,
                  overrides: Optional[List[str]] = None, epochs: Optional[int] = None, mode: Optional[str] = None,
                  seed: Optional[int] = None, workers: Optional[int] = None,
                  batchSizePerWorker: Optional[int] = None,
                  learningRate: Optional[float] = None, cropPadding: Optional[int] = None,
                  horizontalFlip: Optional[bool] = None, mlflowUri: Optional[str] = None,
                  mlflowExperiment: Optional[str] = None,
                  mlflowRunName: Optional[str] = None) -> "NeuralNetClassifier":
        return self._set(**{k: v for k, v in self._input_kwargs.items() if v is not None})

    def setProbabilityCol(self, value: str) -> "NeuralNetClassifier":
        return self._set(probabilityCol=value)

    def setRawPredictionCol(self, value: str) -> "NeuralNetClassifier":
        return self._set(rawPredictionCol=value)

    def _create_model(self, java_model) -> NeuralNetClassificationModel:
        return NeuralNetClassificationModel(java_model)


class NeuralNetRegressor(_NeuralNetEstimator):
    """Trains a sparktrain network with one output for regression (mse, mae, huber) on a DataFrame; configured as
    :class:`NeuralNetClassifier` is."""

    _java_class = _JVM_PACKAGE + ".NeuralNetRegressor"

    @keyword_only
    def __init__(self, *, featuresCol: str = "features", labelCol: str = "label",
                 predictionCol: str = "prediction", config: Optional[str] = None,
                 overrides: Optional[List[str]] = None, epochs: Optional[int] = None, mode: Optional[str] = None,
                 seed: Optional[int] = None, workers: Optional[int] = None,
                 batchSizePerWorker: Optional[int] = None, learningRate: Optional[float] = None,
                 cropPadding: Optional[int] = None, horizontalFlip: Optional[bool] = None,
                 mlflowUri: Optional[str] = None, mlflowExperiment: Optional[str] = None,
                 mlflowRunName: Optional[str] = None) -> None:
        super().__init__()
        self.setParams(**self._input_kwargs)

    @keyword_only
    def setParams(self, *, featuresCol: str = "features", labelCol: str = "label",
                  predictionCol: str = "prediction", config: Optional[str] = None,
                  overrides: Optional[List[str]] = None, epochs: Optional[int] = None, mode: Optional[str] = None,
                  seed: Optional[int] = None, workers: Optional[int] = None,
                  batchSizePerWorker: Optional[int] = None,
                  learningRate: Optional[float] = None, cropPadding: Optional[int] = None,
                  horizontalFlip: Optional[bool] = None, mlflowUri: Optional[str] = None,
                  mlflowExperiment: Optional[str] = None,
                  mlflowRunName: Optional[str] = None) -> "NeuralNetRegressor":
        return self._set(**{k: v for k, v in self._input_kwargs.items() if v is not None})

    def _create_model(self, java_model) -> NeuralNetRegressionModel:
        return NeuralNetRegressionModel(java_model)
