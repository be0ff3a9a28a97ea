"""Bad input refused on the JVM, surfaced in Python as one clear line instead of a Py4J or gRPC dump."""

import contextlib
from typing import Iterator, Optional

# JVM exception classes whose message is sparktrain's one-line description of bad input or a bad environment.
_CLEAR_JVM_ERRORS = ("java.lang.IllegalArgumentException", "java.lang.IllegalStateException",
                     "java.io.UncheckedIOException")


class SparktrainError(ValueError):
    """Bad input (a config field, a column, a row, a saved model) that the JVM side refused. ``str(error)`` is the
    JVM's one-line message naming the field, column, row or file, what was expected and what was found."""


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text and text.strip() else text


def _from_py4j(error) -> Optional[str]:
    """The message of the first sparktrain-style exception in a Py4J error's cause chain."""
    throwable = getattr(error, "java_exception", None)
    while throwable is not None:
        if throwable.getClass().getName() in _CLEAR_JVM_ERRORS and throwable.getMessage():
            return throwable.getMessage()
        throwable = throwable.getCause()
    return None


# Spark Connect's model cache refusing a model, and the session conf that sets the limit.
_CACHE_LIMITS = {
    "CONNECT_ML.MODEL_SIZE_OVERFLOW_EXCEPTION": "spark.connect.session.connectML.mlCache.memoryControl.maxModelSize",
    "CONNECT_ML.ML_CACHE_SIZE_OVERFLOW_EXCEPTION":
        "spark.connect.session.connectML.mlCache.memoryControl.maxStorageSize",
}


def _cache_limit(error) -> Optional[str]:
    """Spark Connect's refusal of a model too large for its cache, as one line naming the session conf."""
    condition = getattr(error, "getCondition", lambda: None)() or ""
    conf = _CACHE_LIMITS.get(condition)
    if conf is None:
        return None
    text = (getattr(error, "_message", None) or str(error)).split("SQLSTATE")[0].split("JVM stacktrace")[0]
    text = " ".join(text.replace("Generic Spark Connect ML error.", "").split())
    if text.startswith("["):
        text = text.partition("] ")[2]
    return f"Spark Connect's model cache refused the model: {text} (session conf {conf})"


def _from_pyspark(error) -> Optional[str]:
    """The message of a PySpark exception converted from an IllegalArgumentException (classic or Connect), or of
    Spark Connect's model cache refusing a model."""
    from pyspark.errors import IllegalArgumentException

    if isinstance(error, IllegalArgumentException):
        message = getattr(error, "_message", None) or str(error)
        return _first_line(message)
    # Over Spark Connect, other JVM exceptions arrive as UnknownException, their JVM class as the reason.
    reason = getattr(error, "_reason", None)
    if reason in _CLEAR_JVM_ERRORS:
        message = _first_line(getattr(error, "_message", None) or str(error))
        prefix = f"({reason}) "
        return message[len(prefix):] if message.startswith(prefix) else message
    return _cache_limit(error)


@contextlib.contextmanager
def jvm_errors() -> Iterator[None]:
    """Turns the JVM's bad-input exceptions raised inside the block into :class:`SparktrainError`."""
    from py4j.protocol import Py4JJavaError

    try:
        yield
    except Py4JJavaError as error:
        message = _from_py4j(error)
        if message is None:
            raise
        raise SparktrainError(_first_line(message)) from None
    except Exception as error:
        message = _from_pyspark(error)
        if message is None:
            raise
        raise SparktrainError(message) from None
