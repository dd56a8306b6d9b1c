// Which controls the public packs' rules give evidence for, by rule name (the part after the pack
// prefix, e.g. `KMS5` in `AwsSolutions-KMS5`). Our own SecurityPolicy rules carry their controls
// themselves (rules/rule.ts). A rule that is not listed still runs and counts in the summary; it is
// only not shown under a control.

const BY_RULE: ReadonlyArray<[RegExp, readonly string[]]> = [
  [/^(KMS5|KMSBackingKeyRotationEnabled)$/, ['ENC-02']],
  [/^(S3DefaultEncryptionKMS|S3BucketServerSideEncryptionEnabled|SNS2|SNSEncryptedKMS)$/, ['ENC-01']],
  [/^(S10|S3BucketSSLRequestsOnly|SNS3)$/, ['ENC-05']],
  [
    /^(S1|S2|S3BucketLoggingEnabled|S3BucketLevelPublicAccessProhibited|S3BucketPublicReadProhibited|S3BucketPublicWriteProhibited|S3BucketVersioningEnabled)$/,
    ['DATA-01'],
  ],
  [/^(S3BucketReplicationEnabled)$/, ['DATA-03']],
  [/^(S3BucketDefaultLockEnabled)$/, ['LOG-02']],
  [
    /^(CloudTrailCloudWatchLogsEnabled|CloudTrailEncryptionEnabled|CloudTrailLogFileValidationEnabled)$/,
    ['LOG-01'],
  ],
  [/^(CloudWatchLogGroupEncrypted|CloudWatchLogGroupRetentionPeriod)$/, ['LOG-04']],
  [
    /^(IAM4|IAM5|IAMNoInlinePolicy|IAMPolicyNoStatementsWithAdminAccess|IAMPolicyNoStatementsWithFullAccess)$/,
    ['IAM-03'],
  ],
  // AWS Control Tower proactive controls (cdk-validator-cfnguard rule names).
  [/^kms_/, ['ENC-03']],
  [/^s3_bucket_default_encryption_kms_check$/, ['ENC-01']],
  [/^s3_bucket_object_lock_enabled_check$/, ['LOG-02']],
  [/^s3_bucket_ssl_requests_only_check$/, ['ENC-05']],
  [/^s3_/, ['DATA-01']],
  [/^cloudtrail_/, ['LOG-01']],
  [/^cloudwatch_log_group_/, ['LOG-04']],
];

/** Controls a public rule gives evidence for. `ruleId` is the full ID, e.g. `NIST.800.53.R5-S3BucketReplicationEnabled`. */
export function controlsForPublicRule(pack: string, ruleId: string): readonly string[] {
  const name = ruleId.startsWith(`${pack}-`) ? ruleId.slice(pack.length + 1) : ruleId;
  const bare = name.replace(/\[.*\]$/, '');
  return BY_RULE.find(([pattern]) => pattern.test(bare))?.[1] ?? [];
}
