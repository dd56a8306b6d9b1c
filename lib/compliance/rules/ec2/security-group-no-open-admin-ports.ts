import { asList, CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

const ADMIN_PORTS = [22, 3389];
const ANYWHERE = ['0.0.0.0/0', '::/0'];

/**
 * No security group (or stand-alone ingress rule) opens SSH (22) or RDP (3389) to the whole internet
 * (NET-01), as rendered: rules added by an escape hatch are caught. Each port is its own finding
 * (`[Port22]`, `[Port3389]`).
 */
export const SecurityGroupNoOpenAdminPorts: PolicyRule = {
  id: 'SecurityGroupNoOpenAdminPorts',
  controls: ['NET-01'],
  level: NagMessageLevel.ERROR,
  info: 'The security group allows SSH (22) or RDP (3389) from anywhere (0.0.0.0/0 or ::/0).',
  explanation:
    'NET-01: segmentation. Administrative ports are never open to the internet; use Session Manager, or allow a ' +
    'named CIDR or security group.',
  check: (cfn: CfnView) => {
    const rules =
      cfn.type === 'AWS::EC2::SecurityGroup'
        ? asList(cfn.properties.SecurityGroupIngress)
        : cfn.type === 'AWS::EC2::SecurityGroupIngress'
          ? [cfn.properties]
          : undefined;
    if (rules === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    const open = openPorts(rules);
    return open.length === 0 ? NagRuleCompliance.COMPLIANT : open.map((port) => `Port${port}`);
  },
  found: (cfn: CfnView) => {
    const rules =
      cfn.type === 'AWS::EC2::SecurityGroup' ? asList(cfn.properties.SecurityGroupIngress) : [cfn.properties];
    return `port(s) ${openPorts(rules).join(', ')} open to ${ANYWHERE.join(' or ')}`;
  },
};

function openPorts(rules: unknown[]): number[] {
  const open = new Set<number>();
  for (const r of rules) {
    if (!isObject(r) || !(ANYWHERE.includes(String(r.CidrIp)) || ANYWHERE.includes(String(r.CidrIpv6))))
      continue;
    const protocol = String(r.IpProtocol);
    const all = protocol === '-1' || protocol === 'all';
    if (!all && protocol !== 'tcp' && protocol !== '6') continue;
    const from = typeof r.FromPort === 'number' ? r.FromPort : 0;
    const to = typeof r.ToPort === 'number' ? r.ToPort : 65535;
    for (const port of ADMIN_PORTS) if (all || (from <= port && port <= to) || from === -1) open.add(port);
  }
  return [...open].sort((a, b) => a - b);
}
