// The control catalogue: every control ID of CONTROLS.md (the contract between the written
// policies and this code), with the seeds it comes from and whether the default config deploys it.
// test/compliance/catalogue.test.ts checks this list against CONTROLS.md when it is beside the repo.

/** Where a control is on: `on` by default, `prod` in the prod profile, `opt` one config switch away. */
export type ControlDefault = 'on' | 'prod' | 'opt';

export interface ControlDefinition {
  readonly id: string;
  readonly title: string;
  /** Seed policies (000..004) the control comes from. */
  readonly seeds: readonly string[];
  readonly default: ControlDefault;
}

export const CONTROL_CATALOGUE: readonly ControlDefinition[] = [
  {
    id: 'ENC-01',
    title:
      'Customer-managed KMS keys encrypt all data at rest: S3, RDS, CloudWatch Logs, SNS, CloudTrail, backups, secrets',
    seeds: ['000', '001', '002', '003', '004'],
    default: 'on',
  },
  {
    id: 'ENC-02',
    title: 'Every customer-managed key rotates automatically every 90 days (`RotationPeriodInDays: 90`)',
    seeds: ['003'],
    default: 'on',
  },
  {
    id: 'ENC-03',
    title:
      'Key policies: least privilege; the account keeps administrative access (no lock-out); service principals are scoped by source account/ARN; one key per purpose (audit logs, data, alerts)',
    seeds: ['003'],
    default: 'on',
  },
  {
    id: 'ENC-04',
    title: 'Keys outlive stack deletion (retain) and can only be deleted after a 30-day waiting period',
    seeds: ['003'],
    default: 'on',
  },
  {
    id: 'ENC-05',
    title:
      'TLS in transit: S3 denies non-TLS and TLS below 1.2; RDS forces SSL; public endpoints use TLS 1.2+ policies (1.3 where offered)',
    seeds: ['000', '001', '002', '003', '004'],
    default: 'on',
  },
  {
    id: 'IAM-01',
    title:
      'Account password policy: 12+ characters, upper, lower, digit and symbol, 90-day maximum age, reuse of the last 24 prevented',
    seeds: ['001', '003'],
    default: 'on',
  },
  {
    id: 'IAM-02',
    title: 'MFA required for administrative access (admin roles assumable only with MFA)',
    seeds: ['001', '002', '003'],
    default: 'on',
  },
  {
    id: 'IAM-03',
    title: 'Role-based access: admin, operator, read-only and auditor roles, least privilege, short sessions',
    seeds: ['002', '003', '004'],
    default: 'on',
  },
  {
    id: 'IAM-04',
    title: 'Access reviews: IAM Access Analyzer for external and unused access',
    seeds: ['001', '002'],
    default: 'on',
  },
  {
    id: 'IAM-05',
    title:
      'Application sign-in (optional): Cognito user pool with MFA, the IAM-01 password rules, 30-minute JWT sessions',
    seeds: ['003'],
    default: 'opt',
  },
  {
    id: 'NET-01',
    title:
      'Segmentation: data tier in isolated subnets, no public IP auto-assignment, default security group closed',
    seeds: ['003'],
    default: 'on',
  },
  {
    id: 'NET-02',
    title: 'VPC flow logs to encrypted storage with retention',
    seeds: ['003', '004'],
    default: 'on',
  },
  {
    id: 'NET-03',
    title: 'WAF rate-based rule (per client IP, configurable limit and window) on every public endpoint',
    seeds: ['003'],
    default: 'on',
  },
  {
    id: 'NET-04',
    title: 'WAF managed rule groups: common exploits, known bad inputs, SQL injection, IP reputation',
    seeds: ['003'],
    default: 'on',
  },
  {
    id: 'NET-05',
    title: 'WAF logging, encrypted, with authorization headers redacted',
    seeds: ['003'],
    default: 'on',
  },
  {
    id: 'NET-06',
    title: 'DDoS: Shield Advanced subscription and protections',
    seeds: ['003'],
    default: 'opt',
  },
  {
    id: 'DATA-01',
    title:
      'S3: SSE-KMS with bucket keys, all public access blocked, versioning, object ownership enforced, access logging, lifecycle retention',
    seeds: ['000', '003'],
    default: 'on',
  },
  {
    id: 'DATA-02',
    title:
      'RDS: storage encrypted with a CMK, SSL forced, IAM auth, deletion protection, automated backups, multi-AZ in prod, log exports, isolated subnets, credentials in Secrets Manager (CMK, rotation)',
    seeds: ['001', '003', '004'],
    default: 'on',
  },
  {
    id: 'DATA-03',
    title:
      'Encrypted backups: AWS Backup vault with a CMK and vault lock, scheduled plans, cross-region copy in prod',
    seeds: ['000', '001', '003', '004'],
    default: 'prod',
  },
  {
    id: 'DATA-04',
    title: 'Restores are tested on a schedule (AWS Backup restore testing)',
    seeds: ['004'],
    default: 'prod',
  },
  {
    id: 'DATA-05',
    title:
      'Retention and secure deletion: every log, backup and bucket has explicit retention; nothing holding data is deleted with its stack',
    seeds: ['003'],
    default: 'on',
  },
  { id: 'DATA-06', title: 'PII discovery with Amazon Macie', seeds: ['000', '003'], default: 'opt' },
  {
    id: 'DATA-07',
    title: 'Account-wide: S3 Block Public Access and EBS encryption by default',
    seeds: ['000', '003'],
    default: 'on',
  },
  {
    id: 'LOG-01',
    title:
      'CloudTrail: all regions, management events, log file validation, KMS-encrypted, delivered to CloudWatch Logs',
    seeds: ['002', '003', '004'],
    default: 'on',
  },
  {
    id: 'LOG-02',
    title:
      'Audit log bucket is immutable (S3 Object Lock), access-logged, moved to cold storage, retained 1 year by default (up to 7)',
    seeds: ['003'],
    default: 'on',
  },
  { id: 'LOG-03', title: 'Data events for sensitive buckets', seeds: ['002'], default: 'prod' },
  {
    id: 'LOG-04',
    title: 'Every log group is encrypted with a CMK and has explicit retention',
    seeds: ['003'],
    default: 'on',
  },
  {
    id: 'DET-01',
    title:
      'GuardDuty with its protection plans, 15-minute finding publication; adopts a detector that already exists',
    seeds: ['000', '001', '003'],
    default: 'on',
  },
  {
    id: 'DET-02',
    title: 'Security Hub with AWS Foundational Security Best Practices and CIS AWS Foundations v3.0',
    seeds: ['002', '003'],
    default: 'opt',
  },
  { id: 'DET-03', title: 'AWS Config recorder and conformance rules', seeds: ['002', '003'], default: 'opt' },
  {
    id: 'DET-04',
    title: 'Amazon Inspector vulnerability scanning',
    seeds: ['001', '002', '003'],
    default: 'opt',
  },
  {
    id: 'DET-05',
    title:
      "CIS AWS Foundations monitoring: metric filters and alarms on the trail's log group (root use, unauthorized calls, console sign-in without MFA, IAM/trail/KMS/S3-policy/Config/network changes, ...)",
    seeds: ['003', '004'],
    default: 'on',
  },
  {
    id: 'ALR-01',
    title:
      "Every finding and alarm is classified Critical / High / Medium / Low (policy 003's incident classes)",
    seeds: ['003'],
    default: 'on',
  },
  {
    id: 'ALR-02',
    title:
      'Alerts are routed by class to KMS-encrypted SNS topics (email/HTTPS subscribers from config) as readable messages, in near real time',
    seeds: ['003', '004'],
    default: 'on',
  },
  {
    id: 'ALR-03',
    title: "Containment runbooks: block an IP at the WAF, revoke a principal's sessions, isolate an instance",
    seeds: ['003'],
    default: 'opt',
  },
  {
    id: 'OPS-01',
    title: 'Patch baseline: security patches approved within a day, maintenance window',
    seeds: ['000', '003'],
    default: 'opt',
  },
  {
    id: 'OPS-02',
    title: 'Separate dev / test / prod environments, each its own stacks and (ideally) account',
    seeds: ['001', '003'],
    default: 'on',
  },
  { id: 'OPS-03', title: 'Termination protection on prod stacks', seeds: ['001'], default: 'prod' },
  {
    id: 'CMP-01',
    title:
      'Synth fails on any unacknowledged finding of cdk-nag AwsSolutions, NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1; every acknowledgement names one finding and gives a reason',
    seeds: ['002', '003'],
    default: 'on',
  },
  {
    id: 'CMP-02',
    title:
      "The product's own rule pack checks what no public pack checks (rotation period, object lock, rate rule, TLS version, ...)",
    seeds: ['003'],
    default: 'on',
  },
  {
    id: 'CMP-03',
    title:
      'Templates pass CloudFormation schema validation and the AWS Control Tower proactive controls (cfn-guard)',
    seeds: ['002', '003'],
    default: 'on',
  },
  {
    id: 'CMP-04',
    title:
      'A controls report (Markdown and JSON, in the cloud assembly) maps each policy statement to controls, resources and checks',
    seeds: ['001', '002', '003'],
    default: 'on',
  },
  {
    id: 'CMP-05',
    title:
      'A deployed account can be verified live (`baseline-audit`): key rotation period and the other controls, since CloudFormation drift detection cannot see `RotationPeriodInDays`',
    seeds: ['002', '003'],
    default: 'on',
  },
  {
    id: 'SUP-01',
    title:
      'The repository has a SECURITY.md, a lockfile, pinned dependencies, and no high or critical `npm audit` findings in runtime dependencies',
    seeds: ['000', '002', '003', '004'],
    default: 'on',
  },
];
