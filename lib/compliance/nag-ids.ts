import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * A resource string as cdk-nag writes it in a finding ID (e.g. `AwsSolutions-IAM5[Resource::...]`):
 * resolved in `scope`'s stack, with `Ref`s as `<Name>` and `Fn::GetAtt`s as `<LogicalId.Attr>`.
 * Partition, region and account appear as literals in environment-specific stacks and as
 * `<AWS::Partition>`-style placeholders in environment-agnostic ones, so acknowledgements must be
 * built with this rather than written out.
 */
export function nagResource(scope: IConstruct, value: string): string {
  return render(Stack.of(scope).resolve(value));
}

function render(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.Ref === 'string') return `<${o.Ref}>`;
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt[0]}.${getAtt[1]}>`;
    const join = o['Fn::Join'];
    if (Array.isArray(join) && Array.isArray(join[1]))
      return (join[1] as unknown[]).map(render).join(String(join[0]));
  }
  return JSON.stringify(v);
}
