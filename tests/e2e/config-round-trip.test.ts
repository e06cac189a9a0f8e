import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { ADMIN_KEY, CLIENT_KEY, ROOT, startServer, type RunningServer } from './support/server'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { bearer, chat, trpc } from './support/admin-api'

/**
 * Issue 16, items 1–3 against the built server, the CLI as a subprocess: config export → import is
 * lossless and a no-op, keys are matched by identity (two keys share a mask here), ids survive an
 * edit, a reload and a restart, and the example's placeholder secrets are refused.
 */
const MASTER_KEY = randomBytes(32).toString('hex')
const SA_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const ENV = { NUXT_MASTER_KEY: MASTER_KEY }
const BR_SECRET = 'rt/Secret+Key0123456789abcdefABCDEFGHIJ'
const BR_SECRET2 = 'rt/Second+Key0123456789abcdefABCDEFGHI'
const BR_TOKEN = 'IQoJroundtrip+session/token=='
let server: RunningServer
let mock: MockUpstream
let limitedKey = ''

const fileYaml = (up: string, extra = '') => `
providers:
  - { id: file-solo, type: openai, base_url: "${up}/openai/v1", keys: [sk-file-solo-key-0001] }
  - { id: file-pair, type: openai, base_url: "${up}/openai/v1", keys: [sk-file-pair-aaaa-7777, { key: sk-file-pair-bbbb-7777, name: second, weight: 2 }] }
routes:
  - { name: solo, match: { prefix: "solo-" }, provider: file-solo, priority: 5, cache: { enabled: true, ttl_s: 60 } }
client_keys:
  - { name: test, key: ${CLIENT_KEY}, tpm: 100000, owner: file-owner, cache: { enabled: false }, plugins: [ { use: max-tokens, with: { max: 512 } } ] }
${extra}`

