"""A Spark Connect client run by test_connect.py in its own process (pyspark is "remote" or not per process):
    python connect_client.py sc://127.0.0.1:PORT SCENARIO WORKDIR
It prints one line ``RESULT {json}`` with what the test checks."""

import json
import os
import sys
from pathlib import Path

from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import MulticlassClassificationEvaluator, RegressionEvaluator
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.tuning import CrossValidator, ParamGridBuilder
from pyspark.sql import SparkSession

from sparktrain import SparktrainError
from sparktrain.ml import (NeuralNetClassificationModel, NeuralNetClassifier, NeuralNetRegressionModel,
                           NeuralNetRegressor)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import FEATURES, MLP, REGRESSION, blobs_df, curve_df  # noqa: E402

CACHE = "spark.connect.session.connectML.mlCache.memoryControl."


def probabilities(df, column="probability"):
    return [row[column].toArray().tolist() for row in df.orderBy("id").select(column).collect()]


def pipeline(spark, work: Path) -> dict:
    """Fit, transform, evaluate, save and load a pipeline, a model and an estimator, all through the server."""
    assembler = VectorAssembler(inputCols=FEATURES, outputCol="features")
    train, test = blobs_df(spark, 600, 1), blobs_df(spark, 200, 2)
    nn = NeuralNetClassifier(config=MLP, epochs=3, workers=2)
    model = Pipeline(stages=[assembler, nn]).fit(train)
    scored = model.transform(test)
    accuracy = MulticlassClassificationEvaluator(metricName="accuracy").evaluate(scored)
    model.write().overwrite().save(str(work / "pipeline"))
    loaded = PipelineModel.load(str(work / "pipeline"))
    fitted = model.stages[1]
    fitted.write().overwrite().save(str(work / "model"))
    reloaded = NeuralNetClassificationModel.load(str(work / "model"))
    nn.write().overwrite().save(str(work / "estimator"))
    estimator = NeuralNetClassifier.load(str(work / "estimator"))
    return {
        "accuracy": accuracy,
        "columns": scored.columns,
        "stage_type": type(loaded.stages[1]).__name__,
        "pipeline_same": probabilities(loaded.transform(test)) == probabilities(scored),
        "model_same": probabilities(reloaded.transform(assembler.transform(test))) == probabilities(scored),
        "model_uid_same": reloaded.uid == fitted.uid,
        "estimator": [estimator.uid == nn.uid, estimator.getEpochs(), estimator.getConfig() == MLP],
    }


def regression_and_tuning(spark, work: Path) -> dict:
    """A regressor, and a CrossValidator over a ParamGridBuilder grid of the classifier."""
    assembler = VectorAssembler(inputCols=["x1", "x2", "x3"], outputCol="features")
    train, test = assembler.transform(curve_df(spark, 800, 1)), assembler.transform(curve_df(spark, 200, 2))
    regressor = NeuralNetRegressor(config=REGRESSION, labelCol="y").fit(train)
    rmse = RegressionEvaluator(labelCol="y", metricName="rmse").evaluate(regressor.transform(test))
    regressor.write().overwrite().save(str(work / "regressor"))
    loaded = NeuralNetRegressionModel.load(str(work / "regressor"))
    same = ([r.prediction for r in loaded.transform(test).collect()]
            == [r.prediction for r in regressor.transform(test).collect()])

    blobs = VectorAssembler(inputCols=FEATURES, outputCol="features").transform(blobs_df(spark, 400, 1))
    nn = NeuralNetClassifier(config=MLP, epochs=1)
    grid = ParamGridBuilder().addGrid(nn.learningRate, [1e-5, 0.02]).build()
    cv = CrossValidator(estimator=nn, estimatorParamMaps=grid, numFolds=2, seed=1,
                        evaluator=MulticlassClassificationEvaluator(metricName="accuracy")).fit(blobs)
    return {"rmse": rmse, "regressor_same": same, "cv_metrics": list(cv.avgMetrics),
            "cv_best": type(cv.bestModel).__name__}


def limits_and_errors(spark, work: Path) -> dict:
    """Bad input as one line; a model over the cache's size limit; models offloaded to disk and loaded back."""
    train = VectorAssembler(inputCols=FEATURES, outputCol="features").transform(blobs_df(spark, 300, 1))
    out = {}
    try:
        NeuralNetClassifier(config=MLP, overrides=["training.epoch=2"]).fit(train)
    except SparktrainError as e:
        out["bad_config"] = str(e)
    try:
        NeuralNetClassifier(config=MLP, featuresCol="nope").fit(train)
    except SparktrainError as e:
        out["bad_column"] = str(e)
    # Every model is larger than 1 KiB of in-memory cache: each is offloaded to the server's disk as soon as it is
    # cached (MLWriter.saveToLocal) and loaded back from there when used (MLReader.loadFromLocal).
    spark.conf.set(CACHE + "maxInMemorySize", "1")
    model = NeuralNetClassifier(config=MLP, epochs=1).fit(train)
    out["offloaded_rows"] = model.transform(train).where("prediction = label").count()
    server_tmp = Path(os.environ["SPARKTRAIN_TEST_SERVER_TMP"])
    out["offloaded_files"] = len(list(server_tmp.glob("spark_connect_model_cache/*/*/model/params.npy")))
    # Above the per-model limit: refused before training, from the size the config implies.
    spark.conf.set(CACHE + "maxModelSize", "1000")
    try:
        NeuralNetClassifier(config=MLP).fit(train)
    except SparktrainError as e:
        out["too_large"] = str(e)
    spark.conf.unset(CACHE + "maxModelSize")
    try:
        NeuralNetClassificationModel.load(str(work / "missing"))
    except SparktrainError as e:
        out["missing_model"] = str(e)
    try:
        model.numClasses
    except NotImplementedError as e:
        out["not_over_connect"] = str(e)
    return out


SCENARIOS = {"pipeline": pipeline, "regression_and_tuning": regression_and_tuning,
             "limits_and_errors": limits_and_errors}

if __name__ == "__main__":
    url, scenario, workdir = sys.argv[1:4]
    session = SparkSession.builder.remote(url).getOrCreate()
    try:
        result = SCENARIOS[scenario](session, Path(workdir))
    finally:
        session.stop()
    print("RESULT " + json.dumps(result), flush=True)
