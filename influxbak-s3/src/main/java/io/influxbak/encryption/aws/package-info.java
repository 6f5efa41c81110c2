/**
 * AWS KMS as the key that wraps encrypted backups' data keys ({@code aws-kms:KEY_ID_OR_ARN}),
 * through the AWS SDK for Java v2: {@link io.influxbak.encryption.aws.AwsKmsKey}, opened by {@link
 * io.influxbak.encryption.aws.AwsKmsKeyProvider}.
 */
@ParametersAreNonnullByDefault
package io.influxbak.encryption.aws;

import javax.annotation.ParametersAreNonnullByDefault;
