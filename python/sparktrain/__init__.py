"""sparktrain for Python: Spark ML estimators that train neural networks on the JVM (PySpark and Spark Connect).

    from pyspark.sql import SparkSession
    import sparktrain
    from sparktrain.ml import NeuralNetClassifier

    spark = sparktrain.configure(SparkSession.builder.master("local[2]")).getOrCreate()
"""

from sparktrain.conf import configure, spark_conf
from sparktrain.errors import SparktrainError
from sparktrain.jar import jar_path

__all__ = ["configure", "spark_conf", "jar_path", "SparktrainError"]
