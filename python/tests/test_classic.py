"""The estimators from classic PySpark (a local driver JVM over py4j): params, pipelines, tuning, persistence both
ways between Python and the JVM, and bad input as one Python exception line."""

import pytest
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import MulticlassClassificationEvaluator, RegressionEvaluator
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.tuning import CrossValidator, CrossValidatorModel, ParamGridBuilder

import sparktrain
from sparktrain import SparktrainError
from sparktrain.ml import (NeuralNetClassificationModel, NeuralNetClassifier, NeuralNetRegressionModel,
                           NeuralNetRegressor)
from data import FEATURES, IMAGES, MLP, REGRESSION, blobs_df, curve_df, tiles_df


@pytest.fixture(scope="module")
def assembler():
    return VectorAssembler(inputCols=FEATURES, outputCol="features")


@pytest.fixture(scope="module")
def train(spark, assembler):
    return assembler.transform(blobs_df(spark, 600, 1)).cache()


@pytest.fixture(scope="module")
def test(spark, assembler):
    return assembler.transform(blobs_df(spark, 200, 2)).cache()


def predictions(df, column="probability"):
    return [row[column].toArray().tolist() if hasattr(row[column], "toArray") else row[column]
            for row in df.orderBy("id").select(column).collect()]


def accuracy(df):
    return MulticlassClassificationEvaluator(metricName="accuracy").evaluate(df)


def test_params_are_the_jvm_params_with_getters_and_setters(spark, tmp_path):
    for estimator in (NeuralNetClassifier(), NeuralNetRegressor()):
        jvm_names = {p.name() for p in estimator._java_obj.params()}
        assert {p.name for p in estimator.params} == jvm_names
    config_file = tmp_path / "net.yaml"
    config_file.write_text(MLP)
    nn = (NeuralNetClassifier(epochs=4, mode="average").setConfigFile(str(config_file)).setSeed(11).setWorkers(2)
          .setBatchSizePerWorker(16).setLearningRate(0.005).setOverrides(["optimizer.type=sgd"])
          .setFeaturesCol("f").setLabelCol("y").setPredictionCol("p").setProbabilityCol("pr").setRawPredictionCol(""))
    assert (nn.getConfig(), nn.getEpochs(), nn.getMode(), nn.getSeed(), nn.getWorkers(), nn.getBatchSizePerWorker(),
            nn.getLearningRate(), nn.getOverrides()) == (MLP, 4, "average", 11, 2, 16, 0.005, ["optimizer.type=sgd"])
    assert (nn.getFeaturesCol(), nn.getLabelCol(), nn.getPredictionCol(), nn.getProbabilityCol(),
            nn.getRawPredictionCol()) == ("f", "y", "p", "pr", "")
    # What the JVM resolves from them: the typed params win over the YAML and the overrides.
    nn._transfer_params_to_java()
    resolved = nn._java_obj.resolvedConfig()
    assert resolved.training().epochs() == 4 and resolved.training().seed() == 11
    assert resolved.training().batchSizePerWorker() == 16
    assert NeuralNetRegressor().getOrDefault("labelCol") == "label"
    tracked = NeuralNetRegressor(mlflowUri="file:/tmp/mlruns").setMlflowExperiment("exp").setMlflowRunName("r1")
    assert (tracked.getMlflowUri(), tracked.getMlflowExperiment(), tracked.getMlflowRunName()) == (
        "file:/tmp/mlruns", "exp", "r1")
    tracked._transfer_params_to_java()
    assert tracked._java_obj.getOrDefault(tracked._java_obj.mlflowRunName()) == "r1"


def test_pipeline_fits_evaluates_saves_and_loads(spark, assembler, tmp_path):
    raw_train, raw_test = blobs_df(spark, 600, 1), blobs_df(spark, 200, 2)
    nn = NeuralNetClassifier(config=MLP, epochs=3)
    model = Pipeline(stages=[assembler, nn]).fit(raw_train)
    scored = model.transform(raw_test)
    assert accuracy(scored) > 0.9
    assert {"rawPrediction", "probability", "prediction"} <= set(scored.columns)

    path = str(tmp_path / "pipeline")
    model.write().overwrite().save(path)
    again = PipelineModel.load(path)
    assert isinstance(again.stages[1], NeuralNetClassificationModel)
    assert again.stages[1].numClasses == 3 and again.stages[1].numFeatures == 4
    assert predictions(again.transform(raw_test)) == predictions(scored)

    unfitted = str(tmp_path / "unfitted")
    Pipeline(stages=[assembler, nn]).write().save(unfitted)
    loaded = Pipeline.load(unfitted).getStages()[1]
    assert isinstance(loaded, NeuralNetClassifier) and loaded.getEpochs() == 3 and loaded.getConfig() == MLP


