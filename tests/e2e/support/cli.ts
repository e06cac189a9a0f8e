import { expect } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { ADMIN_KEY, CLIENT_KEY, ROOT, type RunningServer } from './server'
import type { MockUpstream } from './mock-upstream'
import { useGateway } from './setup'

/**
 * The CLI as a subprocess against the built server: the fixture the CLI tests share (one server per
 * test file, configured by a rosetta.yaml that owns one provider, one route and the client key), and
 * the readers of its human output.
 */
export const cliConfigYaml = (up: string, extra = '') => `
providers:
  - { id: file-openai, type: openai, base_url: "${up}/openai/v1", keys: [sk-file-key-000111] }
routes:
  - { name: file-route, match: { prefix: "oa-" }, provider: file-openai, priority: 5 }
client_keys:
  - { name: test, key: ${CLIENT_KEY} }
${extra}`

export interface CliRun {
  code: number | null
  out: string
  err: string
}

export interface CliServer {
  readonly mock: MockUpstream
  readonly server: RunningServer
  /** Runs `rosetta …` and waits for it (NO_COLOR, the test admin key, this file's server). */
  cli(args: string[], opts?: { key?: string; input?: string; url?: string }): CliRun
  /** `rosetta … --json`, parsed; throws with stderr when the command fails. */
  json(args: string[]): any
  /** The same as cli(), without waiting: several commands at once where order does not matter. */
  cliAsync(args: string[], opts?: { env?: Record<string, string | undefined> }): Promise<CliRun>
}

/** Starts the mock and a server for this test file before its tests and stops them after. */
export function useCliServer(): CliServer {
  const gw = useGateway('', { config: (url) => cliConfigYaml(url) })

  function cli(args: string[], opts: { key?: string; input?: string; url?: string } = {}): CliRun {
    const r = spawnSync(process.execPath, [join(ROOT, 'cli/rosetta.mjs'), ...args], {
      env: { ...process.env, ROSETTA_URL: opts.url ?? gw.server.url, ROSETTA_ADMIN_KEY: opts.key ?? ADMIN_KEY, NO_COLOR: '1' },
      input: opts.input,
      encoding: 'utf8',
    })
    return { code: r.status, out: r.stdout, err: r.stderr }
  }
  return {
    get mock() {
      return gw.mock
    },
    get server() {
      return gw.server
    },
    cli,
    json(args) {
      const r = cli([...args, '--json'])
      if (r.code !== 0) throw new Error(`rosetta ${args.join(' ')} → ${r.code}: ${r.err}`)
      return JSON.parse(r.out)
    },
    cliAsync(args, opts = {}) {
      return new Promise((resolve) => {
        const env: Record<string, string | undefined> = { ...process.env, ROSETTA_URL: gw.server.url, ROSETTA_ADMIN_KEY: ADMIN_KEY, NO_COLOR: '1', ...opts.env }
        for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k]
        const child = spawn(process.execPath, [join(ROOT, 'cli/rosetta.mjs'), ...args], { env: env as NodeJS.ProcessEnv })
        let out = ''
        let err = ''
        child.stdout.on('data', (d) => (out += d))
        child.stderr.on('data', (d) => (err += d))
        child.on('close', (code) => resolve({ code, out, err }))
      })
    },
  }
}

/**
 * A human table is aligned: each column's cells start where its heading starts (text) or end where
 * it ends (numbers), in every row. Returns the rows split into cells by those positions.
 */
export function alignedTable(out: string): Array<Record<string, string>> {
  const lines = out.trimEnd().split('\n')
  const header = lines[0]!
  const heads = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], start: m.index!, end: m.index! + m[0].length }))
  expect(heads.length, header).toBeGreaterThan(1)
  const rows = lines.slice(1)
  const isLeft = (h: (typeof heads)[number]) => rows.every((r) => r[h.start] !== undefined && r[h.start] !== ' ' && (h.start === 0 || r[h.start - 1] === ' '))
  const isRight = (h: (typeof heads)[number]) => rows.every((r) => r[h.end - 1] !== undefined && r[h.end - 1] !== ' ' && (r[h.end] === undefined || r[h.end] === ' '))
  for (const h of heads) expect(isLeft(h) || isRight(h), `column ${h.name} is not aligned:\n${out}`).toBe(true)
  // Cells never hold two spaces in a row and an empty one shows '-', so two spaces separate cells.
  return rows.map((r) => {
    const parts = r.trim().split(/ {2,}/)
    expect(parts.length, `row has ${parts.length} cells for ${heads.length} columns: ${r}`).toBe(heads.length)
    return Object.fromEntries(heads.map((h, i) => [h.name, parts[i]!]))
  })
}

/** `field  value` lines → { field: value }. */
export function fieldLines(out: string): Record<string, string> {
  const o: Record<string, string> = {}
  for (const l of out.trimEnd().split('\n')) {
    const m = /^(.+?)\s{2,}(.*)$/.exec(l)
    if (m) o[m[1]!.trim()] = m[2]!
  }
  return o
}

/** No float noise (18.025087999998505), no JSON blobs in cells, no colour codes. */
export function readable(out: string): void {
  expect(out).not.toMatch(/\d\.\d{5,}/)
  expect(out).not.toMatch(/[{[]"/)
  expect(out).not.toContain('\u001b[')
}
