import { asList, isIntrinsic, isObject } from '../rule';

/** One statement of an IAM-style policy document, as CloudFormation will see it. */
export interface Statement {
  readonly effect: string;
  readonly principals: { readonly kind: string; readonly value: unknown }[];
  readonly actions: unknown[];
  readonly notAction: boolean;
  readonly resources: unknown[];
  readonly condition?: Record<string, unknown>;
}

/** The statements of a policy document; `undefined` when the document is known only at deploy time. */
export function statements(document: unknown): Statement[] | undefined {
  if (document === undefined) return [];
  if (!isObject(document) || isIntrinsic(document)) return undefined;
  const raw = document.Statement;
  if (isIntrinsic(raw)) return undefined;
  return asList(raw)
    .filter(isObject)
    .map((s) => {
      const principal = s.Principal;
      const principals =
        principal === '*'
          ? [{ kind: 'AWS', value: '*' }]
          : isObject(principal) && !isIntrinsic(principal)
            ? Object.entries(principal).flatMap(([kind, v]) => asList(v).map((value) => ({ kind, value })))
            : principal === undefined
              ? []
              : [{ kind: '?', value: principal }];
      return {
        effect: String(s.Effect),
        principals,
        actions: asList(s.Action ?? s.NotAction),
        notAction: s.NotAction !== undefined,
        resources: asList(s.Resource ?? s.NotResource),
        condition: isObject(s.Condition) ? s.Condition : undefined,
      };
    });
}

/**
 * Whether an action list covers `action` (`service:Name`), through `*` or `service:*`-style
 * wildcards. An action known only at deploy time counts as covering it (`assumeUnknown`).
 */
export function coversAction(actions: readonly unknown[], action: string, assumeUnknown: boolean): boolean {
  return actions.some((a) => {
    if (typeof a !== 'string') return assumeUnknown;
    const pattern = new RegExp(
      `^${a
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'i',
    );
    return pattern.test(action);
  });
}

/** A rendered value as text: literal strings as they are, `Fn::Join`s joined, references as `<Ref:X>`. */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isObject(value)) {
    if (typeof value.Ref === 'string') return `<Ref:${value.Ref}>`;
    const join = value['Fn::Join'];
    if (Array.isArray(join) && Array.isArray(join[1]))
      return (join[1] as unknown[]).map(text).join(String(join[0]));
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<GetAtt:${getAtt.join('.')}>`;
  }
  return JSON.stringify(value);
}

/** Whether a principal value names the stack's own account (root), in any form CloudFormation accepts. */
export function isAccountRoot(value: unknown): boolean {
  const t = text(value);
  return (
    t === '<Ref:AWS::AccountId>' ||
    /^\d{12}$/.test(t) ||
    /^arn:(<Ref:AWS::Partition>|aws[a-z-]*):iam::(<Ref:AWS::AccountId>|\d{12}):root$/.test(t)
  );
}

/** Condition keys that limit who a `*` principal can be. */
const PRINCIPAL_SCOPING_KEYS = [
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalarn',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
  'kms:calleraccount',
];

/** Whether a statement's condition limits its principals to named accounts, organizations or resources. */
export function scopesPrincipal(condition: Record<string, unknown> | undefined): boolean {
  if (!condition) return false;
  return Object.values(condition).some(
    (operator) =>
      isObject(operator) &&
      Object.keys(operator).some((k) => PRINCIPAL_SCOPING_KEYS.includes(k.toLowerCase())),
  );
}
