package dev.sparktrain.driver.serialization;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import dev.sparktrain.driver.SparkFixture;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class SerializerCheckTest {

    @Test
    void javaSerializerContextFailsFastNamingTheSettings() {
        JavaSparkContext sc = new JavaSparkContext(SparkFixture.bareConf("bad-serializer", Map.of()));
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SerializerCheck.verify(sc));
            assertTrue(e.getMessage().startsWith("spark.serializer is JavaSerializer; set spark.serializer="
                    + "org.apache.spark.serializer.KryoSerializer and spark.kryo.registrator="
                    + "dev.sparktrain.driver.serialization.SparktrainKryoRegistrator"), e.getMessage());
        } finally {
            sc.stop();
        }
    }

    @Test
    void kryoWithoutOurRegistratorFailsNamingTheRegistrator() {
        SparkConf conf = SparkFixture.bareConf("no-registrator", Map.of(
                "spark.serializer", "org.apache.spark.serializer.KryoSerializer",
                "spark.kryo.registrationRequired", "true"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SerializerCheck.verify(conf));
        assertTrue(e.getMessage().contains("spark.kryo.registrator"), e.getMessage());
    }

    @Test
    void projectDefaultsPass() {
        assertDoesNotThrow(() -> SerializerCheck.verify(
                SparktrainSparkConf.applyDefaults(SparkFixture.bareConf("good", Map.of()))));
    }

    @Test
    void userRegistratorPlusOursPasses() {
        SparkConf conf = SparktrainSparkConf.applyDefaults(SparkFixture.bareConf("two-registrators",
                Map.of("spark.kryo.registrator", UserRegistrator.class.getName())));
        assertDoesNotThrow(() -> SerializerCheck.verify(conf));
    }

    /** Stands in for a registrator a user already had. */
    public static final class UserRegistrator implements org.apache.spark.serializer.KryoRegistrator {
        @Override
        public void registerClasses(com.esotericsoftware.kryo.Kryo kryo) {
            kryo.register(java.util.ArrayList.class);
        }
    }
}
