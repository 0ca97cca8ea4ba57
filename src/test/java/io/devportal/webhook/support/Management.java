package io.devportal.webhook.support;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/** Calls to the management interface (metrics, health), which listens on its own port. */
public final class Management {
    private Management() {
    }

    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }

    /** The Prometheus exposition text. */
    public static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
