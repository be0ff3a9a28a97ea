"""examples/python/fashion_pipeline.py, run as a user runs it (small: one epoch on a few thousand rows), in a local
session and over Spark Connect, and its refusal to replace a folder it did not make."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

RESULT = re.compile(r"^RESULT accuracy=([0-9.]+) loaded_accuracy=([0-9.]+) model=(.+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def example(root) -> Path:
    # The CSVs (bin/example-data) derive from Fashion-MNIST, which .ci/run fetches; like the JVM tests that read it,
    # these skip themselves on a machine without it.
    done = subprocess.run([str(root / "bin" / "example-data")], cwd=root, capture_output=True, text=True,
                          timeout=900)
    if done.returncode != 0 or not (root / "data" / "fashion-mnist" / "t10k-labels-idx1-ubyte.gz").is_file():
        pytest.skip(f"Fashion-MNIST is not available here: {done.stderr.strip()[-300:]}")
    return root / "examples" / "python" / "fashion_pipeline.py"


def run(example, *args):
    return subprocess.run([sys.executable, str(example), *args], capture_output=True, text=True, timeout=900)


def check(done, model_dir: Path, at_least: float) -> None:
    found = RESULT.search(done.stdout)
    assert done.returncode == 0 and found, f"{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    accuracy, loaded = float(found.group(1)), float(found.group(2))
    assert accuracy > at_least and loaded == accuracy, found.group(0)
    assert Path(found.group(3)) == model_dir and (model_dir / "stages").is_dir()


def test_example_in_a_local_session(example, tmp_path):
    model_dir = tmp_path / "model"
    done = run(example, "--epochs", "1", "--train-rows", "3000", "--test-rows", "1000", "--model-dir", str(model_dir))
    check(done, model_dir, 0.4)  # ten classes: chance is 0.1; the full run reaches ~0.80


def test_example_over_spark_connect(example, server, tmp_path):
    model_dir = tmp_path / "model"
    done = run(example, "--remote", server["url"], "--epochs", "1", "--train-rows", "3000", "--test-rows", "1000",
               "--model-dir", str(model_dir))
    check(done, model_dir, 0.4)


def test_example_reads_idx_files(example, root, tmp_path):
    # The --format idx reader alone (the 784-column pipeline costs minutes on a busy machine; run it by hand).
    sys.path.insert(0, str(example.parent))
    import fashion_pipeline

    folder = root / "data" / "fashion-mnist"
    images = fashion_pipeline.read_idx(folder / "t10k-images-idx3-ubyte.gz", 0)
    labels = fashion_pipeline.read_idx(folder / "t10k-labels-idx1-ubyte.gz", 25)
    assert images.shape == (10000, 784) and images.max() == 255
    assert labels.shape == (25,) and set(labels.tolist()) <= set(range(10)) and len(set(labels.tolist())) > 5
    truncated = tmp_path / "cut-idx1-ubyte"
    truncated.write_bytes(b"\x00\x00\x08\x01"
                          + (10).to_bytes(4, "big") + bytes(3))  # 10 labels promised, 3 present
    with pytest.raises(SystemExit) as stopped:
        fashion_pipeline.read_idx(truncated, 0)
    assert stopped.value.code == 2


def test_example_keeps_an_existing_folder(example, tmp_path):
    model_dir = tmp_path / "mine"
    model_dir.mkdir()
    (model_dir / "notes.txt").write_text("keep me")
    done = run(example, "--model-dir", str(model_dir))
    assert done.returncode == 2
    assert done.stderr.strip() == (f"error: {model_dir}: exists; use --overwrite to replace it or --model-dir to "
                                   "choose another folder")
    assert (model_dir / "notes.txt").read_text() == "keep me"
