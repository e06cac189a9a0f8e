import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

/**
 * `docker build` cannot run here, so the Dockerfile and .dockerignore are read as Docker reads
 * them: what the context leaves out, what the image runs, as whom, and how it reports health.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const read = (f: string) => readFileSync(ROOT + f, 'utf8')

interface Instruction {
  op: string
  args: string
}

/** Instructions of a Dockerfile: comments dropped, `\` continuations joined. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = []
  let pending = ''
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!pending && (line === '' || line.startsWith('#'))) continue
    if (line.startsWith('#')) continue
    pending += (pending ? ' ' : '') + line.replace(/\\$/, '').trim()
    if (line.endsWith('\\')) continue
    const m = /^(\S+)\s*(.*)$/.exec(pending)!
    out.push({ op: m[1]!.toUpperCase(), args: m[2]! })
    pending = ''
  }
  return out
}

/** Stages, each starting at its FROM. */
function stages(ins: Instruction[]): Instruction[][] {
  const out: Instruction[][] = []
  for (const i of ins) {
    if (i.op === 'FROM') out.push([])
    out[out.length - 1]?.push(i)
  }
  return out
}

/** A .dockerignore pattern as a RegExp over context paths (Go filepath.Match plus `**`). */
function toRegExp(pattern: string): RegExp {
  const p = pattern.replace(/^\/+/, '').replace(/\/+$/, '')
  let re = ''
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!
    if (c === '*' && p[i + 1] === '*') {
      re += '.*'
      i++
      if (p[i + 1] === '/') i++
    } else if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  // A pattern that names a folder excludes everything inside it.
  return new RegExp(`^${re}(/.*)?$`)
}

/** Whether .dockerignore leaves `path` out of the build context (last matching rule wins). */
function excluded(rules: string[], path: string): boolean {
  let out = false
  for (const r of rules) {
    const negate = r.startsWith('!')
    if (toRegExp(negate ? r.slice(1) : r).test(path)) out = !negate
  }
  return out
}

const ignore = read('.dockerignore')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
const dockerfile = parseDockerfile(read('Dockerfile'))
const [build, runtime] = stages(dockerfile)

describe('.dockerignore', () => {
  it('keeps data, secrets, installed and built output, history and test artifacts out of the context', () => {
    for (const p of [
      'data/rosetta.duckdb',
      'data/master.key',
      'master.key',
      'some/where/master.key',
      'rosetta.duckdb.wal',
      '.env',
      '.env.production',
      'rosetta.yaml',
      'node_modules/nuxt/package.json',
      '.output/server/index.mjs',
      '.nuxt/tsconfig.json',
      '.git/HEAD',
      'tests/browser/artifacts/speed-dashboard.png',
      'cli/dist/rosetta.mjs',
      'rosetta-cli-0.1.0.tgz',
    ])
      expect(excluded(ignore, p), p).toBe(true)
  })

  it('keeps what the build needs', () => {
    for (const p of ['package.json', 'package-lock.json', 'nuxt.config.ts', 'tsconfig.json', 'server/plugins/boot.ts', 'server/entry/node-server.ts', 'pages/admin/index.vue', 'cli/index.ts', 'cli/rosetta.mjs', 'cli/package.json', 'shared/schemas/security.ts', '.env.example', 'rosetta.example.yaml'])
      expect(excluded(ignore, p), p).toBe(false)
  })
})

