import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { MIN_PASSWORD_LENGTH } from './account-hardening';
import { childPath, PropErrors } from './errors';

/** Policy 003: "Automatic session timeout after 30 minutes of inactivity". */
export const POLICY_IDLE_MINUTES = 30;
/** Cognito's shortest refresh-token validity. */
export const COGNITO_MIN_REFRESH_MINUTES = 60;
/** Cognito remembers at most this many previous passwords. */
export const COGNITO_MAX_PASSWORD_HISTORY = 24;

export interface ApplicationSignInProps {
  /**
   * Minimum password length (IAM-01: at least 12), 12..99.
   * @default 14
   */
  readonly minimumPasswordLength?: number;

  /**
   * How long an access or ID token is accepted, 5..30 minutes: after this, an idle client's
   * tokens are refused by the API.
   * @default Duration.minutes(15)
   */
  readonly tokenValidity?: Duration;

  /**
   * OAuth callback URLs of the web application (authorization code grant with PKCE through
   * Cognito's managed login).
   * @default - no OAuth: the application signs users in with SRP (`USER_SRP_AUTH`) itself
   */
  readonly callbackUrls?: string[];

  /**
   * Where managed login sends users after sign-out (with `callbackUrls`).
   * @default - none
   */
  readonly logoutUrls?: string[];

  /**
   * Allow users to sign themselves up.
   * @default false - an administrator creates users
   */
  readonly selfSignUp?: boolean;
}

/**
 * Application sign-in (IAM-05, opt-in; policy 003 "JWT-based session management", "Automatic session
 * timeout after 30 minutes of inactivity", the password rules; policies 001-003 MFA): a Cognito user
 * pool and one app client, usable as the API's authorizer (`authorizer()`).
 *
 * What Cognito enforces:
 * - MFA is required for every user (TOTP authenticator apps; no SMS).
 * - Passwords: `minimumPasswordLength`+ characters with upper case, lower case, digit and symbol;
 *   the last 24 passwords cannot be reused; temporary passwords expire after 1 day.
 * - Threat protection (Plus feature plan, standard threat protection ENFORCED): compromised
 *   credentials are blocked and risky sign-ins challenged or blocked.
 * - Access and ID tokens (JWTs) expire `tokenValidity` after issue (15 minutes by default, at most
 *   30), so an idle client's tokens are refused by the API after that.
 * - Refresh tokens expire 60 minutes after sign-in (Cognito's minimum) and are revoked on sign-out:
 *   no session lasts longer than an hour without signing in again, active or not.
 * - Sign-in sessions (between the password and MFA steps) expire after 3 minutes.
 *
 * What Cognito cannot enforce, and the application must: **an inactivity timeout of exactly 30
 * minutes**. Cognito has no idle timer; a client that keeps refreshing within the refresh token's
 * hour stays signed in whether or not its user is active. The application ends an idle session by
 * tracking user activity and calling `RevokeToken` / `GlobalSignOut` (or discarding the tokens)
 * after 30 minutes without it. Password expiry (IAM-01's 90-day maximum age) does not exist in
 * Cognito either.
 *
 * The user pool holds user accounts: it has deletion protection and is retained when its stack is
 * deleted. Protect it with the RateLimitedWebAcl (`acl.associate(userPool.userPoolArn)`).
 */
export class ApplicationSignIn extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: ApplicationSignInProps = {}) {
    super(scope, id);
    const length = props.minimumPasswordLength ?? 14;
    const tokenValidity = props.tokenValidity ?? Duration.minutes(15);
    const errors = new PropErrors('ApplicationSignIn', childPath(scope.node.path, id));
    if (!Number.isInteger(length) || length < MIN_PASSWORD_LENGTH || length > 99)
      errors.add(
        'minimumPasswordLength',
        length,
        `a whole number ${MIN_PASSWORD_LENGTH}..99 (IAM-01; Cognito allows up to 99)`,
      );
    if (!tokenValidity.isUnresolved()) {
      const minutes = tokenValidity.toMinutes({ integral: false });
      if (!Number.isInteger(minutes) || minutes < 5 || minutes > POLICY_IDLE_MINUTES)
        errors.add(
          'tokenValidity',
          tokenValidity,
          `whole minutes, 5 (Cognito minimum)..${POLICY_IDLE_MINUTES} (policy 003 idle timeout)`,
        );
    }
    (props.callbackUrls ?? []).forEach((u, i) => {
      if (!/^https:\/\/[^\s]+$/.test(u) && !/^http:\/\/localhost(:\d+)?(\/[^\s]*)?$/.test(u))
        errors.add(`callbackUrls[${i}]`, u, 'an https:// URL (http://localhost only for development)');
    });
    if (props.logoutUrls?.length && !props.callbackUrls?.length)
      errors.add('logoutUrls', props.logoutUrls, 'only with callbackUrls (managed login)');
    errors.throwIfAny();

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: props.selfSignUp ?? false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: length,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(1),
        passwordHistorySize: COGNITO_MAX_PASSWORD_HISTORY,
      },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const oauth = (props.callbackUrls?.length ?? 0) > 0;
    this.client = this.userPool.addClient('Client', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: tokenValidity,
      idTokenValidity: tokenValidity,
      refreshTokenValidity: Duration.minutes(COGNITO_MIN_REFRESH_MINUTES),
      authSessionValidity: Duration.minutes(3),
      disableOAuth: !oauth,
      ...(oauth
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true },
              scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
              callbackUrls: props.callbackUrls,
              logoutUrls: props.logoutUrls,
            },
          }
        : {}),
    });
    recordControls(this, 'IAM-05');
  }

  /**
   * A Cognito authorizer for an API Gateway REST API in `scope` (methods then use
   * `authorizationType: COGNITO`); requests carry the ID token in the `Authorization` header.
   */
  public authorizer(scope: Construct, id: string): apigw.CognitoUserPoolsAuthorizer {
    return new apigw.CognitoUserPoolsAuthorizer(scope, id, { cognitoUserPools: [this.userPool] });
  }
}
