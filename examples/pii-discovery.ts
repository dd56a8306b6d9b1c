import { App, Stack } from 'aws-cdk-lib';
import {
  AuditTrail,
  DiscoveryFrequency,
  SecureBucket,
  SecurityAlerts,
  SensitiveDataDiscovery,
} from 'cdk-security-baseline';

const app = new App();
const stack = new Stack(app, 'Workload');
const customerData = new SecureBucket(stack, 'CustomerData');

// LOG-03: object-level reads and writes of the sensitive buckets, beside all management events.
new AuditTrail(stack, 'AuditTrail', { dataEventBuckets: [customerData.bucket] });

// DATA-06 (opt-in): a Macie session and a weekly sensitive-data discovery job over the same buckets.
new SensitiveDataDiscovery(stack, 'PiiDiscovery', {
  buckets: [customerData.bucket],
  frequency: DiscoveryFrequency.WEEKLY,
  alerts: new SecurityAlerts(stack, 'Alerts'),
});
