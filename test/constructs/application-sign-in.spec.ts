import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { recordedControls } from '../../lib/compliance/controls';
import { ApplicationSignIn } from '../../lib/constructs/application-sign-in';
import { RateLimitedWebAcl } from '../../lib/constructs/rate-limited-web-acl';
import { synthWithGate, testStack } from './response-helpers';

describe('ApplicationSignIn (IAM-05)', () => {
  const stack = testStack('App');
  new ApplicationSignIn(stack, 'SignIn');
  const template = Template.fromStack(stack);

  test('MFA required (TOTP), the IAM-01 password rules, threat protection enforced on the Plus plan', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          PasswordHistorySize: 24,
          TemporaryPasswordValidityDays: 1,
        },
      },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });

  test('the user pool holds accounts: deletion protection, retained with its stack', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('short JWT sessions: 15-minute access and ID tokens, 60-minute refresh tokens, revocable; SRP only, no OAuth', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      AuthSessionValidity: 3,
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
    });
  });

  test('usable as an API authorizer', () => {
    const stack = testStack('Api');
    const signIn = new ApplicationSignIn(stack, 'SignIn');
    const api = new apigw.RestApi(stack, 'Api');
    api.root.addMethod('GET', new apigw.MockIntegration(), {
      authorizer: signIn.authorizer(stack, 'Authorizer'),
      authorizationType: apigw.AuthorizationType.COGNITO,
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      ProviderARNs: [{ 'Fn::GetAtt': [stack.getLogicalId(signIn.userPool.node.defaultChild as any), 'Arn'] }],
    });
    t.hasResourceProperties('AWS::ApiGateway::Method', { AuthorizationType: 'COGNITO_USER_POOLS' });
  });

  test('records IAM-05', () => {
    expect(recordedControls(stack).get('App/SignIn')).toEqual(['IAM-05']);
  });
});

describe('ApplicationSignIn options', () => {
  test('callbackUrls turn on the authorization code grant only (no implicit grant)', () => {
    const s = testStack();
    new ApplicationSignIn(s, 'S', {
      callbackUrls: ['https://app.example.com/cb'],
      logoutUrls: ['https://app.example.com/'],
      tokenValidity: Duration.minutes(30),
    });
    Template.fromStack(s).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: ['https://app.example.com/cb'],
      AccessTokenValidity: 30,
    });
  });

  test('rejects bad props, all at once, with the value received', () => {
    const s = testStack();
    expect(
      () =>
        new ApplicationSignIn(s, 'Bad', {
          minimumPasswordLength: 8,
          tokenValidity: Duration.minutes(60),
          callbackUrls: ['http://app.example.com/cb'],
        }),
    ).toThrow(
      new RegExp(
        [
          "ApplicationSignIn at 'Test/Bad': 3 invalid prop\\(s\\)",
          'minimumPasswordLength: got 8; a whole number 12..99',
          'tokenValidity: got 1 hour; whole minutes, 5 \\(Cognito minimum\\)..30',
          'callbackUrls\\[0\\]: got "http://app.example.com/cb"; an https:// URL',
        ].join('[\\s\\S]*'),
      ),
    );
    expect(() => new ApplicationSignIn(testStack(), 'L', { logoutUrls: ['https://x.example.com'] })).toThrow(
      /logoutUrls: got \["https:\/\/x.example.com"\]; only with callbackUrls/,
    );
  });
});

test('the compliance gate passes an app with ApplicationSignIn behind the web ACL', () => {
  expect(
    synthWithGate((app) => {
      const stack = new Stack(app, 'App');
      const signIn = new ApplicationSignIn(stack, 'SignIn', { callbackUrls: ['https://app.example.com/cb'] });
      new RateLimitedWebAcl(stack, 'Acl').associate(signIn.userPool.userPoolArn);
    }),
  ).toEqual({ threw: false, violations: [], problems: [] });
});