function cli(args: string[], url = server.url) {
  const r = spawnSync(process.execPath, [join(ROOT, 'cli/rosetta.mjs'), ...args], {
    env: { ...process.env, ROSETTA_URL: url, ROSETTA_ADMIN_KEY: ADMIN_KEY, NO_COLOR: '1' },
    encoding: 'utf8',
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}
const json = (args: string[], url?: string) => {
  const r = cli([...args, '--json'], url)
  if (r.code !== 0) throw new Error(`rosetta ${args.join(' ')} → ${r.code}: ${r.err}`)
  return JSON.parse(r.out)
}
const admin = async (type: 'query' | 'mutation', path: string, input?: unknown, base = server.url) => {
  const r = await trpc(base, type, path, input, bearer(ADMIN_KEY))
  if (r.status !== 200) throw new Error(`${path} → ${r.status}: ${r.text}`)
  return r.body.result.data
}
/** Every upstream key's id by its fingerprint (disabled pool entries are not in keys.list). */
const keyIds = async () => Object.fromEntries(((await admin('query', 'keys.list')) as any[]).map((k) => [k.fingerprint, k.id]))
const exportTo = (name: string, reveal = false, url?: string) => {
  const file = join(server.dir, name)
  const r = cli(['config', 'export', '--out', file, ...(reveal ? ['--reveal'] : [])], url)
  expect(r.code, r.err).toBe(0)
  return { file, text: readFileSync(file, 'utf8') }
}

beforeAll(async () => {
  mock = await startMockUpstream()
  server = await startServer({ config: fileYaml(mock.url), env: ENV })
  await admin('mutation', 'providers.create', {
    id: 'api-p',
    type: 'anthropic',
    base_url: `${mock.url}/anthropic/v1`,
    // The first two share the mask sk-a…1111: the case where import used to drop one of them.
    keys: ['sk-aaaa-first-1111', 'sk-aaaa-second-1111', { key: 'sk-named-backup-key-42', name: 'backup', weight: 3, max_concurrency: 4, enabled: false }],
    key_strategy: 'weighted',
    headers: { 'X-Team': 'core' },
    auth: { header: 'x-api-key', template: '{key}' },
    timeout_ms: 90000,
    capabilities: ['tools', 'images'],
  })
  // Made from a preset (as the UI and `providers add --preset` do), with two overrides (issue 18 item 5).
  await admin('mutation', 'providers.create', {
    id: 'api-glm',
    preset: 'glm',
    type: 'openai',
    base_url: `${mock.url}/openai/v1`,
    keys: ['sk-glm-api-key-0909'],
    quirks: { tool_choice: 'full' },
  })
  limitedKey = (
    await admin('mutation', 'clientKeys.create', {
      name: 'limited',
      owner: 'alice',
      models: ['solo-*'],
      expiresAt: '2030-06-01T00:00:00.000Z',
      rpm: 60,
      tpm: 5000,
      dayTokens: 100000,
      monthTokens: 2000000,
      dayUsd: 1.5,
      monthUsd: 30,
    })
  ).key
  await admin('mutation', 'clientKeys.create', { name: 'off', enabled: false })
  await admin('mutation', 'models.create', {
    name: 'api-model',
    targets: [{ provider: 'api-p', model: 'an-text', weight: 2 }],
    fallbacks: [{ provider: 'file-solo', model: 'oa-text' }],
    // Issue 19: the response cache and plugins survive export → import.
    cache: { enabled: true, ttl_s: 300 },
    plugins: [{ use: 'deny-words', with: { words: ['secret', 'confidential'], in: 'both' }, on_error: 'closed', timeout_ms: 500 }, { use: 'redact' }],
  })
  await admin('mutation', 'routes.create', { name: 'api-route', match: { regex: '^an-' }, provider: 'api-p', priority: 3, plugins: [{ use: 'headers', with: { set: { 'x-team': 'core' } } }] })
  await admin('mutation', 'providers.setDefault', { id: 'file-solo' })
  // Issue 18: the settings of the cloud provider types, made with the CLI; a Vertex service-account key from its file.
  const az = cli(['providers', 'add', 'api-az', '--type', 'azure-openai', '--base-url', `${mock.url}/azure`, '--api-version', '2024-10-21', '--keys', 'azure-roundtrip-key-0001'])
  expect(az.code, az.err).toBe(0)
  const vx = cli(['providers', 'add', 'api-vx', '--type', 'vertex', '--project', 'proj-rt', '--location', 'europe-west4'])
  expect(vx.code, vx.err).toBe(0)
  const saFile = join(server.dir, 'sa.json')
  writeFileSync(saFile, JSON.stringify({ type: 'service_account', client_email: 'rt@proj-rt.iam.gserviceaccount.com', private_key_id: 'k1', private_key: SA_PEM, token_uri: `${mock.url}/oauth2/token` }, null, 2))
  const key = cli(['keys', 'add', 'api-vx', '--key-file', saFile])
  expect(key.code, key.err).toBe(0)
  // Bedrock: region, an AKID:SECRET key, and a credential with a session token from a JSON file.
  const br = cli(['providers', 'add', 'api-br', '--type', 'bedrock', '--region', 'eu-central-1', '--keys', `AKIAROUNDTRIP0000001:${BR_SECRET}`])
  expect(br.code, br.err).toBe(0)
  const credFile = join(server.dir, 'aws.json')
  writeFileSync(credFile, JSON.stringify({ access_key_id: 'ASIAROUNDTRIP0000002', secret_access_key: BR_SECRET2, session_token: BR_TOKEN }))
  const brKey = cli(['keys', 'add', 'api-br', '--key-file', credFile])
  expect(brKey.code, brKey.err).toBe(0)
}, 60_000)
afterAll(async () => {
  await server?.stop()
  await mock?.close()
})

describe('config export → import', () => {
  it('the export holds every entry and field, never a secret; importing it changes nothing; exporting again gives the same bytes', () => {
    const first = exportTo('first.yaml')
    const cfg = parse(first.text)
    const api = cfg.providers.find((p: any) => p.id === 'api-p')
    expect(api).toMatchObject({ type: 'anthropic', key_strategy: 'weighted', headers: { 'X-Team': 'core' }, auth: { header: 'x-api-key', template: '{key}' }, timeout_ms: 90000, capabilities: ['tools', 'images'] })
    expect(api.keys.map((k: any) => k.key)).toEqual(['sk-a…1111', 'sk-a…1111', 'sk-n…y-42'])
    expect(new Set(api.keys.map((k: any) => k.fingerprint)).size).toBe(3)
    expect(api.keys[2]).toMatchObject({ name: 'backup', weight: 3, max_concurrency: 4, enabled: false })
    // A preset provider is written as the preset and only what differs from it.
    const glm = cfg.providers.find((p: any) => p.id === 'api-glm')
    expect(glm).toEqual({ id: 'api-glm', preset: 'glm', base_url: `${mock.url}/openai/v1`, keys: [{ key: 'sk-g…0909', fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/), weight: 1, enabled: true }], quirks: { tool_choice: 'full' } })
    expect(cfg.client_keys.find((c: any) => c.name === 'limited')).toEqual({
      name: 'limited',
      key: expect.stringMatching(/^rk-.…/),
      key_hash: createHash('sha256').update(limitedKey).digest('hex'),
      owner: 'alice',
      models: ['solo-*'],
      enabled: true,
      expires_at: '2030-06-01T00:00:00.000Z',
      rpm: 60,
      tpm: 5000,
      day_tokens: 100000,
      month_tokens: 2000000,
      day_usd: 1.5,
      month_usd: 30,
    })
    expect(cfg.client_keys.find((c: any) => c.name === 'test')).toMatchObject({
      owner: 'file-owner',
      tpm: 100000,
      cache: { enabled: false, ttl_s: 3600, any_temperature: false },
      plugins: [{ use: 'max-tokens', with: { max: 512 } }],
    })
    expect(cfg.models.find((m: any) => m.name === 'api-model')).toMatchObject({
      cache: { enabled: true, ttl_s: 300, any_temperature: false },
      plugins: [{ use: 'deny-words', with: { words: ['secret', 'confidential'], in: 'both' }, on_error: 'closed', timeout_ms: 500 }, { use: 'redact' }],
    })
    expect(cfg.routes.find((r: any) => r.name === 'api-route').plugins).toEqual([{ use: 'headers', with: { set: { 'x-team': 'core' } } }])
    expect(cfg.routes.find((r: any) => r.name === 'solo').cache).toEqual({ enabled: true, ttl_s: 60, any_temperature: false })
    expect(cfg.routes.find((r: any) => r.name === 'solo').plugins).toBeUndefined()
    expect(cfg.client_keys.find((c: any) => c.name === 'off')).toMatchObject({ enabled: false })
    expect(cfg.default_provider).toBe('file-solo')
    expect(cfg.providers.find((p: any) => p.id === 'api-az')).toMatchObject({ type: 'azure-openai', base_url: `${mock.url}/azure`, api_version: '2024-10-21' })
    const vx = cfg.providers.find((p: any) => p.id === 'api-vx')
    expect(vx).toMatchObject({ type: 'vertex', project: 'proj-rt', location: 'europe-west4' })
    expect(vx.keys).toHaveLength(1)
    expect(vx.keys[0].fingerprint).toMatch(/^[0-9a-f]{12}$/)
    const brp = cfg.providers.find((p: any) => p.id === 'api-br')
    expect(brp).toMatchObject({ type: 'bedrock', region: 'eu-central-1' })
    expect(brp.keys.map((k: any) => k.fingerprint)).toEqual([expect.stringMatching(/^[0-9a-f]{12}$/), expect.stringMatching(/^[0-9a-f]{12}$/)])
    for (const secret of ['sk-aaaa-first-1111', 'sk-named-backup-key-42', 'sk-file-solo-key-0001', 'azure-roundtrip-key-0001', 'PRIVATE KEY', 'rt@proj-rt', BR_SECRET, BR_SECRET2, BR_TOKEN, limitedKey, CLIENT_KEY]) expect(first.text).not.toContain(secret)

    const dry = cli(['config', 'import', first.file])
    expect(dry.code, dry.err).toBe(0)
    expect(dry.out).toMatch(/^= \d+ unchanged\nnothing to change\n$/)
    expect(json(['config', 'import', first.file]).changes.filter((c: any) => c.action !== 'unchanged')).toEqual([])
    expect(cli(['config', 'import', first.file, '--yes']).out).toContain('nothing to change')
    expect(exportTo('second.yaml').text).toBe(first.text)
    expect(json(['providers', 'list']).find((p: any) => p.id === 'api-p').keyCounts.total).toBe(3)
  })

  it("an edit to a cloud provider's settings is shown field by field and applied", () => {
    const cfg = parse(exportTo('cloud.yaml').text)
    cfg.providers.find((p: any) => p.id === 'api-az').api_version = '2025-04-01-preview'
    cfg.providers.find((p: any) => p.id === 'api-vx').location = 'us-east5'
    const file = join(server.dir, 'cloud-edited.yaml')
    writeFileSync(file, stringify(cfg))
    expect(json(['config', 'import', file]).changes.filter((c: any) => c.action !== 'unchanged')).toEqual([
      { kind: 'provider', name: 'api-az', action: 'update', fields: [{ field: 'api_version', before: '2024-10-21', after: '2025-04-01-preview' }] },
      { kind: 'provider', name: 'api-vx', action: 'update', fields: [{ field: 'location', before: 'europe-west4', after: 'us-east5' }] },
    ])
    expect(json(['config', 'import', file, '--yes']).applied).toBe(true)
    expect(json(['providers', 'list']).find((p: any) => p.id === 'api-vx')).toMatchObject({ project: 'proj-rt', location: 'us-east5' })
    // Back as it was, so the tests below see the state they expect.
    const back = cli(['config', 'import', join(server.dir, 'cloud.yaml'), '--yes'])
    expect(back.code, back.err).toBe(0)
  })

  it('an edit to one of two keys sharing a mask changes that key alone, shown field by field', async () => {
    const ids = await keyIds()
    const cfg = parse(exportTo('edit.yaml').text)
    const api = cfg.providers.find((p: any) => p.id === 'api-p')
    api.keys[1].weight = 5
    cfg.client_keys.find((c: any) => c.name === 'limited').rpm = 61
    const file = join(server.dir, 'edited.yaml')
    writeFileSync(file, stringify(cfg))
    const plan = json(['config', 'import', file])
    const changed = plan.changes.filter((c: any) => c.action !== 'unchanged')
    expect(changed).toEqual([
      { kind: 'provider', name: 'api-p', action: 'update', fields: [{ field: `keys[sk-a…1111 ${api.keys[1].fingerprint}].weight`, before: 1, after: 5 }] },
      { kind: 'client_key', name: 'limited', action: 'update', fields: [{ field: 'rpm', before: 60, after: 61 }] },
    ])
    const human = cli(['config', 'import', file]).out
    expect(human).toContain(`~ update provider api-p\n    keys[sk-a…1111 ${api.keys[1].fingerprint}].weight: 1 → 5\n`)
    expect(human).toContain('~ update client_key limited\n    rpm: 60 → 61\n')
    expect(human).toContain('dry run: 2 change(s); run again with --yes to apply')
    expect(json(['config', 'import', file, '--yes']).applied).toBe(true)
    const keys = (await admin('query', 'keys.list', { provider: 'api-p' })) as any[]
    expect(keys.map((k) => [k.fingerprint, k.weight])).toEqual([
      [api.keys[0].fingerprint, 1],
      [api.keys[1].fingerprint, 5],
    ])
    expect(await keyIds()).toEqual(ids)
    expect(json(['providers', 'list']).find((p: any) => p.id === 'api-p').keyCounts.total).toBe(3)
  })

  it('a file from before fingerprints: a shared mask is skipped with the reason, never guessed; file-owned entries say why they are skipped', () => {
    const cfg = parse(exportTo('old.yaml').text)
    const api = cfg.providers.find((p: any) => p.id === 'api-p')
    api.keys = api.keys.map((k: any) => k.key)
    const solo = cfg.providers.find((p: any) => p.id === 'file-solo')
    solo.timeout_ms = 1
    const file = join(server.dir, 'old-style.yaml')
    writeFileSync(file, stringify(cfg))
    const changes = json(['config', 'import', file]).changes
    expect(changes.find((c: any) => c.name === 'api-p')).toEqual({
      kind: 'provider',
      name: 'api-p',
      action: 'skipped',
      reason: "keys[0]: 2 keys in the pool share the mask 'sk-a…1111': add the fingerprint (config export writes it) or a name; keys[1]: 2 keys in the pool share the mask 'sk-a…1111': add the fingerprint (config export writes it) or a name",
    })
    expect(changes.find((c: any) => c.name === 'file-solo')).toEqual({ kind: 'provider', name: 'file-solo', action: 'skipped', reason: 'managed by rosetta.yaml: change it there' })
    expect(cli(['config', 'import', file]).out).toContain("! skip provider api-p: keys[0]: 2 keys in the pool share the mask 'sk-a…1111'")
  })

  it('restores a fresh server with the same master key: same export, client keys working from their hash alone', async () => {
    const revealed = exportTo('revealed.yaml', true)
    expect(revealed.text).toContain('sk-aaaa-second-1111')
    expect(revealed.text).not.toContain(limitedKey)
    const fresh = await startServer({ env: ENV })
    try {
      expect(fresh.output()).toContain('no client keys yet')
      expect(fresh.output()).toContain('rosetta client-keys add')
      expect(cli(['config', 'import', revealed.file, '--yes'], fresh.url).code).toBe(0)
      const again = cli(['config', 'export', '--reveal'], fresh.url)
      expect(again.out).toBe(revealed.text)
      // The client key was restored from key_hash: the secret the first server handed out works here.
      const r = await chat(fresh.url, limitedKey, 'solo-text')
      expect(r.status, r.text).toBe(200)
      expect((await chat(fresh.url, limitedKey, 'an-text')).status).toBe(403)
    } finally {
      await fresh.stop()
    }
  }, 60_000)
})

describe('stable ids', () => {
  it('survive a provider edit, a config reload and a restart; keys disable takes an id shown before the reload; stats group by it', async () => {
    expect((await chat(server.url, CLIENT_KEY, 'solo-text')).status).toBe(200)
    const ids = await keyIds()
    expect(Object.keys(ids).length).toBeGreaterThanOrEqual(5)
    const soloId = ((await admin('query', 'keys.list', { provider: 'file-solo' })) as any[])[0].id

    // An edit through tRPC providers.update: settings only (keys: [] keeps the pool), then with the
    // pool as the export writes it (masked keys with their fingerprints).
    const { source: _s, ...api } = await admin('query', 'providers.get', { id: 'api-p' })
    void _s
    await admin('mutation', 'providers.update', { ...api, timeout_ms: 1000, keys: [] })
    expect(await keyIds()).toEqual(ids)
    const exported = parse(exportTo('for-update.yaml').text).providers.find((p: any) => p.id === 'api-p')
    await admin('mutation', 'providers.update', { ...exported, timeout_ms: 2000 })
    expect(await keyIds()).toEqual(ids)

    // A reload of rosetta.yaml.
    writeFileSync(join(server.dir, 'rosetta.yaml'), fileYaml(mock.url, 'models:\n  - { name: reloaded, targets: [ { provider: file-solo, model: oa-text } ] }\n'))
    for (let i = 0; i < 60 && !json(['models', 'list']).some((m: any) => m.name === 'reloaded'); i++) await new Promise((r) => setTimeout(r, 100))
    expect(json(['models', 'list']).some((m: any) => m.name === 'reloaded')).toBe(true)
    expect(await keyIds()).toEqual(ids)
    // The default provider was set through the API and the file names none: the reload keeps it.
    expect(((await admin('query', 'providers.list')) as any[]).find((p) => p.isDefault)?.id).toBe('file-solo')
    const off = cli(['keys', 'disable', String(soloId), '--reason', 'rotating'])
    expect(off.code, off.err).toBe(0)
    expect(((await admin('query', 'keys.list', { provider: 'file-solo' })) as any[])[0]).toMatchObject({ id: soloId, status: 'disabled', disabledReason: 'rotating' })
    expect(cli(['keys', 'enable', String(soloId)]).code).toBe(0)
    expect((await chat(server.url, CLIENT_KEY, 'solo-text')).status).toBe(200)

    // A restart on the same database.
    const dir = server.dir
    await server.stop('SIGTERM', { keepDir: true })
    server = await startServer({ dir, config: fileYaml(mock.url, 'models:\n  - { name: reloaded, targets: [ { provider: file-solo, model: oa-text } ] }\n'), env: ENV })
    expect(await keyIds()).toEqual(ids)

    // The request log's key id is the same before and after: one key, one group.
    const groups = json(['stats', '--by', 'key', '--since', '1h']).groups.filter((g: any) => g.provider === 'file-solo')
    expect(groups).toEqual([expect.objectContaining({ key: soloId, provider: 'file-solo', hint: 'sk-f…0001', requests: 2 })])
  }, 90_000)
})

describe('safe examples', () => {
  it('rosetta.example.yaml as shipped does not start: its placeholder client key is refused with what to do', async () => {
    const s = await startServer({ config: readFileSync(join(ROOT, 'rosetta.example.yaml'), 'utf8'), expectFailure: true })
    expect((s as any).exitCode).toBe(1)
    expect(s.output()).toContain('client_keys[0].key: is a placeholder, not a key')
    expect(s.output()).toContain('rosetta client-keys add ci')
    expect(s.output()).not.toContain('Rosetta is ready')
    s.cleanup()
  }, 30_000)
})
