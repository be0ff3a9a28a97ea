package dev.sparktrain.driver.exchange;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The lines one class logs at WARN and above while it is open, each with its thrown exception (null if none). */
final class LogLines extends AbstractAppender implements AutoCloseable {

    /** A logged line. */
    record Line(Level level, String message, Throwable thrown) {
    }

    private final Logger logger;
    private final Level levelBefore;
    private final List<Line> lines = new ArrayList<>();

    private LogLines(Class<?> source) {
        super("test-" + source.getSimpleName(), null, null, true, Property.EMPTY_ARRAY);
        this.logger = (Logger) LogManager.getLogger(source);
        this.levelBefore = logger.getLevel();
        start();
        logger.addAppender(this);
        logger.setLevel(Level.WARN);
    }

    static LogLines of(Class<?> source) {
        return new LogLines(source);
    }

    @Override
    public synchronized void append(LogEvent event) {
        lines.add(new Line(event.getLevel(), event.getMessage().getFormattedMessage(), event.getThrown()));
    }

    synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.removeAppender(this);
        logger.setLevel(levelBefore);
        stop();
    }
}