def test_model_and_estimator_save_and_load(spark, train, test, tmp_path):
    nn = NeuralNetClassifier(config=MLP, epochs=2, probabilityCol="p")
    model = nn.fit(train)
    assert isinstance(model, NeuralNetClassificationModel) and model.getProbabilityCol() == "p"
    model.save(str(tmp_path / "model"))
    loaded = NeuralNetClassificationModel.load(str(tmp_path / "model"))
    assert loaded.uid == model.uid and loaded.getProbabilityCol() == "p"
    assert predictions(loaded.transform(test), "p") == predictions(model.transform(test), "p")
    assert "softmax_cross_entropy" in loaded.configYaml()
    assert (tmp_path / "model" / "model" / "params.npy").is_file()  # the CLI's model directory inside

    nn.save(str(tmp_path / "estimator"))
    estimator = NeuralNetClassifier.load(str(tmp_path / "estimator"))
    assert estimator.uid == nn.uid and estimator.getEpochs() == 2 and estimator.getProbabilityCol() == "p"


def test_regressor_learns_and_round_trips(spark, tmp_path):
    assembler = VectorAssembler(inputCols=["x1", "x2", "x3"], outputCol="features")
    train, test = assembler.transform(curve_df(spark, 800, 1)), assembler.transform(curve_df(spark, 200, 2))
    model = NeuralNetRegressor(config=REGRESSION, labelCol="y").fit(train)
    scored = model.transform(test)
    rmse = RegressionEvaluator(labelCol="y", metricName="rmse").evaluate(scored)
    assert rmse < 0.35, rmse  # predicting the mean scores ~1.3
    model.save(str(tmp_path / "reg"))
    loaded = NeuralNetRegressionModel.load(str(tmp_path / "reg"))
    assert [r.prediction for r in loaded.transform(test).collect()] == [r.prediction for r in scored.collect()]


def test_cross_validator_with_param_grid(spark, train, test, tmp_path):
    nn = NeuralNetClassifier(config=MLP, epochs=1)
    grid = ParamGridBuilder().addGrid(nn.learningRate, [1e-5, 0.02]).build()
    cv = CrossValidator(estimator=nn, estimatorParamMaps=grid, numFolds=2, seed=1,
                        evaluator=MulticlassClassificationEvaluator(metricName="accuracy"))
    model = cv.fit(train)
    assert len(model.avgMetrics) == 2
    # A learning rate of 1e-5 barely moves the initial parameters in one epoch; 0.02 learns the blobs.
    assert model.avgMetrics[1] > model.avgMetrics[0] + 0.2, model.avgMetrics
    assert isinstance(model.bestModel, NeuralNetClassificationModel)
    path = str(tmp_path / "cv")
    model.save(path)
    again = CrossValidatorModel.load(path)
    assert predictions(again.bestModel.transform(test)) == predictions(model.bestModel.transform(test))


def test_model_saved_by_the_jvm_loads_in_python_and_back(spark, train, test, tmp_path):
    jvm = spark._jvm
    java_estimator = jvm.dev.sparktrain.jobs.ml.NeuralNetClassifier().setConfig(MLP).setEpochs(1)
    java_model = java_estimator.fit(train._jdf)
    java_path = str(tmp_path / "from-java")
    java_model.save(java_path)
    from pyspark.sql import DataFrame

    java_predictions = predictions(DataFrame(java_model.transform(test._jdf), spark))
    python_model = NeuralNetClassificationModel.load(java_path)
    assert python_model.uid == java_model.uid()
    assert predictions(python_model.transform(test)) == java_predictions

    # A pipeline saved from Python, loaded by the JVM's own PipelineModel.load.
    python_path = str(tmp_path / "from-python")
    PipelineModel(stages=[python_model]).save(python_path)
    loaded_in_java = jvm.org.apache.spark.ml.PipelineModel.load(python_path)
    assert loaded_in_java.stages()[0].getClass().getName() == "dev.sparktrain.jobs.ml.NeuralNetClassificationModel"
    assert predictions(DataFrame(loaded_in_java.transform(test._jdf), spark)) == java_predictions


def test_bad_input_is_one_python_line(spark, train, tmp_path):
    def refused(call):
        with pytest.raises(SparktrainError) as caught:
            call()
        message = str(caught.value)
        assert "\n" not in message and "Py4J" not in message and "at dev." not in message, message
        return message

    assert isinstance(SparktrainError("x"), ValueError)
    assert refused(lambda: NeuralNetClassifier(config=MLP, overrides=["training.epoch=2"]).fit(train)) \
        == "unknown field 'training.epoch'; did you mean 'epochs'?"
    assert refused(lambda: NeuralNetClassifier().fit(train)).startswith("config is not set")
    assert "use NeuralNetRegressor" in refused(lambda: NeuralNetClassifier(config=REGRESSION).fit(train))
    assert refused(lambda: NeuralNetClassifier(config=MLP, featuresCol="nope").fit(train)) \
        .startswith("featuresCol 'nope' is not a column")
    from pyspark.sql import functions as F
    label = refused(lambda: NeuralNetClassifier(config=MLP).fit(train.withColumn("label", F.lit(3))))
    assert "label 3 is not a class index, expected a whole number in [0, 2]" in label

    model = NeuralNetClassifier(config=MLP, epochs=1).fit(train)
    assert refused(lambda: model.setFeaturesCol("nope").transform(train)).startswith("featuresCol 'nope'")
    path = tmp_path / "damaged"
    model.setFeaturesCol("features").save(str(path))
    (path / "model" / "params.npy").write_bytes(b"not numpy")
    assert refused(lambda: NeuralNetClassificationModel.load(str(path))) \
        .startswith(f"{path}/model/params.npy: corrupted: not an NPY file")
    missing = str(tmp_path / "never-saved")
    assert refused(lambda: NeuralNetClassificationModel.load(missing)).startswith(f"{missing}: no saved model there")


