import { CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/** Policy 003: "Automatic session timeout after 30 minutes of inactivity". */
const MAX_TOKEN_MINUTES = 30;
/** Cognito's shortest refresh-token validity: no session outlives it without a new sign-in. */
const MAX_REFRESH_MINUTES = 60;

const MINUTES_PER_UNIT: Record<string, number> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };

/** A token validity in minutes: `value` in `unit` (Cognito's default unit and value when unset). */
function minutes(
  value: unknown,
  unit: unknown,
  defaultUnit: string,
  defaultValue: number,
): number | undefined {
  const v = value ?? defaultValue;
  const u = unit ?? defaultUnit;
  if (typeof v !== 'number' || typeof u !== 'string' || !(u in MINUTES_PER_UNIT)) return undefined;
  return v * MINUTES_PER_UNIT[u];
}

/**
 * A Cognito app client keeps JWT sessions short (IAM-05, policy 003's 30-minute inactivity
 * timeout as far as Cognito can enforce it): access and ID tokens valid at most 30 minutes, refresh
 * tokens at most 60 (Cognito's minimum; its default is 30 days), token revocation on. No public
 * pack checks token lifetimes. Findings: `[AccessTokenValidity]`, `[IdTokenValidity]`,
 * `[RefreshTokenValidity]`, `[TokenRevocation]`. A value known only at deploy time fails closed.
 */
export const CognitoClientShortSessions: PolicyRule = {
  id: 'CognitoClientShortSessions',
  controls: ['IAM-05'],
  level: NagMessageLevel.ERROR,
  info: 'The app client issues tokens that outlive the 30-minute session timeout, or cannot revoke them.',
  explanation:
    'Policy 003 ends sessions after 30 minutes of inactivity. Cognito has no idle timer, so the client must issue ' +
    'access and ID tokens valid for at most 30 minutes, refresh tokens for at most 60 (its minimum) and allow ' +
    'revocation (ApplicationSignIn does); the application signs idle users out.',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::Cognito::UserPoolClient') return NagRuleCompliance.NOT_APPLICABLE;
    const p = cfn.properties;
    const units = isObject(p.TokenValidityUnits) ? p.TokenValidityUnits : {};
    const findings: string[] = [];
    const access = minutes(p.AccessTokenValidity, units.AccessToken, 'hours', 1);
    if (access === undefined || access > MAX_TOKEN_MINUTES) findings.push('AccessTokenValidity');
    const id = minutes(p.IdTokenValidity, units.IdToken, 'hours', 1);
    if (id === undefined || id > MAX_TOKEN_MINUTES) findings.push('IdTokenValidity');
    const refresh = minutes(p.RefreshTokenValidity, units.RefreshToken, 'days', 30);
    if (refresh === undefined || refresh > MAX_REFRESH_MINUTES) findings.push('RefreshTokenValidity');
    if (
      p.EnableTokenRevocation === false ||
      (p.EnableTokenRevocation !== undefined && typeof p.EnableTokenRevocation !== 'boolean')
    )
      findings.push('TokenRevocation');
    return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
  },
  found: (cfn: CfnView) => {
    const p = cfn.properties;
    const units = isObject(p.TokenValidityUnits) ? p.TokenValidityUnits : {};
    const show = (v: unknown, u: unknown, du: string, dv: number) =>
      `${JSON.stringify(v ?? dv)} ${String(u ?? du)}`;
    return (
      `access token ${show(p.AccessTokenValidity, units.AccessToken, 'hours', 1)}, ID token ` +
      `${show(p.IdTokenValidity, units.IdToken, 'hours', 1)}, refresh token ` +
      `${show(p.RefreshTokenValidity, units.RefreshToken, 'days', 30)}, revocation ` +
      `${JSON.stringify(p.EnableTokenRevocation ?? 'default (on)')}; use ApplicationSignIn or at most 30/30/60 minutes with revocation on`
    );
  },
};
