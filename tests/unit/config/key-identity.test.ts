import { describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { SecretBox } from '../../../server/services/security/secret-box'
import { hashKey, maskSecret } from '../../../server/services/security/hashing'
import { resolveKeys, type StoredKey } from '../../../server/services/config/key-identity'
import { diffFields } from '../../../server/services/config/field-diff'

const box = new SecretBox(randomBytes(32))
const stored = (key: string, id: number, name: string | null = null): StoredKey => ({
  id,
  name,
  key,
  hash: hashKey(key),
  hint: maskSecret(key),
  fingerprint: box.keyFingerprint(key),
  weight: 1,
  maxConcurrency: null,
  enabled: true,
})
// Two keys with the same mask, sk-a…1111: — the case that lost a key before.
const A = stored('sk-aaaa-first-1111', 1)
const B = stored('sk-aaaa-second-1111', 2, 'backup')
const pool = [A, B]

describe('matching keys by identity, never by mask alone', () => {
  it('a masked key with its fingerprint names exactly one stored key, even when masks collide', () => {
    expect(maskSecret(A.key)).toBe(maskSecret(B.key))
    const r = resolveKeys([{ key: maskSecret(B.key), fingerprint: B.fingerprint, weight: 3, enabled: true }, { key: maskSecret(A.key), fingerprint: A.fingerprint, weight: 1, enabled: true }], pool, box)
    expect(r.problems).toEqual([])
    expect(r.keys.map((k) => [k.key, k.weight])).toEqual([
      [B.key, 3],
      [A.key, 1],
    ])
  })

  it('a shared mask without fingerprint or name is a problem, not a guess', () => {
    const r = resolveKeys([maskSecret(A.key)], pool, box)
    expect(r.keys).toEqual([])
    expect(r.problems[0]).toMatch(/keys\[0\]: 2 keys in the pool share the mask 'sk-a…1111'.*fingerprint/)
  })

  it('a name identifies a key too; a unique mask still works for files written before fingerprints', () => {
    expect(resolveKeys([{ key: maskSecret(B.key), name: 'backup', weight: 1, enabled: true }], pool, box).keys[0]!.key).toBe(B.key)
    const C = stored('sk-cccc-unique-9876', 3)
    expect(resolveKeys([maskSecret(C.key)], [C], box).keys[0]!.key).toBe(C.key)
  })

  it('unknown fingerprints, unknown masks and duplicates are reported with their position', () => {
    const r = resolveKeys(
      [
        { key: maskSecret(A.key), fingerprint: '000000000000', weight: 1, enabled: true },
        { key: 'sk-zzzz…9999', weight: 1, enabled: true },
        { key: 'sk-new-clear-key-1', fingerprint: A.fingerprint, weight: 1, enabled: true },
        { key: maskSecret(A.key), fingerprint: B.fingerprint, weight: 1, enabled: true },
        A.key,
        { key: maskSecret(A.key), fingerprint: A.fingerprint, weight: 1, enabled: true },
      ],
      pool,
      box,
    )
    expect(r.problems).toEqual([
      'keys[0]: no stored key has fingerprint 000000000000; a masked key can only keep a key the pool holds: give the full key',
      "keys[1]: 'sk-zzzz…9999' is masked and matches no key in the pool: give the full key (config export --reveal)",
      'keys[5]: the same key as keys[4]',
    ])
    // keys[2]: a key in clear is itself, whatever fingerprint stands beside it (another instance's).
    // keys[3]: B's fingerprint with B's (shared) mask is B itself, and resolves.
    expect(r.keys.map((k) => k.key)).toEqual(['sk-new-clear-key-1', B.key, A.key])
    expect(r.keys[0]!.fingerprint).toBe(box.keyFingerprint('sk-new-clear-key-1'))
  })
})

describe('field-level diff', () => {
  it('reports each changed field with before and after; key order never counts as a change', () => {
    const before = { timeout_ms: 1, headers: { a: '1', b: '2' }, keys: { 'k1 f1': { weight: 1 }, 'k2 f2': { weight: 1 } }, targets: [{ p: 'x', w: 1 }] }
    const after = { headers: { b: '2', a: '1' }, timeout_ms: 2, keys: { 'k1 f1': { weight: 4 }, 'k3 f3': { weight: 1 } }, targets: [{ w: 1, p: 'x' }] }
    expect(diffFields(before, after)).toEqual([
      { field: 'timeout_ms', before: 1, after: 2 },
      { field: 'keys[k1 f1].weight', before: 1, after: 4 },
      { field: 'keys[k2 f2]', before: { weight: 1 } },
      { field: 'keys[k3 f3]', after: { weight: 1 } },
    ])
    expect(diffFields(before, structuredClone(before))).toEqual([])
  })
})
