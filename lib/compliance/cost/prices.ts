// The price table behind the cost estimate (issue 19). One entry per CloudFormation resource type the
// product (or a consumer using its constructs) synthesizes. A type that is not listed here is reported
// as NOT PRICED by the estimator, never counted as zero: adding a resource type means adding it here.
//
// Figures: AWS list prices (on-demand, USD) for us-east-1, as published by AWS and known to the author
// in mid-2025. This table was written offline (November 2026, no internet): the figures were not
// re-read on the pricing pages that day. Figures the author is less sure of are marked "UNSURE".
// Most other commercial regions are equal or up to ~20% dearer (check yours).

/** Where the figures come from, as printed in the report and the README. */
export const PRICE_SOURCE =
  'AWS list prices (on-demand, USD) for us-east-1 as published by AWS, read mid-2025 ' +
  '(written offline in November 2026 from the prices known then, not re-checked online: check the AWS pricing pages)';
export const PRICES_READ = 'mid-2025';
export const PRICE_REGION = 'us-east-1';
/** Hours in a billing month, as AWS's own calculator counts them. */
export const HOURS_PER_MONTH = 730;

/** A fixed monthly charge one resource brings, whatever its traffic. */
export interface FixedCharge {
  /** What is charged, e.g. "KMS key" or "db.t4g.medium, single-AZ (730 h)". */
  readonly what: string;
  /** USD per month as deployed (the first month). */
  readonly monthly: number;
  /**
   * USD per month once the charge has grown to its ceiling (a rotating KMS key pays for its first two
   * rotations: $1 → $3 after 180 days).
   * @default - the same as `monthly`
   */
  readonly steadyMonthly?: number;
}

/** A resource whose properties the table cannot price (a token, an unknown instance class, ...). */
export interface Unpriceable {
  readonly unpriced: string;
}

export type Properties = Readonly<Record<string, unknown>>;

/** How one CloudFormation resource type is priced. */
export interface PriceEntry {
  /** The AWS service, for grouping. */
  readonly service: string;
  /**
   * Fixed monthly charges of one resource, a pure function of its rendered properties.
   * @default - no fixed charge (free, or priced by usage only)
   */
  readonly fixed?: (properties: Properties) => readonly FixedCharge[] | Unpriceable;
  /**
   * Charges that depend on traffic or data, named without a number (the estimate cannot know them).
   * @default - none: the type is free
   */
  readonly usage?: (properties: Properties) => readonly string[];
  /** Why the type is free, or what the price depends on. */
  readonly note?: string;
}

const hourly = (perHour: number): number => round(perHour * HOURS_PER_MONTH);

export function round(usd: number): number {
  return Math.round(usd * 100) / 100;
}

const FREE = (service: string, note: string): PriceEntry => ({ service, note });
const usageOnly = (service: string, ...items: string[]): PriceEntry => ({ service, usage: () => items });

/** A literal string property, or undefined for a token / missing value. */
function str(p: Properties, key: string): string | undefined {
  const v = p[key];
  return typeof v === 'string' ? v : undefined;
}

