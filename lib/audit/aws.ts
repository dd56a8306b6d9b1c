import { CheckContext } from './context';

/** Any SDK v3 client: `send(command, options)`. */
interface Sender {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

export class CallTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} got no answer within ${ms / 1000} s (retries included)`);
    this.name = 'CallTimeout';
  }
}

export class PaginationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaginationError';
  }
}

/**
 * Send one command with a deadline that covers its retries: the request is aborted (abortSignal)
 * and the promise rejects with CallTimeout when `context.callTimeoutMs` passes. Each HTTP attempt
 * is also bounded by the client's requestHandler timeouts (run.ts).
 */
export async function call<O>(
  context: CheckContext,
  client: Sender,
  command: { input: unknown },
): Promise<O> {
  const name = (command.constructor?.name ?? 'call').replace(/Command$/, '');
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CallTimeoutError(name, context.callTimeoutMs));
    }, context.callTimeoutMs);
  });
  try {
    return (await Promise.race([client.send(command, { abortSignal: controller.signal }), deadline])) as O;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Read every page of a listing: `fetch(token)` returns the page's items and the next token. Stops
 * with PaginationError when a token repeats (a looping endpoint) or after `context.maxPages` pages.
 */
export async function listAll<T>(
  context: CheckContext,
  what: string,
  fetch: (token: string | undefined) => Promise<{ items: readonly T[] | undefined; next?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 1; ; page++) {
    const result = await fetch(token);
    items.push(...(result.items ?? []));
    if (!result.next) return items;
    if (seen.has(result.next))
      throw new PaginationError(
        `${what}: the endpoint repeated page token "${result.next.slice(0, 40)}" after ${page} pages`,
      );
    if (page >= context.maxPages)
      throw new PaginationError(`${what}: more than ${context.maxPages} pages (--max-pages); stopped`);
    seen.add(result.next);
    token = result.next;
  }
}

/** The error's name (SDK error code), for telling "not configured" from a failure. */
export function errorName(e: unknown): string {
  return (e as { name?: string })?.name ?? '';
}
