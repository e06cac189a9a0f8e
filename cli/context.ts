import { CliError, connect, EXIT, type Api } from './client'

export const DEFAULT_URL = 'http://localhost:3000'

/**
 * Arguments every command takes. No `default` comes from the environment: citty prints defaults in
 * `--help`, and ROSETTA_ADMIN_KEY must never appear there (the environment is read in `api()`).
 */
export const common = {
  url: { type: 'string', description: `Rosetta server URL (env ROSETTA_URL; default ${DEFAULT_URL})` },
  'admin-key': { type: 'string', description: 'admin key (env ROSETTA_ADMIN_KEY)' },
  json: { type: 'boolean', description: 'machine-readable JSON output', default: false },
} as const

export interface CommonArgs {
  url?: string
  'admin-key'?: string
  json: boolean
}

/** The server URL to use: --url, else ROSETTA_URL, else the default; refused unless http(s). */
export function serverUrl(given: string | undefined): string {
  const fromFlag = given !== undefined && given !== ''
  const raw = fromFlag ? given : process.env.ROSETTA_URL || DEFAULT_URL
  const source = fromFlag ? '--url' : process.env.ROSETTA_URL ? 'ROSETTA_URL' : 'the default URL'
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new CliError(`${source} '${raw}' is not a URL: give the server's address, like ${DEFAULT_URL}`, EXIT.usage)
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CliError(`${source} '${raw}' must start with http:// or https://, like ${DEFAULT_URL}`, EXIT.usage)
  if (u.username || u.password) throw new CliError(`${source} must not carry a user or password: pass the admin key with --admin-key or ROSETTA_ADMIN_KEY`, EXIT.usage)
  if (u.search || u.hash) throw new CliError(`${source} '${raw}' must be the server's address without ?query or #fragment, like ${DEFAULT_URL}`, EXIT.usage)
  return u.href.replace(/\/$/, '')
}

export function api(args: CommonArgs): Api {
  return connect({ url: serverUrl(args.url), adminKey: args['admin-key'] || process.env.ROSETTA_ADMIN_KEY || '' })
}

/** `a,b,c` → ['a','b','c'] (empty parts dropped). */
export function list(s: string | undefined): string[] {
  return (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
}

/** A whole-number option, or a usage error naming it (a typo never reaches the server as NaN). */
export function int(name: string, v: string, min = 0): number {
  const n = Number(v)
  if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new CliError(`${name} must be a whole number${min > 0 ? ` of at least ${min}` : min === 0 ? ' (0 or more)' : ''}, got '${v}'`, EXIT.usage)
  return n
}

/** A non-negative number option (decimals allowed), or a usage error naming it. */
export function amount(name: string, v: string): number {
  const n = Number(v)
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new CliError(`${name} must be a number (0 or more), got '${v}'`, EXIT.usage)
  return n
}

/** `provider:model[:weight]` → a target. */
export function target(s: string): { provider: string; model: string; weight: number } {
  const first = s.indexOf(':')
  if (first <= 0 || first === s.length - 1) throw new CliError(`target '${s}' must be provider:model[:weight]`, EXIT.usage)
  const provider = s.slice(0, first)
  let model = s.slice(first + 1)
  let weight = 1
  const m = /^(.*):(\d+)$/.exec(model)
  if (m) {
    model = m[1]!
    weight = Number(m[2])
  }
  return { provider, model, weight }
}
