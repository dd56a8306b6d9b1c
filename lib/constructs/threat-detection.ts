import { Stack, Validations } from 'aws-cdk-lib';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { BaselineKey } from './baseline-key';
import { childPath, PropErrors } from './errors';
import { SecureBucket } from './secure-bucket';

/** GuardDuty protection plans (detector feature names) the construct accepts. */
export const GUARDDUTY_FEATURES = [
  'S3_DATA_EVENTS',
  'EKS_AUDIT_LOGS',
  'EBS_MALWARE_PROTECTION',
  'RDS_LOGIN_EVENTS',
  'LAMBDA_NETWORK_LOGS',
  'RUNTIME_MONITORING',
  'EKS_RUNTIME_MONITORING',
] as const;

/** The default plans: everything but runtime monitoring, which needs agents and costs per vCPU. */
export const DEFAULT_GUARDDUTY_FEATURES = [
  'S3_DATA_EVENTS',
  'EKS_AUDIT_LOGS',
  'EBS_MALWARE_PROTECTION',
  'RDS_LOGIN_EVENTS',
  'LAMBDA_NETWORK_LOGS',
];

export interface ThreatDetectionProps {
  /**
   * Protection plans to turn on.
   * @default DEFAULT_GUARDDUTY_FEATURES
   */
  readonly features?: string[];

  /**
   * Adopt the detector that already exists in this account and region (GuardDuty allows one):
   * no detector is created, findings are still exported and classified.
   * @default - create a detector
   */
  readonly existingDetectorId?: string;

  /**
   * Key for the findings bucket.
   * @default - a new BaselineKey, alias `security-baseline/<stack>/findings`
   */
  readonly encryptionKey?: BaselineKey;

  /** Bucket for the findings bucket's access logs. @default - a new AccessLogBucket */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

/**
 * Threat detection (DET-01): an Amazon GuardDuty detector with the chosen protection plans,
 * publishing findings every 15 minutes and exporting them to a KMS-encrypted SecureBucket; or an
 * existing detector adopted by id.
 */
export class ThreatDetection extends Construct {
  public readonly detectorId: string;
  public readonly findingsBucket: SecureBucket;

  constructor(scope: Construct, id: string, props: ThreatDetectionProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const features = props.features ?? DEFAULT_GUARDDUTY_FEATURES;
    const errors = new PropErrors('ThreatDetection', childPath(scope.node.path, id));
    features.forEach((f, i) => {
      if (!(GUARDDUTY_FEATURES as readonly string[]).includes(f))
        errors.add(`features[${i}]`, f, `one of ${GUARDDUTY_FEATURES.join(', ')}`);
    });
    if (features.includes('RUNTIME_MONITORING') && features.includes('EKS_RUNTIME_MONITORING')) {
      errors.add(
        'features',
        features,
        'RUNTIME_MONITORING or EKS_RUNTIME_MONITORING, not both (GuardDuty rejects the pair)',
      );
    }
    if (props.existingDetectorId !== undefined && !/^[0-9a-f]{32}$/.test(props.existingDetectorId)) {
      errors.add(
        'existingDetectorId',
        props.existingDetectorId,
        'a GuardDuty detector ID: 32 lower-case hexadecimal characters',
      );
    }
    errors.throwIfAny();

    if (props.existingDetectorId) {
      this.detectorId = props.existingDetectorId;
    } else {
      const detector = new guardduty.CfnDetector(this, 'Detector', {
        enable: true,
        findingPublishingFrequency: 'FIFTEEN_MINUTES',
        features: features.map((name) => ({ name, status: 'ENABLED' })),
      });
      this.detectorId = detector.ref;
      if (features.includes('S3_DATA_EVENTS')) {
        Validations.of(detector).acknowledge({
          id: 'cdk-validator-cfnguard::guardduty_s3_protection_enabled_check',
          reason:
            'S3 protection is on, through Features S3_DATA_EVENTS. CT.GUARDDUTY.PR.1 reads only the legacy DataSources.S3Logs, ' +
            'which GuardDuty says not to combine with Features.',
        });
      }
    }
    const detectorArn = stack.formatArn({
      service: 'guardduty',
      resource: 'detector',
      resourceName: this.detectorId,
    });

    const key =
      props.encryptionKey ??
      new BaselineKey(this, 'Key', {
        alias: `security-baseline/${stack.stackName}/findings`,
        description: 'cdk-security-baseline: encrypts exported GuardDuty findings',
      });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowGuardDutyToEncryptFindings',
        principals: [new iam.ServicePrincipal('guardduty.amazonaws.com')],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': detectorArn } },
      }),
    );
    this.findingsBucket = new SecureBucket(this, 'Findings', {
      encryptionKey: key,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
    });
    const bucket = this.findingsBucket.bucket;
    const guardDuty = new iam.ServicePrincipal('guardduty.amazonaws.com');
    const scoped = { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': detectorArn } };
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowGuardDutyGetBucketLocation',
        principals: [guardDuty],
        actions: ['s3:GetBucketLocation'],
        resources: [bucket.bucketArn],
        conditions: scoped,
      }),
    );
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowGuardDutyPutObject',
        principals: [guardDuty],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        conditions: scoped,
      }),
    );
    const destination = new guardduty.CfnPublishingDestination(this, 'Export', {
      detectorId: this.detectorId,
      destinationType: 'S3',
      destinationProperties: { destinationArn: bucket.bucketArn, kmsKeyArn: key.keyArn },
    });
    destination.node.addDependency(bucket.policy!, key);
    recordControls(this, 'DET-01', 'ENC-01');
  }
}
