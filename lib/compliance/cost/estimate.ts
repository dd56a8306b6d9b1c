import { CONTROL_CATALOGUE } from '../catalogue';
import {
  FixedCharge,
  PRICE_SOURCE,
  PRICE_REGION,
  PRICE_TABLE,
  PRICES_READ,
  PriceEntry,
  round,
} from './prices';

/** One resource of a synthesized template, as much as the estimate reads. */
export interface TemplateResource {
  readonly Type?: unknown;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly Metadata?: Readonly<Record<string, unknown>>;
  /** A CloudFormation condition: the resource exists only where it holds (still counted, and named). */
  readonly Condition?: unknown;
}

/** One synthesized stack: its name and its template's resources. */
export interface StackTemplate {
  /** The stack's name (artifact ID) as printed. */
  readonly stack: string;
  readonly resources: Readonly<Record<string, TemplateResource>>;
  /**
   * The stack's construct path; controls recorded on it or above (e.g. OPS-02 on the whole stack) are
   * not charged with its resources.
   * @default - the stack name
   */
  readonly stackPath?: string;
  /**
   * Logical ID → construct path, from the construct tree.
   * @default - each resource's `aws:cdk:path` metadata, when the template has it
   */
  readonly paths?: ReadonlyMap<string, string>;
}

/** One fixed monthly charge of one resource. */
export interface CostItem {
  readonly logicalId: string;
  readonly type: string;
  readonly path?: string;
  /** What is charged. */
  readonly charge: string;
  /** USD per month, as deployed. */
  readonly monthly: number;
  /** USD per month once the charge has grown to its ceiling (rotating KMS keys: after the second rotation). */
  readonly steadyMonthly: number;
  /** Controls whose constructs hold the resource (catalogue order); empty for supporting resources. */
  readonly controls: string[];
}

/** A usage-priced item: named, without a number. */
export interface UsageItem {
  readonly item: string;
  readonly service: string;
  /** How many resources of the stack bring it. */
  readonly resources: number;
}

/** A resource the table cannot price: reported, never counted as zero. */
export interface UnpricedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly path?: string;
  readonly reason: string;
}

export interface StackCost {
  readonly stack: string;
  /** Sum of the fixed charges, USD per month, as deployed (the first month); conditional resources included (an upper bound). */
  readonly fixedMonthly: number;
  /** Sum of the fixed charges once each has reached its ceiling (from the 7th month on). */
  readonly steadyMonthly: number;
  readonly items: CostItem[];
  readonly usage: UsageItem[];
  readonly unpriced: UnpricedResource[];
  /** Resources with no charge of their own (IAM, policies, routes, ...). */
  readonly freeResources: number;
}

export interface ControlCost {
  readonly id: string;
  readonly fixedMonthly: number;
  readonly steadyMonthly: number;
  /** Resources of the control's constructs that are usage-priced or not priced, by type. */
  readonly usage: string[];
  readonly unpriced: number;
}

export interface CostEstimate {
  readonly currency: 'USD';
  readonly region: string;
  readonly pricesRead: string;
  readonly source: string;
  readonly stacks: StackCost[];
  /** Per control: the fixed cost of the resources its constructs hold. A resource serving several controls counts in each. */
  readonly controls: ControlCost[];
}

export interface EstimateOptions {
  /** Construct path → control IDs recorded there (`recordedControls(root)`). */
  readonly controls?: ReadonlyMap<string, readonly string[]>;
  /**
   * The price table.
   * @default PRICE_TABLE
   */
  readonly table?: Readonly<Record<string, PriceEntry>>;
}

const CATALOGUE_ORDER = new Map(CONTROL_CATALOGUE.map((c, i) => [c.id, i]));

/**
 * Estimate the fixed monthly cost of synthesized stacks from the price table: per stack, per
 * control, the usage-priced items named, and every resource the table cannot price reported as such.
 * Pure: reads only its arguments.
 */
