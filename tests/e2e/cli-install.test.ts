import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ADMIN_KEY, ROOT, startServer, type RunningServer } from './support/server'

/**
 * The CLI as people install it: `npm pack` of the rosetta-cli package (cli/package.json), installed
 * globally and into a project in a folder outside the checkout, then run from there with nothing of
 * the checkout in reach.
 */
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string
let tmp: string
let server: RunningServer

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const clean: Record<string, string> = {}
  // Nothing inherited may point back into the checkout (npm_* from `npm test`, NODE_PATH).
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('npm_') && k !== 'NODE_PATH' && k !== 'INIT_CWD') clean[k] = v
  const r = spawnSync(cmd, args, { cwd, env: { ...clean, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...env }, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'cli/dist/rosetta.mjs'))) throw new Error('cli/dist is missing: run `npm run build` first (npm test does)')
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'rosetta-cli-install-')))
  server = await startServer()
})
afterAll(async () => {
  await server?.stop()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('the rosetta CLI installed from a tarball', () => {
  let tarball: string

  it('npm pack makes a small package: the launcher, the bundle and package.json, nothing of the repository', () => {
    expect(tmp.startsWith(realpathSync(ROOT))).toBe(false)
    const cliPkg = JSON.parse(readFileSync(join(ROOT, 'cli/package.json'), 'utf8'))
    expect(cliPkg.version).toBe(version)
    expect(cliPkg.bin).toEqual({ rosetta: 'rosetta.mjs' })
    expect(cliPkg.dependencies ?? {}).toEqual({})
    const r = run('npm', ['pack', join(ROOT, 'cli'), '--pack-destination', tmp, '--json'], tmp)
    expect(r.code, r.err).toBe(0)
    const [info] = JSON.parse(r.out)
    expect(info.files.map((f: { path: string }) => f.path).sort()).toEqual(['dist/rosetta.mjs', 'package.json', 'rosetta.mjs'])
    expect(info.size).toBeLessThan(200_000)
    tarball = join(tmp, info.filename)
    expect(existsSync(tarball)).toBe(true)
  })

  it('npm i -g: `rosetta` on the PATH answers --version, health and admin commands', () => {
    const prefix = join(tmp, 'global')
    const i = run('npm', ['install', '--global', '--prefix', prefix, '--offline', tarball], tmp)
    expect(i.code, i.err).toBe(0)
    const bin = join(prefix, 'bin', 'rosetta')
    const work = join(tmp, 'elsewhere')
    mkdirSync(work)
    expect(run(bin, ['--version'], work)).toMatchObject({ code: 0, out: `${version}\n` })
    const health = run(bin, ['health', '--url', server.url], work)
    expect(health.code, health.err).toBe(0)
    expect(health.out).toMatch(/^status\s+ok$/m)
    const providers = run(bin, ['providers', 'list', '--json'], work, { ROSETTA_URL: server.url, ROSETTA_ADMIN_KEY: ADMIN_KEY })
    expect(providers.code, providers.err).toBe(0)
    expect(Array.isArray(JSON.parse(providers.out))).toBe(true)
    // The exit codes hold there too.
    expect(run(bin, ['providers', 'list'], work, { ROSETTA_URL: server.url, ROSETTA_ADMIN_KEY: 'wrong' }).code).toBe(3)
    expect(run(bin, ['health', '--url', 'nonsense'], work).code).toBe(2)
  })

  it('npm i into a project: node_modules/.bin/rosetta works the same', () => {
    const project = join(tmp, 'project')
    mkdirSync(project)
    expect(run('npm', ['init', '--yes'], project).code).toBe(0)
    const i = run('npm', ['install', '--offline', tarball], project)
    expect(i.code, i.err).toBe(0)
    expect(run(join(project, 'node_modules/.bin/rosetta'), ['--version'], project)).toMatchObject({ code: 0, out: `${version}\n` })
    expect(run(join(project, 'node_modules/.bin/rosetta'), ['health', '--url', server.url], project).out).toMatch(/^status\s+ok$/m)
  })
})