/** A literal number property (CloudFormation accepts numbers as strings), or undefined. */
function num(p: Properties, key: string): number | undefined {
  const v = p[key];
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

/** A literal boolean property (or its string form), or undefined. */
function bool(p: Properties, key: string): boolean | undefined {
  const v = p[key];
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// KMS: $1/month per customer-managed key; since May 2024 the first and second rotation of its key
// material add $1/month each (rotations after the second are free), so a rotating key costs $3/month
// from its second rotation on (day 180 with RotationPeriodInDays 90). Requests: $0.03 per 10,000
// (20,000 free a month per account).
function kmsKey(p: Properties): readonly FixedCharge[] {
  const rotates = bool(p, 'EnableKeyRotation') === true;
  return [
    rotates ? { what: 'KMS key (rotating)', monthly: 1, steadyMonthly: 3 } : { what: 'KMS key', monthly: 1 },
  ];
}

// ---------------------------------------------------------------------------------------------
// CloudWatch alarms: $0.10 per standard-resolution alarm metric a month, $0.30 high resolution
// (period under 60 s); metric math alarms pay per metric in the expression, and an anomaly
// detection band counts as three metrics (the metric and its two bounds). The always-free tier's
// 10 alarm metrics per account are not subtracted (the estimate is list price).
function alarm(p: Properties): readonly FixedCharge[] {
  const metrics = Array.isArray(p.Metrics) ? (p.Metrics as Properties[]) : undefined;
  const bands = (metrics ?? []).filter((m) =>
    /ANOMALY_DETECTION_BAND/.test(str(m ?? {}, 'Expression') ?? ''),
  );
  const stats = (metrics ?? []).filter((m) => m && m.MetricStat !== undefined).length;
  const count = metrics ? Math.max(1, stats + 2 * bands.length) : 1;
  const periods = metrics
    ? metrics.map((m) => num((m?.MetricStat ?? {}) as Properties, 'Period'))
    : [num(p, 'Period')];
  const highResolution = periods.some((x) => x !== undefined && x < 60);
  const each = highResolution ? 0.3 : 0.1;
  return [
    {
      what: `CloudWatch alarm${highResolution ? ' (high resolution)' : ''}${count > 1 ? `, ${count} metrics` : ''}`,
      monthly: round(count * each),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// RDS (single-AZ, per hour, us-east-1, PostgreSQL/MySQL/MariaDB on-demand). Multi-AZ (one standby)
// doubles instance and storage prices.
const RDS_OPEN_SOURCE_ENGINES = new Set(['postgres', 'mysql', 'mariadb']);
export const RDS_HOURLY: Readonly<Record<string, number>> = {
  'db.t4g.micro': 0.016,
  'db.t4g.small': 0.032,
  'db.t4g.medium': 0.065,
  'db.t4g.large': 0.129,
  'db.t4g.xlarge': 0.258, // UNSURE
  'db.t3.micro': 0.018, // PostgreSQL figure; MySQL is $0.017
  'db.t3.small': 0.036, // PostgreSQL figure; MySQL is $0.034
  'db.t3.medium': 0.072, // PostgreSQL figure; MySQL is $0.068
  'db.t3.large': 0.145, // PostgreSQL figure; MySQL is $0.136
  'db.m6g.large': 0.159, // UNSURE (PostgreSQL; MySQL ~$0.152)
  'db.m7g.large': 0.168, // UNSURE
  'db.r6g.large': 0.225, // UNSURE (PostgreSQL; MySQL ~$0.215)
};
/** Per GB-month of allocated storage, single-AZ. */
export const RDS_STORAGE_GB_MONTH: Readonly<Record<string, number>> = {
  gp2: 0.115,
  gp3: 0.115, // includes 3,000 IOPS / 125 MB/s below 400 GB
  standard: 0.1, // magnetic; UNSURE
  io1: 0.125, // plus $0.10 per provisioned IOPS-month
  io2: 0.125, // plus $0.10 per provisioned IOPS-month; UNSURE
};

function rdsInstance(p: Properties): readonly FixedCharge[] | Unpriceable {
  const cls = str(p, 'DBInstanceClass');
  const engine = str(p, 'Engine');
  if (engine === undefined)
    return { unpriced: 'Engine is not a literal (or is taken from a snapshot/cluster)' };
  if (engine.startsWith('aurora'))
    return { unpriced: `Engine ${engine}: Aurora instances are not in the price table` };
  if (!RDS_OPEN_SOURCE_ENGINES.has(engine))
    return { unpriced: `Engine ${engine}: licensed engines are not in the price table` };
  if (cls === undefined) return { unpriced: 'DBInstanceClass is not a literal' };
  const perHour = RDS_HOURLY[cls];
  if (perHour === undefined) return { unpriced: `DBInstanceClass ${cls} is not in the price table` };
  const multiAz = bool(p, 'MultiAZ') === true;
  const factor = multiAz ? 2 : 1;
  const charges: FixedCharge[] = [
    { what: `${cls} ${engine}, ${multiAz ? 'Multi-AZ' : 'single-AZ'}`, monthly: hourly(perHour * factor) },
  ];
  const storageType = str(p, 'StorageType') ?? 'gp2';
  const gb = num(p, 'AllocatedStorage');
  const perGb = RDS_STORAGE_GB_MONTH[storageType];
  if (gb === undefined) return { unpriced: 'AllocatedStorage is not a literal' };
  if (perGb === undefined) return { unpriced: `StorageType ${storageType} is not in the price table` };
  charges.push({
    what: `${gb} GB ${storageType} storage${multiAz ? ' (Multi-AZ)' : ''}`,
    monthly: round(gb * perGb * factor),
  });
  const iops = num(p, 'Iops');
  if ((storageType === 'io1' || storageType === 'io2') && iops !== undefined)
    charges.push({ what: `${iops} provisioned IOPS`, monthly: round(iops * 0.1 * factor) });
  return charges;
}

function rdsUsage(p: Properties): readonly string[] {
  const items = [
    'RDS backup storage beyond the database size, snapshots, data transfer',
    'RDS storage autoscaling beyond the allocated size',
  ];
  if (num(p, 'MonitoringInterval')) items.push('RDS Enhanced Monitoring (CloudWatch Logs ingestion)');
  if ((num(p, 'PerformanceInsightsRetentionPeriod') ?? 7) > 7)
    items.push('RDS Performance Insights retention beyond 7 days (per vCPU)');
  if (Array.isArray(p.EnableCloudwatchLogsExports) && p.EnableCloudwatchLogsExports.length > 0)
    items.push('RDS log exports (CloudWatch Logs ingestion and storage)');
  return items;
}

// ---------------------------------------------------------------------------------------------
// VPC: interface endpoints $0.01 per AZ-hour (one ENI per subnet) plus $0.01/GB; gateway endpoints
// (S3, DynamoDB) free. NAT gateway $0.045/hour plus $0.045/GB. Public IPv4 address $0.005/hour.
function vpcEndpoint(p: Properties): readonly FixedCharge[] | Unpriceable {
  const type = str(p, 'VpcEndpointType') ?? 'Gateway';
  if (type === 'Gateway') return [];
  if (type !== 'Interface') return { unpriced: `VpcEndpointType ${type} is not in the price table` };
  const subnets = p.SubnetIds;
  if (!Array.isArray(subnets)) return { unpriced: 'SubnetIds is not a literal list (number of AZs unknown)' };
  return [{ what: `interface endpoint in ${subnets.length} AZ(s)`, monthly: hourly(0.01 * subnets.length) }];
}

// ---------------------------------------------------------------------------------------------
// WAF: $5 per web ACL, $1 per rule (a managed rule group counts as one rule) a month, $0.60 per
// million requests. AWS's baseline managed rule groups have no subscription; Bot Control, Account
// Takeover Prevention and Account Creation Fraud Prevention add $10/month each plus their requests.
const PAID_MANAGED_GROUPS: Readonly<Record<string, string>> = {
  AWSManagedRulesBotControlRuleSet: 'Bot Control',
  AWSManagedRulesATPRuleSet: 'Account Takeover Prevention',
  AWSManagedRulesACFPRuleSet: 'Account Creation Fraud Prevention',
};
function managedGroups(p: Properties): Properties[] {
  const rules = Array.isArray(p.Rules) ? (p.Rules as Properties[]) : [];
  return rules
    .map((r) => (r?.Statement as Properties | undefined)?.ManagedRuleGroupStatement as Properties | undefined)
    .filter((g): g is Properties => g !== undefined);
}
function webAcl(p: Properties): readonly FixedCharge[] | Unpriceable {
  if (p.Rules !== undefined && !Array.isArray(p.Rules)) return { unpriced: 'Rules is not a literal list' };
  const rules = (p.Rules as unknown[] | undefined) ?? [];
  const charges: FixedCharge[] = [
    { what: 'WAF web ACL', monthly: 5 },
    {
      what: `WAF rules: ${rules.length} ($1 each, a managed rule group counts as one)`,
      monthly: rules.length,
    },
  ];
  for (const g of managedGroups(p)) {
    const vendor = str(g, 'VendorName');
    const name = str(g, 'Name');
    if (vendor !== 'AWS')
      return {
        unpriced: `managed rule group ${vendor}/${name}: Marketplace rule groups are not in the price table`,
      };
    if (name === undefined) return { unpriced: 'a managed rule group name is not a literal' };
    const paid = PAID_MANAGED_GROUPS[name];
    if (paid) charges.push({ what: `WAF ${paid} subscription`, monthly: 10 });
  }
  return charges;
}
function webAclUsage(p: Properties): readonly string[] {
  const items = ['WAF requests ($0.60 per million)', 'WAF capacity above 1,500 WCU (per request)'];
  for (const g of managedGroups(p)) {
    const paid = PAID_MANAGED_GROUPS[str(g, 'Name') ?? ''];
    if (paid) items.push(`WAF ${paid} requests`);
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// API Gateway REST API cache: per hour by size (UNSURE beyond 0.5 GB).
const API_CACHE_HOURLY: Readonly<Record<string, number>> = {
  '0.5': 0.02,
  '1.6': 0.038,
  '6.1': 0.2,
  '13.5': 0.25,
  '28.4': 0.5,
  '58.2': 1.0,
  '118': 1.9,
  '237': 3.8,
};
function apiStage(p: Properties): readonly FixedCharge[] | Unpriceable {
  if (bool(p, 'CacheClusterEnabled') !== true) return [];
  const size = str(p, 'CacheClusterSize') ?? (num(p, 'CacheClusterSize') ?? 0.5).toString();
  const perHour = API_CACHE_HOURLY[size];
  if (perHour === undefined) return { unpriced: `CacheClusterSize ${size} is not in the price table` };
  return [{ what: `API Gateway cache ${size} GB`, monthly: hourly(perHour) }];
}

// ---------------------------------------------------------------------------------------------
// DynamoDB provisioned capacity: $0.00065 per WCU-hour, $0.00013 per RCU-hour; on-demand is usage.
function dynamoTable(p: Properties): readonly FixedCharge[] | Unpriceable {
  if (str(p, 'BillingMode') !== 'PROVISIONED') return [];
  const t = (p.ProvisionedThroughput ?? {}) as Properties;
  const rcu = num(t, 'ReadCapacityUnits');
  const wcu = num(t, 'WriteCapacityUnits');
  if (rcu === undefined || wcu === undefined) return { unpriced: 'ProvisionedThroughput is not a literal' };
  return [
    { what: `DynamoDB ${rcu} RCU + ${wcu} WCU provisioned`, monthly: hourly(rcu * 0.00013 + wcu * 0.00065) },
  ];
}

// ---------------------------------------------------------------------------------------------
// Access Analyzer: external-access analyzers are free; unused-access analyzers cost $0.20 per IAM
// role or user analyzed a month (a number the template does not hold: usage).
function analyzerUsage(p: Properties): readonly string[] {
  const type = str(p, 'Type') ?? '';
  return type.endsWith('UNUSED_ACCESS')
    ? ['IAM Access Analyzer unused access ($0.20 per role or user analyzed)']
    : [];
}
function analyzer(p: Properties): readonly FixedCharge[] | Unpriceable {
  const type = str(p, 'Type');
  if (type === undefined) return { unpriced: 'Type is not a literal' };
  if (['ACCOUNT', 'ORGANIZATION', 'ACCOUNT_UNUSED_ACCESS', 'ORGANIZATION_UNUSED_ACCESS'].includes(type))
    return [];
  return { unpriced: `analyzer Type ${type} is not in the price table` };
}

/** The price table: CloudFormation resource type → how it is priced. */
export const PRICE_TABLE: Readonly<Record<string, PriceEntry>> = {
  // Priced with a fixed monthly charge (and usage).
  'AWS::KMS::Key': {
    service: 'KMS',
    fixed: kmsKey,
    usage: () => ['KMS requests ($0.03 per 10,000 beyond 20,000 free)'],
  },
  'AWS::CloudWatch::Alarm': { service: 'CloudWatch', fixed: alarm },
  'AWS::CloudWatch::CompositeAlarm': {
    service: 'CloudWatch',
    fixed: () => [{ what: 'CloudWatch composite alarm', monthly: 0.5 }],
  },
  'AWS::CloudWatch::Dashboard': {
    service: 'CloudWatch',
    fixed: () => [{ what: 'CloudWatch dashboard (the first 3 per account are free)', monthly: 3 }],
  },
  'AWS::RDS::DBInstance': { service: 'RDS', fixed: rdsInstance, usage: rdsUsage },
  'AWS::EC2::VPCEndpoint': {
    service: 'VPC',
    fixed: vpcEndpoint,
    usage: (p) =>
      (str(p, 'VpcEndpointType') ?? 'Gateway') === 'Interface'
        ? ['VPC endpoint data processed ($0.01/GB)']
        : [],
  },
  'AWS::EC2::NatGateway': {
    service: 'VPC',
    fixed: () => [{ what: 'NAT gateway', monthly: hourly(0.045) }],
    usage: () => ['NAT gateway data processed ($0.045/GB)'],
  },
  'AWS::EC2::EIP': {
    service: 'VPC',
    fixed: () => [{ what: 'public IPv4 address', monthly: hourly(0.005) }],
  },
  'AWS::WAFv2::WebACL': { service: 'WAF', fixed: webAcl, usage: webAclUsage },
  'AWS::SecretsManager::Secret': {
    service: 'Secrets Manager',
    fixed: (p) => {
      const replicas = Array.isArray(p.ReplicaRegions) ? p.ReplicaRegions.length : 0;
      return [
        {
          what: `Secrets Manager secret${replicas ? ` + ${replicas} replica(s)` : ''}`,
          monthly: round(0.4 * (1 + replicas)),
        },
      ];
    },
    usage: () => ['Secrets Manager API calls ($0.05 per 10,000)'],
  },
  'AWS::SSM::Parameter': {
    service: 'Systems Manager',
    fixed: (p) => (str(p, 'Tier') === 'Advanced' ? [{ what: 'SSM advanced parameter', monthly: 0.05 }] : []),
  },
  'AWS::ApiGateway::Stage': {
    service: 'API Gateway',
    fixed: apiStage,
  },
  'AWS::DynamoDB::Table': {
    service: 'DynamoDB',
    fixed: dynamoTable,
    usage: () => ['DynamoDB requests (on-demand) and storage'],
  },
  'AWS::AccessAnalyzer::Analyzer': { service: 'IAM Access Analyzer', fixed: analyzer, usage: analyzerUsage },

  // Priced by usage only: no charge before traffic or data.
  'AWS::CloudTrail::Trail': usageOnly(
    'CloudTrail',
    'CloudTrail management events beyond the first copy in the account ($2 per 100,000)',
    'CloudTrail data events ($0.10 per 100,000), when selected',
  ),
  'AWS::CloudTrail::EventDataStore': usageOnly('CloudTrail', 'CloudTrail Lake ingestion and retention'),
  'AWS::GuardDuty::Detector': usageOnly(
    'GuardDuty',
    'GuardDuty volume: CloudTrail events, VPC flow and DNS logs, S3 data events, EBS scans, RDS logins (after a 30-day trial)',
  ),
  'AWS::GuardDuty::MalwareProtectionPlan': usageOnly(
    'GuardDuty',
    'GuardDuty Malware Protection for S3 (per GB scanned)',
  ),
  'AWS::Logs::LogGroup': usageOnly(
    'CloudWatch Logs',
    'CloudWatch Logs ingestion ($0.50/GB) and storage ($0.03/GB-month); empty groups cost nothing',
  ),
  'AWS::S3::Bucket': usageOnly(
    'S3',
    'S3 storage, requests and versions kept (an empty bucket costs nothing)',
  ),
  'AWS::Lambda::Function': usageOnly(
    'Lambda',
    'Lambda invocations and duration (the free tier covers a daily run)',
  ),
  'AWS::SNS::Topic': usageOnly('SNS', 'SNS publishes and deliveries (e-mail: $2 per 100,000)'),
  'AWS::SQS::Queue': usageOnly('SQS', 'SQS requests'),
  'AWS::EC2::FlowLog': usageOnly('VPC', 'VPC flow log delivery (vended logs, per GB)'),
  'AWS::WAFv2::LoggingConfiguration': usageOnly('WAF', 'WAF log delivery (vended logs, per GB)'),
  'AWS::ApiGateway::RestApi': usageOnly('API Gateway', 'API Gateway REST requests ($3.50 per million)'),
  'AWS::Cognito::UserPool': usageOnly('Cognito', 'Cognito monthly active users (beyond the free tier)'),
  'AWS::Config::ConfigurationRecorder': usageOnly(
    'Config',
    'AWS Config configuration items recorded ($0.003 each)',
  ),
  'AWS::Config::ConfigRule': usageOnly('Config', 'AWS Config rule evaluations ($0.001 each)'),
  'AWS::Config::ConformancePack': usageOnly(
    'Config',
    'AWS Config conformance pack evaluations ($0.001 each)',
  ),
  'AWS::SecurityHub::Hub': usageOnly('Security Hub', 'Security Hub security checks and finding ingestion'),
  'AWS::SecurityHub::Standard': usageOnly('Security Hub', 'Security Hub security checks of the standard'),
  'AWS::Macie::Session': usageOnly(
    'Macie',
    'Macie bucket monitoring (per bucket) and sensitive data discovery (per GB inspected)',
  ),
  'AWS::Backup::BackupVault': usageOnly(
    'Backup',
    'AWS Backup storage (per GB-month; nothing before the first backup) and restores',
  ),
  'AWS::Backup::RestoreTestingPlan': usageOnly(
    'Backup',
    'AWS Backup restore testing (per restore job, plus the restored resource while it runs)',
  ),
  'AWS::EFS::FileSystem': usageOnly('EFS', 'EFS storage'),
  'AWS::RDS::DBCluster': usageOnly('RDS', 'Aurora storage and I/O (its instances are separate resources)'),
  'AWS::Shield::Protection': {
    service: 'Shield',
    note: 'included in a Shield Advanced subscription, which this product never creates',
    usage: () => [
      'Shield Advanced subscription: a prerequisite of protections, $3,000/month per organization (1-year commitment), never created by this product',
      'Shield Advanced data transfer out of protected resources',
    ],
  },
  'AWS::SSM::MaintenanceWindowTask': usageOnly(
    'Systems Manager',
    'Systems Manager Automation steps beyond the free tier',
  ),
  'AWS::Events::Archive': usageOnly('EventBridge', 'EventBridge archived events'),
  'AWS::Scheduler::Schedule': usageOnly(
    'EventBridge',
    'EventBridge Scheduler invocations (14 million free a month)',
  ),
  'AWS::KinesisFirehose::DeliveryStream': usageOnly('Data Firehose', 'Data Firehose ingestion'),
  'AWS::StepFunctions::StateMachine': usageOnly('Step Functions', 'Step Functions state transitions'),
  'AWS::CloudFormation::StackSet': usageOnly(
    'CloudFormation',
    'each StackSet instance costs what its template deploys, per account and region',
  ),

  // Free: no charge of their own (what they refer to is priced where it is declared).
  'AWS::CDK::Metadata': FREE('CDK', 'deployment metadata'),
  'AWS::KMS::Alias': FREE('KMS', 'aliases are free'),
  'AWS::IAM::Role': FREE('IAM', 'IAM is free'),
  'AWS::IAM::Policy': FREE('IAM', 'IAM is free'),
  'AWS::IAM::ManagedPolicy': FREE('IAM', 'IAM is free'),
  'AWS::IAM::User': FREE('IAM', 'IAM is free'),
  'AWS::IAM::Group': FREE('IAM', 'IAM is free'),
  'AWS::IAM::InstanceProfile': FREE('IAM', 'IAM is free'),
  'AWS::IAM::OIDCProvider': FREE('IAM', 'IAM is free'),
  'AWS::IAM::ServiceLinkedRole': FREE('IAM', 'IAM is free'),
  'AWS::S3::BucketPolicy': FREE('S3', 'policies are free'),
  'AWS::S3::AccessPoint': FREE('S3', 'access points are free (requests are billed to the bucket)'),
  'AWS::SNS::TopicPolicy': FREE('SNS', 'policies are free'),
  'AWS::SNS::Subscription': FREE('SNS', 'deliveries are priced on the topic'),
  'AWS::SQS::QueuePolicy': FREE('SQS', 'policies are free'),
  'AWS::Events::Rule': FREE('EventBridge', 'rules on AWS service events and schedules are free'),
  'AWS::Events::EventBus': FREE('EventBridge', 'custom events are priced per PutEvents call (none here)'),
  'AWS::Events::EventBusPolicy': FREE('EventBridge', 'policies are free'),
  'AWS::GuardDuty::PublishingDestination': FREE('GuardDuty', 'exports go to an S3 bucket priced there'),
  'AWS::GuardDuty::Filter': FREE('GuardDuty', 'filters are free'),
  'AWS::Logs::MetricFilter': FREE('CloudWatch Logs', 'metric filters are free (their alarms are priced)'),
  'AWS::Logs::ResourcePolicy': FREE('CloudWatch Logs', 'policies are free'),
  'AWS::Logs::SubscriptionFilter': FREE('CloudWatch Logs', 'the destination is priced'),
  'AWS::Logs::QueryDefinition': FREE('CloudWatch Logs', 'saved queries are free (running them is usage)'),
  'AWS::Lambda::Permission': FREE('Lambda', 'permissions are free'),
  'AWS::Lambda::EventInvokeConfig': FREE('Lambda', 'configuration only'),
  'AWS::Lambda::LayerVersion': FREE('Lambda', 'code storage (75 GB free per account)'),
  'AWS::Lambda::EventSourceMapping': FREE('Lambda', 'invocations are priced on the function'),
  'AWS::EC2::VPC': FREE('VPC', 'a VPC is free'),
  'AWS::EC2::Subnet': FREE('VPC', 'subnets are free'),
  'AWS::EC2::RouteTable': FREE('VPC', 'route tables are free'),
  'AWS::EC2::Route': FREE('VPC', 'routes are free'),
  'AWS::EC2::SubnetRouteTableAssociation': FREE('VPC', 'free'),
  'AWS::EC2::InternetGateway': FREE('VPC', 'free (data transfer out is usage)'),
  'AWS::EC2::EgressOnlyInternetGateway': FREE('VPC', 'free (data transfer out is usage)'),
  'AWS::EC2::VPCGatewayAttachment': FREE('VPC', 'free'),
  'AWS::EC2::SecurityGroup': FREE('VPC', 'security groups are free'),
  'AWS::EC2::SecurityGroupIngress': FREE('VPC', 'free'),
  'AWS::EC2::SecurityGroupEgress': FREE('VPC', 'free'),
  'AWS::EC2::NetworkAcl': FREE('VPC', 'network ACLs are free'),
  'AWS::EC2::NetworkAclEntry': FREE('VPC', 'free'),
  'AWS::EC2::SubnetNetworkAclAssociation': FREE('VPC', 'free'),
  'AWS::RDS::DBSubnetGroup': FREE('RDS', 'free'),
  'AWS::RDS::DBParameterGroup': FREE('RDS', 'free'),
  'AWS::RDS::DBClusterParameterGroup': FREE('RDS', 'free'),
  'AWS::RDS::OptionGroup': FREE('RDS', 'free'),
  'AWS::SecretsManager::SecretTargetAttachment': FREE('Secrets Manager', 'free'),
  'AWS::SecretsManager::RotationSchedule': FREE(
    'Secrets Manager',
    'rotation runs a Lambda function, priced there',
  ),
  'AWS::SecretsManager::ResourcePolicy': FREE('Secrets Manager', 'policies are free'),
  'AWS::ApiGateway::Account': FREE('API Gateway', 'account settings'),
  'AWS::ApiGateway::Deployment': FREE('API Gateway', 'free'),
  'AWS::ApiGateway::Resource': FREE('API Gateway', 'free'),
  'AWS::ApiGateway::Method': FREE('API Gateway', 'free'),
  'AWS::ApiGateway::RequestValidator': FREE('API Gateway', 'free'),
  'AWS::ApiGateway::Model': FREE('API Gateway', 'free'),
  'AWS::ApiGateway::Authorizer': FREE('API Gateway', 'free (the authorizer function is priced)'),
  'AWS::ApiGateway::ClientCertificate': FREE('API Gateway', 'free'),
  'AWS::WAFv2::IPSet': FREE('WAF', 'IP sets are free (the rule that uses one is priced)'),
  'AWS::WAFv2::WebACLAssociation': FREE('WAF', 'free'),
  'AWS::Config::DeliveryChannel': FREE('Config', 'delivery goes to S3/SNS, priced there'),
  'AWS::SecurityHub::AutomationRule': FREE('Security Hub', 'free'),
  'AWS::Backup::BackupPlan': FREE('Backup', 'plans are free (storage is priced on the vault)'),
  'AWS::Backup::BackupSelection': FREE('Backup', 'free'),
  'AWS::Backup::RestoreTestingSelection': FREE('Backup', 'priced on the restore testing plan'),
  'AWS::Shield::ProtectionGroup': FREE('Shield', 'included in the subscription'),
  'AWS::Shield::ProactiveEngagement': FREE('Shield', 'included in the subscription'),
  'AWS::Shield::DRTAccess': FREE('Shield', 'included in the subscription'),
  'AWS::SSM::Document': FREE('Systems Manager', 'documents are free'),
  'AWS::SSM::PatchBaseline': FREE('Systems Manager', 'Patch Manager is free for EC2 instances'),
  'AWS::SSM::MaintenanceWindow': FREE('Systems Manager', 'maintenance windows are free'),
  'AWS::SSM::MaintenanceWindowTarget': FREE('Systems Manager', 'free'),
  'AWS::SSM::Association': FREE('Systems Manager', 'State Manager is free for EC2 instances'),
  'AWS::Cognito::UserPoolClient': FREE('Cognito', 'priced on the user pool'),
  'AWS::Cognito::UserPoolDomain': FREE('Cognito', 'priced on the user pool'),
  'AWS::Cognito::UserPoolGroup': FREE('Cognito', 'priced on the user pool'),
  'AWS::Macie::AllowList': FREE('Macie', 'free'),
  'AWS::Macie::CustomDataIdentifier': FREE('Macie', 'free'),
  // Custom resources of aws-cdk-lib whose function is priced as a Lambda function; the calls this
  // product makes through Custom::AWS (password policy, account Block Public Access, EBS default
  // encryption, service enablement) are free API calls. Any other custom type is NOT priced.
  'Custom::AWS': FREE(
    'CloudFormation',
    'AwsCustomResource: its Lambda function is priced; the API calls are free',
  ),
  'Custom::VpcRestrictDefaultSG': FREE('CloudFormation', 'removes the default security group rules'),
  'Custom::S3AutoDeleteObjects': FREE('CloudFormation', 'empties a bucket on delete'),
  'Custom::S3BucketNotifications': FREE('CloudFormation', 'configures bucket notifications'),
  'Custom::CDKBucketDeployment': FREE('CloudFormation', 'copies assets; S3 storage priced on the bucket'),
  'Custom::LogRetention': FREE('CloudFormation', 'sets a log group retention'),
};
