import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AUDIT_PERMISSIONS, CHECKS } from './checks';
import { Expectations } from './context';
import { formatTable } from './format';
import { toOcsf } from './ocsf';
import { EXIT_FINDINGS, EXIT_NOT_CHECKED, EXIT_OK, exitCodeFor } from './result';
import { defaultClientConfig, runAudit, timeoutClientConfig } from './run';
import { stsSdk } from './sdk';
import { KMS_MAX_ROTATION_DAYS, KMS_MIN_ROTATION_DAYS, REGION_PATTERN } from '../validation/aws';

export { EXIT_FINDINGS, EXIT_NOT_CHECKED, EXIT_OK };
/** Bad arguments, no region, no credentials: the same code as "could not check". */
export const EXIT_CANNOT_RUN = EXIT_NOT_CHECKED;

export const EXIT_CODES_HELP =
  'Exit codes:\n' +
  '  0  every result COMPLIANT or NOT_APPLICABLE\n' +
  '  1  at least one NON_COMPLIANT result (a proven finding wins over anything unchecked)\n' +
  '  2  nothing non-compliant, but at least one NOT_CHECKED result (denied, throttled past retries,\n' +
  '     timed out, malformed answer, ...); or the audit could not run (bad arguments, no region,\n' +
  '     no credentials)';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stdout / stderr are terminals (colours, progress). */
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Extra SDK client configuration (tests inject handlers or credentials). */
  readonly clientConfig?: Record<string, unknown>;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

function intIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number ${min}..${max}, got "${value}"`);
    return n;
  };
}

/** Seconds, fractions allowed (0.25), at least `min`: the timeouts. */
function secondsIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected seconds ${min}..${max} (fractions allowed), got "${value}"`);
    return n;
  };
}

/** Whole milliseconds: 0.57 s is 570 ms, not 570.0000000000001. */
const ms = (seconds: number): number => Math.round(seconds * 1000);

interface Options {
  regions?: string[];
  checks?: string[];
  config?: string;
  env?: string;
  maxRotationDays?: number;
  concurrency: number;
  requestTimeout: number;
  callTimeout: number;
  checkTimeout: number;
  maxPages: number;
  json?: boolean;
  format: 'table' | 'json' | 'ocsf';
  progress: boolean;
}

