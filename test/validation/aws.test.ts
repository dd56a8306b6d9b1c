import {
  ACCOUNT_ID_PATTERN,
  EMAIL_PATTERN,
  IAM_PRINCIPAL_ARN_PATTERN,
  isKmsRotationPeriod,
  isWellFormedText,
  KNOWN_REGIONS,
  REGION_PATTERN,
  tagKeyProblem,
  tagValueProblem,
} from '../../lib/validation/aws';

describe('shared AWS validators', () => {
  test('the region pattern accepts every region aws-cdk-lib knows, and no malformed name', () => {
    expect(KNOWN_REGIONS.length).toBeGreaterThan(30);
    expect(KNOWN_REGIONS.filter((r) => !REGION_PATTERN.test(r))).toEqual([]);
    for (const bad of ['Europe', 'EU-WEST-1', 'eu-west', 'eu_west_1', 'eu-west-1 ', 'x-west-1']) {
      expect([bad, REGION_PATTERN.test(bad)]).toEqual([bad, false]);
    }
  });

  test('account IDs, e-mails and IAM principal ARNs', () => {
    expect(
      ['111111111111', '11111111111', '1111111111111', '11111111111a'].map((a) => ACCOUNT_ID_PATTERN.test(a)),
    ).toEqual([true, false, false, false]);
    expect(
      ['a@example.com', 'a@example', 'a b@example.com', '@example.com'].map((e) => EMAIL_PATTERN.test(e)),
    ).toEqual([true, false, false, false]);
    const arns = [
      'arn:aws:iam::111111111111:root',
      'arn:aws-us-gov:iam::111111111111:role/path/admin',
      'arn:aws:iam::111111111111:user/alice',
      'arn:aws:iam::111111111111:group/admins',
      'arn:aws:s3:::bucket',
      'arn:aws:iam::1111:role/x',
    ];
    expect(arns.map((a) => IAM_PRINCIPAL_ARN_PATTERN.test(a))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  test('KMS rotation bounds: whole days 90..2560', () => {
    expect([89, 90, 2560, 2561, 90.5, NaN, '90', Infinity].map((d) => isKmsRotationPeriod(d))).toEqual([
      false,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  test('tags: the characters, lengths and prefix CloudFormation accepts', () => {
    expect(tagKeyProblem('cost-center')).toBeUndefined();
    expect(tagKeyProblem('Équipe Sécurité: a/b=c+d@e_f.g')).toBeUndefined();
    expect(tagKeyProblem('')).toContain('1..128');
    expect(tagKeyProblem('k'.repeat(129))).toContain('1..128');
    expect(tagKeyProblem('aws:owner')).toContain('"aws:"');
    expect(tagKeyProblem('AWS:owner')).toContain('"aws:"');
    expect(tagKeyProblem('a;b')).toContain('letters, digits');
    expect(tagValueProblem('')).toBeUndefined();
    expect(tagValueProblem('v'.repeat(256))).toBeUndefined();
    expect(tagValueProblem('v'.repeat(257))).toContain('256');
    for (const c of [';', '<', '>', '$', '"', '\n', '!', '#'])
      expect(tagValueProblem(`a${c}b`)).toContain('letters, digits');
  });

  test('unpaired surrogates are found, pairs are fine', () => {
    expect(isWellFormedText('a😀b')).toBe(true);
    expect(isWellFormedText('a\ud800b')).toBe(false);
    expect(isWellFormedText('a\udc00')).toBe(false);
    expect(isWellFormedText('\ud83d')).toBe(false);
    expect(tagValueProblem('x\ud800')).toContain('surrogate');
  });
});