def test_augmentation_params_change_the_training_deterministically(spark):
    train, test = tiles_df(spark, 96, 1).cache(), tiles_df(spark, 48, 2)
    plain = NeuralNetClassifier(config=IMAGES).fit(train)
    augmented = NeuralNetClassifier(config=IMAGES, cropPadding=1, horizontalFlip=True).fit(train)
    again = NeuralNetClassifier(config=IMAGES).setCropPadding(1).setHorizontalFlip(True)
    assert (again.getCropPadding(), again.getHorizontalFlip()) == (1, True)
    again = again.fit(train)
    # The model's resolved config records the augmentation; the plain run has none.
    assert "augment" not in plain.configYaml()
    augment = augmented.configYaml().split("augment:", 1)[1]
    assert "padding: 1" in augment and "horizontal_flip: true" in augment, augmented.configYaml()
    # Cropped and flipped batches train other parameters, the same ones on every run (a pure function of the seed).
    assert predictions(augmented.transform(test)) == predictions(again.transform(test))
    assert predictions(augmented.transform(test)) != predictions(plain.transform(test))
    flipped = NeuralNetClassifier(config=IMAGES, horizontalFlip=True).fit(train)
    assert predictions(flipped.transform(test)) not in (predictions(plain.transform(test)),
                                                        predictions(augmented.transform(test)))


def test_bad_augmentation_values_are_one_line_as_the_jvm_words_them(spark, train):
    def refused(call):
        with pytest.raises(SparktrainError) as caught:
            call()
        message = str(caught.value)
        assert "\n" not in message and "Py4J" not in message, message
        return message

    # Refused when set, with the JVM config's words: the estimator never holds a bad value.
    assert refused(lambda: NeuralNetClassifier(cropPadding=0)) \
        == "data.augment.random_crop.padding: expected a whole number in [1, 1048576], got 0"
    assert refused(lambda: NeuralNetClassifier().setCropPadding(1.5)) \
        == "data.augment.random_crop.padding: expected a whole number in [1, 1048576], got 1.5"
    assert refused(lambda: NeuralNetClassifier(horizontalFlip="maybe")) \
        == "data.augment.horizontal_flip must be true or false, got 'maybe'"
    # What needs the model's input shape is refused by the JVM when fit resolves the config.
    tiles = tiles_df(spark, 16, 3)
    assert refused(lambda: NeuralNetClassifier(config=IMAGES, cropPadding=3).fit(tiles)) \
        == "data.augment.random_crop.padding must be in [1, 2] for 4x4 images (at most half the smaller side), got 3"
    assert refused(lambda: NeuralNetClassifier(config=MLP, horizontalFlip=True).fit(train)) \
        == "data.augment needs image inputs, model.input_shape [C, H, W], got input_shape [4]"


def test_spark_conf_is_what_the_jvm_sets(spark, jar):
    jvm = spark._jvm
    java_conf = jvm.dev.sparktrain.driver.serialization.SparktrainSparkConf.applyDefaults(
        jvm.org.apache.spark.SparkConf(False))
    jvm_settings = {t._1(): t._2() for t in java_conf.getAll()}
    python_settings = sparktrain.spark_conf(jar)
    assert python_settings.pop("spark.jars") == jar
    # The one difference, on purpose: a general-purpose session also runs Spark SQL work with unregistered classes.
    assert (jvm_settings.pop("spark.kryo.registrationRequired"),
            python_settings.pop("spark.kryo.registrationRequired")) == ("true", "false")
    assert python_settings == jvm_settings


def test_a_session_so_configured_runs_ordinary_spark_sql_too(spark, tmp_path):
    # CSV schema inference ships a DataType[] from its tasks through Kryo.
    (tmp_path / "x.csv").write_text("a,b\n1,2.5\n3,4.5\n")
    df = spark.read.option("header", True).option("inferSchema", True).csv(str(tmp_path / "x.csv"))
    assert [f.dataType.simpleString() for f in df.schema.fields] == ["int", "double"]


def test_jar_path_finds_the_build_or_says_how_to_make_it(jar, monkeypatch, tmp_path):
    assert jar.endswith("jobs/target/sparktrain-jobs-job.jar")
    monkeypatch.setenv("SPARKTRAIN_JAR", str(tmp_path / "missing.jar"))
    with pytest.raises(FileNotFoundError, match="missing.jar: no such file"):
        sparktrain.jar_path()
