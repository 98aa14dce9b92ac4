package io.pointbridge.exchange.transfer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the exchange's settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ExchangeSettings.class)
class TransferConfiguration {
}
