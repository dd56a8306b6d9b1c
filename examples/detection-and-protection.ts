import { App, Stack } from 'aws-cdk-lib';
import {
  AccountHardening,
  ApplicationSignIn,
  BaselineCompliance,
  ConfigRecording,
  DdosProtection,
  IncidentClass,
  PatchManagement,
  SecurityAlerts,
  VulnerabilityScanning,
} from 'cdk-security-baseline';

const app = new App();
const stack = new Stack(app, 'Detection');
const alerts = new SecurityAlerts(stack, 'Alerts');

// AccountHardening first: the stack's AwsCustomResource calls share one provider function
// (the other order fails synth, saying so).
new AccountHardening(stack, 'Hardening');
new ConfigRecording(stack, 'Config', {
  alertTopic: alerts.topic(IncidentClass.MEDIUM),
  accountWide: true, // false in the account's other regions
});
new VulnerabilityScanning(stack, 'Inspector', {
  alertTopics: {
    critical: alerts.topic(IncidentClass.CRITICAL),
    high: alerts.topic(IncidentClass.HIGH),
    medium: alerts.topic(IncidentClass.MEDIUM),
    low: alerts.topic(IncidentClass.LOW),
  },
});
new PatchManagement(stack, 'Patching'); // tag instances PatchGroup=security-baseline

// Only with a Shield Advanced subscription (US$3,000/month):
new DdosProtection(stack, 'Ddos', {
  resources: [
    {
      name: 'public-alb',
      resourceArn:
        'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/0123456789abcdef',
    },
  ],
  alertTopic: alerts.topic(IncidentClass.HIGH),
});

new ApplicationSignIn(stack, 'SignIn', { callbackUrls: ['https://app.example.com/callback'] });

BaselineCompliance.enable(app);
