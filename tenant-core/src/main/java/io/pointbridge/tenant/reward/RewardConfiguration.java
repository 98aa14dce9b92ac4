package io.pointbridge.tenant.reward;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the reward settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RewardSettings.class)
class RewardConfiguration {
}