export function estimateCost(stacks: readonly StackTemplate[], options: EstimateOptions = {}): CostEstimate {
  const table = options.table ?? PRICE_TABLE;
  const recorded = [...(options.controls ?? new Map<string, readonly string[]>())];
  const perControl = new Map<
    string,
    { fixed: number; steady: number; usage: Set<string>; unpriced: number }
  >();
  const control = (id: string) => {
    let c = perControl.get(id);
    if (!c) perControl.set(id, (c = { fixed: 0, steady: 0, usage: new Set(), unpriced: 0 }));
    return c;
  };

  const result = stacks.map((s): StackCost => {
    const stackPath = s.stackPath ?? s.stack;
    const items: CostItem[] = [];
    const unpriced: UnpricedResource[] = [];
    const usage = new Map<string, UsageItem>();
    let free = 0;
    for (const [logicalId, resource] of Object.entries(s.resources)) {
      const type = typeof resource?.Type === 'string' ? resource.Type : String(resource?.Type);
      const properties = resource?.Properties ?? {};
      const metaPath = resource?.Metadata?.['aws:cdk:path'];
      const path = s.paths?.get(logicalId) ?? (typeof metaPath === 'string' ? metaPath : undefined);
      const controls = controlsOf(path, stackPath, recorded);
      const entry = Object.prototype.hasOwnProperty.call(table, type) ? table[type] : undefined;
      const at = path === undefined ? {} : { path };
      if (!entry) {
        unpriced.push({ logicalId, type, ...at, reason: `${type} is not in the price table` });
        for (const id of controls) control(id).unpriced++;
        continue;
      }
      let charges: readonly FixedCharge[] = [];
      let failure: string | undefined;
      try {
        const fixed = entry.fixed?.(properties) ?? [];
        if ('unpriced' in fixed) failure = fixed.unpriced;
        else charges = fixed;
      } catch (e) {
        failure = `pricing failed: ${(e as Error).message}`;
      }
      if (failure !== undefined) {
        unpriced.push({ logicalId, type, ...at, reason: failure });
        for (const id of controls) control(id).unpriced++;
        continue;
      }
      const usageItems = entry.usage?.(properties) ?? [];
      for (const item of usageItems) {
        const u = usage.get(item);
        usage.set(item, { item, service: entry.service, resources: (u?.resources ?? 0) + 1 });
        for (const id of controls) control(id).usage.add(item);
      }
      const priced = charges.filter((c) => c.monthly > 0 || (c.steadyMonthly ?? 0) > 0);
      if (priced.length === 0 && usageItems.length === 0) free++;
      for (const c of priced) {
        const steady = c.steadyMonthly ?? c.monthly;
        items.push({
          logicalId,
          type,
          ...at,
          charge:
            typeof resource.Condition === 'string' ? `${c.what} (only where ${resource.Condition})` : c.what,
          monthly: c.monthly,
          steadyMonthly: steady,
          controls,
        });
        for (const id of controls) {
          control(id).fixed += c.monthly;
          control(id).steady += steady;
        }
      }
    }
    return {
      stack: s.stack,
      fixedMonthly: round(items.reduce((sum, i) => sum + i.monthly, 0)),
      steadyMonthly: round(items.reduce((sum, i) => sum + i.steadyMonthly, 0)),
      items,
      usage: [...usage.values()],
      unpriced,
      freeResources: free,
    };
  });

  return {
    currency: 'USD',
    region: PRICE_REGION,
    pricesRead: PRICES_READ,
    source: PRICE_SOURCE,
    stacks: result,
    controls: [...perControl]
      .sort(([a], [b]) => (CATALOGUE_ORDER.get(a) ?? 999) - (CATALOGUE_ORDER.get(b) ?? 999))
      .map(([id, c]) => ({
        id,
        fixedMonthly: round(c.fixed),
        steadyMonthly: round(c.steady),
        usage: [...c.usage],
        unpriced: c.unpriced,
      })),
  };
}

/**
 * Controls recorded on the resource's construct or any ancestor below the stack (a resource inside
 * AuditTrail/Bucket serves both the trail's and the bucket's controls), in catalogue order.
 */
function controlsOf(
  path: string | undefined,
  stackPath: string,
  recorded: readonly (readonly [string, readonly string[]])[],
): string[] {
  if (path === undefined) return [];
  const ids = new Set<string>();
  for (const [p, controls] of recorded) {
    if (p.length <= stackPath.length || !p.startsWith(stackPath + '/')) continue;
    if (path === p || path.startsWith(p + '/')) for (const id of controls) ids.add(id);
  }
  return [...ids].sort((a, b) => (CATALOGUE_ORDER.get(a) ?? 999) - (CATALOGUE_ORDER.get(b) ?? 999));
}

/** `$6.60` */
export function usd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/**
 * One line per stack for the synth summary: "SecurityBaseline-dev: ~$6.60/month fixed
 * (~$16.60 from the 7th month, ...), + usage: KMS, CloudTrail, ...".
 */
export function summaryLine(s: StackCost): string {
  const steady =
    s.steadyMonthly !== s.fixedMonthly
      ? ` (~${usd(s.steadyMonthly)} from month 7, once each rotating KMS key has rotated twice)`
      : '';
  const services = [...new Set(s.usage.map((u) => u.service))];
  const unpriced =
    s.unpriced.length > 0
      ? `; NOT PRICED: ${[...new Set(s.unpriced.map((u) => u.type))].join(', ')} (${s.unpriced.length} resource(s))`
      : '';
  return (
    `${s.stack}: ~${usd(s.fixedMonthly)}/month fixed${steady}` +
    (services.length > 0 ? `, + usage: ${services.join(', ')}` : '') +
    unpriced
  );
}

/** The synth summary's cost lines: a heading naming the price basis, then one line per stack. */
export function costSummary(cost: CostEstimate): string {
  return [
    `Estimated cost before traffic (list prices, ${cost.region}, read ${cost.pricesRead}; details in the controls report):`,
    ...cost.stacks.map((s) => `  ${summaryLine(s)}`),
  ].join('\n');
}
