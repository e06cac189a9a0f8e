import { describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { SecretBox, parseMasterKey } from '../../../server/services/security/secret-box'
import { maskSecret, hashKey, generateKey } from '../../../server/services/security/hashing'

describe('secrets', () => {
  it('AES-256-GCM round trip, fresh IV each time, tampering detected', () => {
    const box = new SecretBox(randomBytes(32))
    const a = box.encrypt('sk-live-abc')
    const b = box.encrypt('sk-live-abc')
    expect(a).not.toBe(b)
    expect(a).not.toContain('sk-live')
    expect(box.decrypt(a)).toBe('sk-live-abc')
    const raw = Buffer.from(a, 'base64')
    raw[raw.length - 1]! ^= 1
    expect(() => box.decrypt(raw.toString('base64'))).toThrow()
    expect(() => new SecretBox(randomBytes(32)).decrypt(a)).toThrow()
  })

  it('master keys parse from hex or base64 and must be 32 bytes', () => {
    const k = randomBytes(32)
    expect(parseMasterKey(k.toString('hex')).equals(k)).toBe(true)
    expect(parseMasterKey(k.toString('base64')).equals(k)).toBe(true)
    expect(() => parseMasterKey('short')).toThrow(/32 bytes/)
  })

  it('masks show at most the first 4 and last 4 characters', () => {
    expect(maskSecret('sk-abcdefghijklmnopwxyz')).toBe('sk-a…wxyz')
    expect(maskSecret('abcdefghij')).toBe('ab…ij')
    expect(maskSecret('abc')).toBe('…bc')
  })

  it('generated keys carry their prefix and are unique; hashes are sha256 hex', () => {
    const a = generateKey('rk-')
    expect(a).toMatch(/^rk-[A-Za-z0-9_-]{32}$/)
    expect(generateKey('rk-')).not.toBe(a)
    expect(hashKey('x')).toBe('2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881')
  })
})
