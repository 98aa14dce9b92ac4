package io.pointbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The one Pointbridge executable: every module, wired together. */
@SpringBootApplication
public class PointbridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(PointbridgeApplication.class, args);
    }
}
