"""The same Python classes over Spark Connect: a real Spark Connect server from the pip-installed pyspark
distribution with the job jar, on 127.0.0.1 and a free port, and clients in their own processes
(connect_client.py: pyspark decides "remote or not" per process)."""

import json
import os
import subprocess
import sys
from pathlib import Path

CLIENT = Path(__file__).resolve().parent / "connect_client.py"


def run_client(server, scenario, tmp_path) -> dict:
    env = dict(os.environ, SPARKTRAIN_TEST_SERVER_TMP=str(server["tmp"]))
    done = subprocess.run([sys.executable, str(CLIENT), server["url"], scenario, str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=900)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, (
        f"client {scenario} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
        f"\nserver log:\n{server['daemon'].log()[-3000:]}")
    return json.loads(lines[-1][len("RESULT "):])


def test_fit_transform_evaluate_save_and_load_over_connect(server, tmp_path):
    result = run_client(server, "pipeline", tmp_path)
    assert result["accuracy"] > 0.9
    assert {"rawPrediction", "probability", "prediction"} <= set(result["columns"])
    assert result["stage_type"] == "NeuralNetClassificationModel"
    assert result["pipeline_same"] and result["model_same"] and result["model_uid_same"]
    assert result["estimator"] == [True, 3, True]
    # Saved by the server's JVM: the same layout classic Spark ML and the CLI read.
    assert (tmp_path / "model" / "model" / "params.npy").is_file()
    assert (tmp_path / "pipeline" / "stages").is_dir()


def test_regressor_and_cross_validation_over_connect(server, tmp_path):
    result = run_client(server, "regression_and_tuning", tmp_path)
    assert result["rmse"] < 0.35 and result["regressor_same"]
    low_rate, good_rate = result["cv_metrics"]
    assert good_rate > low_rate + 0.2, result["cv_metrics"]
    assert result["cv_best"] == "NeuralNetClassificationModel"


def test_model_cache_limits_and_bad_input_over_connect(server, tmp_path):
    result = run_client(server, "limits_and_errors", tmp_path)
    assert result["bad_config"] == "unknown field 'training.epoch'; did you mean 'epochs'?"
    assert result["bad_column"].startswith("featuresCol 'nope' is not a column")
    # Offloaded to the server's disk on caching, and loaded back from there for the transform.
    assert result["offloaded_files"] >= 1 and result["offloaded_rows"] > 0
    too_large = result["too_large"]
    assert too_large.startswith("Spark Connect's model cache refused the model: The fitted or loaded model size is "
                                "about "), too_large
    assert "smaller than 1000 bytes" in too_large and "memoryControl.maxModelSize" in too_large
    assert result["missing_model"].endswith("missing: no saved model there (" + str(tmp_path)
                                            + "/missing/metadata is missing)")
    assert "not available over Spark Connect" in result["not_over_connect"]
