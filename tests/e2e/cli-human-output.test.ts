import { describe, expect, it } from 'vitest'
import { alignedTable, fieldLines, useCliServer } from './support/cli'

/** What a change command prints for a person: the fields it set, as `field  value` lines. */
const c = useCliServer()
const { cli, json } = c

describe('rosetta CLI: human output of changes', () => {
  it('human output of changes: what was done, as field / value lines (routes, client keys)', () => {
    const add = cli(['routes', 'add', 'human-route', '--match', 'exact:human', '--provider', 'file-openai'])
    expect(add.code, add.err).toBe(0)
    expect(fieldLines(add.out)).toEqual({ name: 'human-route', created: 'yes' })
    const [dis, upd, rm] = [cli(['routes', 'disable', 'human-route']), cli(['routes', 'update', 'human-route', '--priority', '7']), cli(['routes', 'remove', 'human-route'])]
    expect(fieldLines(dis.out)).toEqual({ name: 'human-route', enabled: 'no' })
    expect(fieldLines(upd.out)).toEqual({ name: 'human-route', updated: 'yes' })
    expect(fieldLines(rm.out)).toEqual({ name: 'human-route', removed: 'yes' })
    const ck = cli(['client-keys', 'add', 'human-bot', '--day-usd', '2.5'])
    expect(fieldLines(ck.out)).toMatchObject({ name: 'human-bot', 'day usd': '$2.50', enabled: 'yes' })
    expect(fieldLines(ck.out).key).toMatch(/^rk-/)
    expect(fieldLines(cli(['client-keys', 'update', 'human-bot', '--month-tokens', '2000000']).out)).toEqual({ name: 'human-bot', updated: 'yes' })
    expect(fieldLines(cli(['client-keys', 'disable', 'human-bot']).out)).toEqual({ name: 'human-bot', enabled: 'no' })
    expect(fieldLines(cli(['client-keys', 'enable', 'human-bot']).out)).toEqual({ name: 'human-bot', enabled: 'yes' })
    const listed = alignedTable(cli(['client-keys', 'list']).out).find((r) => r.NAME === 'human-bot')
    expect(listed).toMatchObject({ 'MONTH TOKENS': '2,000,000', 'DAY USD': '$2.50', 'SPENT TODAY': '$0', REQUESTS: '0' })
    expect(fieldLines(cli(['client-keys', 'remove', 'human-bot']).out)).toEqual({ name: 'human-bot', removed: 'yes' })
  }, 60_000)

  it('human output of changes: providers, their keys and models', () => {
    expect(fieldLines(cli(['providers', 'add', 'human-p', '--type', 'openai', '--base-url', `${c.mock.url}/openai/v1`, '--keys', 'sk-human-0001']).out)).toEqual({ id: 'human-p', created: 'yes' })
    expect(fieldLines(cli(['providers', 'update', 'human-p', '--timeout-ms', '90000']).out)).toEqual({ id: 'human-p', updated: 'yes' })
    expect(fieldLines(cli(['providers', 'disable', 'human-p']).out)).toEqual({ id: 'human-p', enabled: 'no' })
    expect(fieldLines(cli(['providers', 'enable', 'human-p']).out)).toEqual({ id: 'human-p', enabled: 'yes' })
    expect(fieldLines(cli(['keys', 'add', 'human-p', 'sk-human-0002', 'sk-human-0001']).out)).toEqual({ provider: 'human-p', given: '2', added: '1', skipped: '1' })
    const keyId = json(['keys', 'list', '--provider', 'human-p'])[0].id as number
    expect(fieldLines(cli(['keys', 'disable', String(keyId)]).out)).toEqual({ id: String(keyId), status: 'disabled' })
    expect(fieldLines(cli(['keys', 'enable', String(keyId)]).out)).toEqual({ id: String(keyId), status: 'active' })
    expect(fieldLines(cli(['keys', 'remove', String(keyId)]).out)).toEqual({ id: String(keyId), removed: 'yes' })
    expect(fieldLines(cli(['models', 'add', 'human-m', '--targets', 'human-p:x']).out)).toEqual({ name: 'human-m', created: 'yes' })
    expect(fieldLines(cli(['models', 'update', 'human-m', '--fallbacks', 'file-openai:oa-x']).out)).toEqual({ name: 'human-m', updated: 'yes' })
    expect(fieldLines(cli(['models', 'disable', 'human-m']).out)).toEqual({ name: 'human-m', enabled: 'no' })
    expect(fieldLines(cli(['models', 'remove', 'human-m']).out)).toEqual({ name: 'human-m', removed: 'yes' })
    expect(fieldLines(cli(['providers', 'remove', 'human-p']).out)).toEqual({ id: 'human-p', removed: 'yes' })
    const ka = cli(['keys', 'add', 'file-openai', 'sk-file-key-000111'])
    // file-openai is declared by rosetta.yaml: refused, exit 3, one line.
    expect(ka.code).toBe(3)
    expect(ka.err.trim().split('\n')).toHaveLength(1)
  }, 60_000)
})
