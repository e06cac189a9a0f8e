import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from './free-port'

/**
 * A throwaway PostgreSQL server for tests: Debian's binaries (apt-get install postgresql), a cluster
 * in a temp folder, listening on a free loopback port, removed on stop. No system service needed.
 * initdb and postgres refuse to run as root: as root the cluster belongs to the `postgres` OS user
 * and every binary runs through `runuser -u postgres`.
 */
export interface PgServer {
  port: number
  /** A fresh database owned by a fresh role that is NOT a superuser (as in production); its URL. */
  createDatabase(name?: string): Promise<string>
  /** A superuser URL (the tests' own checks: roles, partitions). */
  adminUrl(database?: string): string
  /** Stops the server (pg_ctl stop -m fast) keeping its data: clients see it go away… */
  pause(): void
  /** …and come back on the same port with the same data (pg_ctl start). */
  resume(): void
  stop(): void
}

export function pgBinDir(): string | null {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? join(root, versions[0], 'bin') : null
}

/** Whether this machine can start one (tests skip with a reason when not). */
export const pgAvailable = pgBinDir() !== null


let seq = 0

export async function startPgServer(): Promise<PgServer> {
  const bin = pgBinDir()
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)')
  const asRoot = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'rosetta-pg-'))
  const data = join(dir, 'data')
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    chownSync(dir, uid, gid)
  }
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args]
    const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 })
    if (r.status !== 0) throw new Error(`${tool} failed (${r.status}): ${r.stderr || r.stdout}`)
  }
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-locale'])
  const port = await freePort()
  // fsync off and a small footprint: a test cluster, thrown away at the end.
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB -c max_connections=200`
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'])
  // A watchdog stops the cluster once this process is gone, however it ends (a test worker can be
  // killed without running any handler): the temp cluster never outlives its test run.
  const stopCmd = [...(asRoot ? ['runuser', '-u', 'postgres', '--'] : []), join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'].map((a) => `'${a}'`).join(' ')
  spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${stopCmd} >/dev/null 2>&1; rm -rf '${dir}'`], { detached: true, stdio: 'ignore' }).unref()
  const adminUrl = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`
  return {
    port,
    adminUrl,
    async createDatabase(name) {
      const db = name ?? `t${process.pid}_${++seq}`
      const role = `${db}_owner`
      const c = new pg.Client({ connectionString: adminUrl() })
      await c.connect()
      try {
        await c.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw' NOSUPERUSER NOCREATEDB NOCREATEROLE`)
        await c.query(`CREATE DATABASE ${db} OWNER ${role}`)
      } finally {
        await c.end()
      }
      return `postgres://${role}:pw@127.0.0.1:${port}/${db}`
    },
    pause() {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])
    },
    resume() {
      run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'])
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } catch {
        /* already down */
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