describe('Dockerfile', () => {
  it('builds in one stage with npm ci and npm run build, and runs from another', () => {
    expect(build![0]!.args).toMatch(/^node:\S+ AS build$/i)
    const runs = build!.filter((i) => i.op === 'RUN').map((i) => i.args)
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true)
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).toBe(true)
    expect(runtime![0]!.op).toBe('FROM')
  })

  it('the image holds only .output and the CLI, copied from the build stage', () => {
    const copies = runtime!.filter((i) => i.op === 'COPY' || i.op === 'ADD')
    expect(copies.length).toBeGreaterThan(0)
    for (const c of copies) expect(c.args, c.args).toMatch(/^--from=build\s/)
    const sources = copies.flatMap((c) => c.args.replace(/^--from=build\s+/, '').split(/\s+/).slice(0, -1))
    expect(sources).toContain('/app/.output')
    for (const s of sources) expect(s, s).toMatch(/^\/app\/(\.output|cli\/(package\.json|rosetta\.mjs|dist\/rosetta\.mjs))$/)
  })

  it('runs .output/server/index.mjs as a non-root user', () => {
    const cmdAt = runtime!.findIndex((i) => i.op === 'CMD' || i.op === 'ENTRYPOINT')
    expect(cmdAt).toBeGreaterThan(0)
    const cmd = runtime![cmdAt]!
    expect(JSON.parse(cmd.args)).toEqual(['node', '.output/server/index.mjs'])
    expect(runtime!.find((i) => i.op === 'WORKDIR')?.args).toBe('/app')
    const users = runtime!.slice(0, cmdAt).filter((i) => i.op === 'USER')
    expect(users.length).toBeGreaterThan(0)
    expect(users[users.length - 1]!.args).not.toMatch(/^(root|0)(:|$)/)
    // Nothing after the CMD switches back.
    expect(runtime!.slice(cmdAt).some((i) => i.op === 'USER')).toBe(false)
  })

  it('keeps its data in a volume, listens on PORT, and checks /health on that port', () => {
    const env = runtime!.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ')
    const port = /\bPORT=(\d+)/.exec(env)?.[1]
    expect(port).toBeDefined()
    expect(runtime!.find((i) => i.op === 'EXPOSE')?.args).toBe(port)
    expect(/\bHOST=0\.0\.0\.0\b/.test(env)).toBe(true)
    const volume = runtime!.find((i) => i.op === 'VOLUME')?.args
    expect(volume).toBe('/data')
    expect(env).toMatch(/\bNUXT_DB_PATH=\/data\//)
    const hc = runtime!.find((i) => i.op === 'HEALTHCHECK')!.args
    expect(hc).toMatch(/\/health\b/)
    expect(hc).toMatch(/process\.env\.PORT/)
    expect(hc).toMatch(/\|\| 3000\b/)
    expect(runtime!.find((i) => i.op === 'STOPSIGNAL')?.args).toBe('SIGTERM')
  })
})

describe('docker-compose.yml', () => {
  it('is shown in the deployment guide as it is in the repository', () => {
    const compose = read('docker-compose.yml').trimEnd()
    expect(read('docs/deployment.md')).toContain(compose)
    expect(compose).toMatch(/- rosetta-data:\/data/)
    expect(compose).toMatch(/NUXT_ADMIN_KEY_FILE: \/data\/admin\.key/)
  })

  it('the guide says to back up master.key and why', () => {
    const guide = read('docs/deployment.md')
    expect(guide).toMatch(/Back up master\.key/)
    expect(guide).toMatch(/cannot be\s+decrypted/)
  })
})

describe('docker-compose.cluster.yml', () => {
  // `yaml` resolves the merge keys (<<) as Compose does, so each service is read as Compose sees it.
  const compose = parseYaml(read('docker-compose.cluster.yml'), { merge: true }) as {
    services: Record<string, { image?: string; environment?: Record<string, string>; ports?: string[]; command?: string[]; configs?: Array<{ source: string; target: string }> }>
    configs: Record<string, { content: string }>
  }
  const instances = Object.entries(compose.services).filter(([, s]) => s.image === 'rosetta:local')

  it('runs three instances with the same store, shared state and master key, each named and on its own port', () => {
    expect(instances.map(([n]) => n)).toEqual(['rosetta1', 'rosetta2', 'rosetta3'])
    const shared = ['NUXT_DATABASE_URL', 'NUXT_REDIS_URL', 'NUXT_MASTER_KEY', 'NUXT_ADMIN_KEY']
    for (const [name, s] of instances) {
      for (const k of shared) expect(s.environment?.[k], `${name} ${k}`).toBe(instances[0]![1].environment?.[k])
      expect(s.environment?.NUXT_INSTANCE_ID).toBe(name)
    }
    expect(instances[0]![1].environment?.NUXT_DATABASE_URL).toMatch(/^postgres:\/\/rosetta:[^@]+@postgres:5432\/rosetta$/)
    expect(instances[0]![1].environment?.NUXT_REDIS_URL).toBe('redis://redis:6379')
    // No master key in the file: Compose refuses to start without one given.
    expect(instances[0]![1].environment?.NUXT_MASTER_KEY).toMatch(/^\$\{ROSETTA_MASTER_KEY:\?/)
    expect(new Set(instances.map(([, s]) => s.ports?.[0]?.split(':')[0])).size).toBe(3)
  })

  it('uses PostgreSQL 15 and Redis 7.0 (the documented minimums), the role an owner and not a superuser', () => {
    expect(compose.services.postgres?.image).toBe('postgres:15')
    expect(compose.services.redis?.image).toBe('redis:7.0')
    const role = compose.services.postgres?.configs?.find((c) => c.target.startsWith('/docker-entrypoint-initdb.d/'))
    const sql = compose.configs[role!.source]!.content
    expect(sql).toMatch(/CREATE ROLE rosetta LOGIN PASSWORD/)
    expect(sql).not.toMatch(/SUPERUSER/i)
    expect(sql).toMatch(/CREATE DATABASE rosetta OWNER rosetta/)
    // The instances' URL names that role.
    expect(instances[0]![1].environment?.NUXT_DATABASE_URL).toContain('//rosetta:rosetta@')
  })
})
