package io.pointbridge.tenant.crypto;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The local key store, unless the deployment declares its own {@link KeyProvider} (e.g. a cloud KMS). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeySettings.class)
class CryptoConfiguration {

    @Bean
    @ConditionalOnMissingBean(KeyProvider.class)
    KeyProvider localKeyProvider(KeySettings settings) {
        return new LocalKeyProvider(settings);
    }
}