/** Run `baseline-audit` with `argv` (without node and script); returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command()
    .name('baseline-audit')
    .description(
      'Verify a deployed AWS account against the security baseline (read-only).\n' +
        'Uses the standard AWS credential chain and environment (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>).',
    )
    .addOption(
      new Option(
        '--regions <list>',
        "comma-separated regions (default: AWS_REGION, else the config's regions)",
      ).argParser(list),
    )
    .addOption(
      new Option(
        '--checks <list>',
        `comma-separated checks: ${CHECKS.map((c) => c.name).join(', ')} (default: all)`,
      ).argParser(list),
    )
    .addOption(
      new Option(
        '--config <file>',
        'baseline config: regions (region, targets, organization and audit regions) and what it deploys (GuardDuty, web ACLs, rate limit)',
      ),
    )
    .addOption(new Option('--env <name>', 'with --config: only this environment'))
    .addOption(
      new Option(
        '--max-rotation-days <days>',
        "longest key rotation period the policy allows (ENC-02) (default: 90, or the config's)",
      ).argParser(intIn(KMS_MIN_ROTATION_DAYS, KMS_MAX_ROTATION_DAYS)),
    )
    .addOption(
      new Option('--concurrency <n>', 'requests in flight per check and region')
        .argParser(intIn(1, 64))
        .default(8),
    )
    .addOption(
      new Option('--request-timeout <seconds>', 'one HTTP attempt (fractions allowed: 0.5)')
        .argParser(secondsIn(0.1, 300))
        .default(10),
    )
    .addOption(
      new Option('--call-timeout <seconds>', 'one API call, retries included (fractions allowed)')
        .argParser(secondsIn(0.1, 900))
        .default(60),
    )
    .addOption(
      new Option('--check-timeout <seconds>', 'one check in one region (fractions allowed)')
        .argParser(secondsIn(0.1, 3600))
        .default(300),
    )
    .addOption(
      new Option('--max-pages <n>', 'pages read from one listing at most')
        .argParser(intIn(1, 100000))
        .default(1000),
    )
    .addOption(
      new Option(
        '--format <format>',
        'table, json (docs/audit-output.schema.json) or ocsf (OCSF 1.1 Compliance Finding JSON)',
      )
        .choices(['table', 'json', 'ocsf'])
        .default('table'),
    )
    .option('--json', 'same as --format json')
    .option('--no-progress', 'no progress indicator on stderr')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\nIAM permissions needed: ${AUDIT_PERMISSIONS.join(', ')}`)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError();

  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError)
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version'
        ? EXIT_OK
        : EXIT_CANNOT_RUN;
    throw e;
  }
  const opts = program.opts<Options>();
  const format = opts.json ? 'json' : opts.format;

  const problems: string[] = [];
  const unknownChecks = (opts.checks ?? []).filter((c) => !CHECKS.some((k) => k.name === c));
  if (unknownChecks.length > 0)
    problems.push(
      `--checks: unknown ${unknownChecks.map((c) => `"${c}"`).join(', ')}; known: ${CHECKS.map((c) => c.name).join(', ')}`,
    );
  if (opts.env && !opts.config) problems.push('--env needs --config');
  let expect: Expectations = {};
  let configRegions: string[] = [];
  let configRotation: number | undefined;
  if (opts.config) {
    try {
      // Loaded only with --config: the config loader (and what it validates with) is not needed otherwise.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { auditTargetsFromConfig } = require('./from-config') as typeof import('./from-config');
      const targets = auditTargetsFromConfig(opts.config, opts.env);
      expect = targets.expect;
      configRegions = targets.regions;
      configRotation = targets.maxRotationDays;
    } catch (e) {
      problems.push(`--config: ${(e as Error).message}`);
    }
  }
  let regions = opts.regions;
  if (!regions || regions.length === 0) {
    const fromEnv = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
    regions = configRegions.length > 0 ? configRegions : fromEnv ? [fromEnv] : [];
  }
  if (regions.length === 0)
    problems.push(
      'no region: pass --regions, set AWS_REGION, or give --config with environment regions (region, targets.regions or organization.regions)',
    );
  const badRegions = regions.filter((r) => !REGION_PATTERN.test(r));
  if (badRegions.length > 0)
    problems.push(`--regions: not a region name: ${badRegions.map((r) => `"${r}"`).join(', ')}`);
  if (problems.length > 0) {
    io.stderr(`baseline-audit: ${problems.join('\n  ')}\n`);
    return EXIT_CANNOT_RUN;
  }

  const clientConfig = {
    ...defaultClientConfig(io.env),
    ...timeoutClientConfig(ms(opts.requestTimeout)),
    ...(io.clientConfig ?? {}),
  };
  let account: string | undefined;
  try {
    const { GetCallerIdentityCommand, STSClient } = stsSdk();
    // Resolve credentials once, up front: without them nothing can run.
    const sts = new STSClient({ ...clientConfig, region: regions[0] });
    await sts.config.credentials();
    // The account, for the report; an emulator or a denied call leaves it unknown (not fatal).
    const lookup = new STSClient({ ...clientConfig, region: regions[0], maxAttempts: 1 })
      .send(new GetCallerIdentityCommand({}))
      .then((o) => o.Account)
      .catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    account = await Promise.race([
      lookup,
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), ms(Math.min(opts.requestTimeout, 3)));
      }),
    ]);
    clearTimeout(timer);
  } catch (e) {
    io.stderr(`baseline-audit: no AWS credentials: ${(e as Error).message}\n`);
    return EXIT_CANNOT_RUN;
  }

  const checks = opts.checks ? CHECKS.filter((c) => opts.checks!.includes(c.name)) : CHECKS;
  const showProgress = opts.progress && io.stderrIsTty;
  const counts = new Map<string, { found: number; done: number }>();
  const output = await runAudit({
    regions,
    checks,
    account,
    expect,
    maxRotationDays: opts.maxRotationDays ?? configRotation ?? 90,
    concurrency: opts.concurrency,
    requestTimeoutMs: ms(opts.requestTimeout),
    callTimeoutMs: ms(opts.callTimeout),
    checkTimeoutMs: ms(opts.checkTimeout),
    maxPages: opts.maxPages,
    clientConfig,
    progress: showProgress
      ? (event) => {
          const key = `${event.check} ${event.region}`;
          const c = counts.get(key) ?? { found: 0, done: 0 };
          if (event.found !== undefined) c.found += event.found;
          if (event.done !== undefined) c.done = event.done;
          counts.set(key, c);
          io.stderr(`\r${[...counts].map(([k, v]) => `${k}: ${v.done}/${v.found}`).join('  ')}`);
        }
      : undefined,
  });
  if (showProgress && counts.size > 0) io.stderr('\n');

  if (format === 'json') io.stdout(JSON.stringify(output, null, 2) + '\n');
  else if (format === 'ocsf') io.stdout(JSON.stringify(toOcsf(output), null, 2) + '\n');
  else io.stdout(formatTable(output, io.stdoutIsTty && !io.env.NO_COLOR) + '\n');
  return exitCodeFor(output.summary);
}
