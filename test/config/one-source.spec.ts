import { Template } from 'aws-cdk-lib/assertions';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { DEFAULT_CONFIG } from '../../lib/config/default-config';
import { ConfigError, resolveConfig } from '../../lib/config/loader';
import { PROFILES } from '../../lib/config/profiles';
import { configSchema } from '../../lib/config/schema';
import { SecurityBaselineStack } from '../../lib/stacks/security-baseline-stack';
import { testApp } from '../helpers';

// The schema is the one definition of a setting: its type, its allowed values and its default.
// `audit.intervalHours` was added by touching lib/config/schema.ts (the setting and its default)
// and its one consumer, the ContinuousAudit part in lib/stacks/baseline-parts.ts; nothing else.

const LIB = path.join(__dirname, '..', '..', 'lib');

function libFiles(dir = LIB): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? libFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => f.endsWith('.ts'));
}

function mentioning(word: string): string[] {
  return libFiles()
    .filter((f) => new RegExp(`\\b${word}\\b`).test(fs.readFileSync(f, 'utf8')))
    .map((f) => path.relative(LIB, f))
    .sort();
}

/** Every leaf setting of the schema as a dotted path (records and lists are leaves). */
function leafSettings(schema: z.core.$ZodType, at: string[] = []): string[] {
  let s = schema;
  while (['optional', 'default', 'prefault'].includes(s._zod.def.type)) {
    s = (s._zod.def as unknown as { innerType: z.core.$ZodType }).innerType;
  }
  const def = s._zod.def as unknown as {
    type: string;
    shape?: Record<string, z.core.$ZodType>;
    valueType?: z.core.$ZodType;
  };
  if (def.type === 'object' && def.shape) {
    return Object.entries(def.shape).flatMap(([k, v]) => leafSettings(v, [...at, k]));
  }
  if (def.type === 'record' && at.length === 1) return leafSettings(def.valueType!, [...at, '<name>']);
  return [at.join('.')];
}

describe('a setting added: audit.intervalHours', () => {
  test('is defined in the schema and read by its one consumer, nothing else', () => {
    expect(mentioning('intervalHours')).toEqual(['config/schema.ts', 'stacks/baseline-parts.ts']);
  });

  test('has its default in every profile without the profiles saying so', () => {
    expect([PROFILES.dev, PROFILES.test, PROFILES.prod].map((p) => p.audit.intervalHours)).toEqual([
      24, 24, 24,
    ]);
    expect(resolveConfig(DEFAULT_CONFIG, 'default').map((e) => e.audit.intervalHours)).toEqual([24, 24, 24]);
  });

  test('reaches the continuous audit schedule', () => {
    const schedules = (hours?: number) => {
      const [config] = resolveConfig(
        { environments: { dev: hours === undefined ? {} : { audit: { intervalHours: hours } } } },
        'x',
      );
      const rules = Template.fromStack(new SecurityBaselineStack(testApp(), 'S', { config })).findResources(
        'AWS::Events::Rule',
      );
      return Object.values(rules)
        .map((r) => r.Properties.ScheduleExpression)
        .filter((e) => e !== undefined);
    };
    expect(schedules()).toEqual(['rate(1 day)']);
    expect(schedules(6)).toEqual(['rate(6 hours)']);
  });

  test('is validated like every other setting', () => {
    try {
      resolveConfig({ environments: { dev: { audit: { intervalHours: 0 } } } }, 'x');
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        {
          path: 'environments.dev.audit.intervalHours',
          received: 0,
          message: 'hours between two audit runs: at least 1',
        },
      ]);
    }
  });
});

describe('no setting is accepted and ignored', () => {
  // Settings the loader itself consumes (placement and naming) or that only document the file.
  const CONSUMED_BY_THE_LOADER = new Set(['$schema', 'environments.<name>.profile']);

  test('every leaf setting of the schema is read outside lib/config', () => {
    const consumers = libFiles()
      .filter((f) => !f.includes(`${path.sep}config${path.sep}`))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    const leaves = leafSettings(configSchema).filter((s) => !CONSUMED_BY_THE_LOADER.has(s));
    expect(leaves.length).toBeGreaterThan(50);
    const unread = leaves.filter(
      (s) => !new RegExp(`\\b${s.split('.').pop()!.replace('$', '\\$')}\\b`).test(consumers),
    );
    expect(unread).toEqual([]);
  });
});
