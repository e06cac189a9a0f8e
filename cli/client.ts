import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client'
import type { AppRouter } from '../server/trpc/routers/_app'

export interface Connection {
  url: string
  adminKey: string
}

/** The typed admin API client (types only: the CLI bundle carries no server code). */
export function connect(c: Connection) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${c.url.replace(/\/$/, '')}/api/trpc`,
        headers: () => (c.adminKey ? { authorization: `Bearer ${c.adminKey}` } : {}),
      }),
    ],
  })
}

export type Api = ReturnType<typeof connect>

/** Exit codes scripts can trust. */
export const EXIT = { ok: 0, failure: 1, usage: 2, auth: 3, notFound: 4, unreachable: 5, conflict: 6 } as const

export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT.failure,
  ) {
    super(message)
  }
}

/** Any failure → one line that says what to fix, and its exit code. */
export function explain(e: unknown, url: string): CliError {
  if (e instanceof CliError) return e
  if (e instanceof TRPCClientError) {
    const code = (e.data as { code?: string } | undefined)?.code
    const cause = (e.cause as { code?: string; cause?: { code?: string } } | undefined) ?? undefined
    if (!code && (cause?.code === 'ECONNREFUSED' || cause?.cause?.code === 'ECONNREFUSED' || /fetch failed/i.test(e.message)))
      return new CliError(`cannot reach Rosetta at ${url}: is it running? (set --url or ROSETTA_URL)`, EXIT.unreachable)
    switch (code) {
      case 'UNAUTHORIZED':
        return new CliError('the admin key was refused: pass --admin-key or set ROSETTA_ADMIN_KEY', EXIT.auth)
      case 'FORBIDDEN':
        return new CliError(e.message, EXIT.auth)
      case 'NOT_FOUND':
        return new CliError(e.message, EXIT.notFound)
      case 'CONFLICT':
        return new CliError(e.message, EXIT.conflict)
      case 'BAD_REQUEST':
        return new CliError(badRequest(e), EXIT.usage)
      default:
        return new CliError(e.message, EXIT.failure)
    }
  }
  const err = e as { code?: string; cause?: { code?: string }; message?: string }
  if (err?.cause?.code === 'ECONNREFUSED' || err?.code === 'ECONNREFUSED')
    return new CliError(`cannot reach Rosetta at ${url}: is it running? (set --url or ROSETTA_URL)`, EXIT.unreachable)
  return new CliError(err?.message ?? String(e), EXIT.failure)
}

/** zod errors arrive as a JSON list of issues: say the first one plainly. */
function badRequest(e: Error): string {
  try {
    const issues = JSON.parse(e.message) as Array<{ path: (string | number)[]; message: string }>
    if (Array.isArray(issues) && issues[0]) return `invalid input: ${issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`
  } catch {
    /* a plain message */
  }
  return e.message
}
