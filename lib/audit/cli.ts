import { STSClient } from '@aws-sdk/client-sts';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../config/loader';
import { AUDIT_PERMISSIONS, CHECKS } from './checks';
import { formatTable } from './format';
import { DEFAULT_CLIENT_CONFIG, runAudit } from './run';

/** Exit codes: everything compliant / something non-compliant or unverifiable / could not run. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_CANNOT_RUN = 2;

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

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

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
    .addOption(new Option('--config <file>', "baseline config file, for its environments' regions"))
    .addOption(
      new Option('--max-rotation-days <days>', 'longest key rotation period the policy allows (ENC-02)')
        .argParser(intIn(90, 2560))
        .default(90),
    )
    .addOption(
      new Option('--concurrency <n>', 'requests in flight per check and region')
        .argParser(intIn(1, 64))
        .default(8),
    )
    .option('--json', 'print JSON (docs/audit-output.schema.json) instead of a table')
    .option('--no-progress', 'no progress indicator on stderr')
    .addHelpText(
      'after',
      `\nExit codes: 0 all compliant, 1 non-compliant or unverifiable resources, 2 could not run.\nIAM permissions needed: ${AUDIT_PERMISSIONS.join(', ')}`,
    )
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
  const opts = program.opts<{
    regions?: string[];
    checks?: string[];
    config?: string;
    maxRotationDays: number;
    concurrency: number;
    json?: boolean;
    progress: boolean;
  }>();

  const problems: string[] = [];
  const unknownChecks = (opts.checks ?? []).filter((c) => !CHECKS.some((k) => k.name === c));
  if (unknownChecks.length > 0)
    problems.push(
      `--checks: unknown ${unknownChecks.map((c) => `"${c}"`).join(', ')}; known: ${CHECKS.map((c) => c.name).join(', ')}`,
    );
  let regions = opts.regions;
  if (!regions || regions.length === 0) {
    const fromEnv = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
    if (fromEnv) regions = [fromEnv];
    else if (opts.config) {
      try {
        regions = [
          ...new Set(
            loadConfig({ configFile: opts.config })
              .environments.map((e) => e.region)
              .filter((r): r is string => !!r),
          ),
        ];
      } catch (e) {
        problems.push(`--config: ${(e as Error).message}`);
      }
    }
  }
  if (!regions || regions.length === 0)
    problems.push('no region: pass --regions, set AWS_REGION, or give --config with environment regions');
  const badRegions = (regions ?? []).filter((r) => !REGION.test(r));
  if (badRegions.length > 0)
    problems.push(`--regions: not a region name: ${badRegions.map((r) => `"${r}"`).join(', ')}`);
  if (problems.length > 0) {
    io.stderr(`baseline-audit: ${problems.join('\n  ')}\n`);
    return EXIT_CANNOT_RUN;
  }

  const clientConfig = { ...DEFAULT_CLIENT_CONFIG, ...(io.clientConfig ?? {}) };
  try {
    // Resolve credentials once, up front: without them nothing can run.
    const credentials = new STSClient({ ...clientConfig, region: regions![0] }).config.credentials;
    await credentials();
  } catch (e) {
    io.stderr(`baseline-audit: no AWS credentials: ${(e as Error).message}\n`);
    return EXIT_CANNOT_RUN;
  }

  const checks = opts.checks ? CHECKS.filter((c) => opts.checks!.includes(c.name)) : CHECKS;
  const showProgress = opts.progress && io.stderrIsTty;
  const counts = new Map<string, { found: number; done: number }>();
  const output = await runAudit({
    regions: regions!,
    checks,
    maxRotationDays: opts.maxRotationDays,
    concurrency: opts.concurrency,
    clientConfig,
    progress: showProgress
      ? (event) => {
          const key = `${event.check} ${event.region}`;
          const c = counts.get(key) ?? { found: 0, done: 0 };
          if (event.found !== undefined) c.found = event.found;
          if (event.done !== undefined) c.done = event.done;
          counts.set(key, c);
          io.stderr(`\r${[...counts].map(([k, v]) => `${k}: ${v.done}/${v.found}`).join('  ')}`);
        }
      : undefined,
  });
  if (showProgress && counts.size > 0) io.stderr('\n');

  io.stdout(
    opts.json
      ? JSON.stringify(output, null, 2) + '\n'
      : formatTable(output, io.stdoutIsTty && !io.env.NO_COLOR) + '\n',
  );
  return output.summary.NON_COMPLIANT + output.summary.ERROR > 0 ? EXIT_FINDINGS : EXIT_OK;
}
