import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  BaselineCompliance,
  ContainmentRunbooks,
  IncidentClass,
  RateLimitedWebAcl,
  SecurityAlerts,
} from 'cdk-security-baseline';

const app = new App();
const stack = new Stack(app, 'Response');
const alerts = new SecurityAlerts(stack, 'Alerts', { high: { emails: ['oncall@example.com'] } });
const acl = new RateLimitedWebAcl(stack, 'WebAcl');

const runbooks = new ContainmentRunbooks(stack, 'Containment', {
  alertTopics: [alerts.topic(IncidentClass.HIGH)],
  blockedIpSet: acl.blockedIps, // BlockIp may change this set and no other
  autoIsolateFindingTypes: ['CryptoCurrency:EC2/BitcoinTool.B!DNS'], // omit to keep every run manual
});
const responder = new iam.Role(stack, 'Responder', {
  assumedBy: new iam.AccountRootPrincipal(),
  description: 'Incident responders: run the containment runbooks',
});
runbooks.grantRun(responder);

BaselineCompliance.enable(app);
