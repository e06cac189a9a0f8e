import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** Keys that are verified and never recovered (client keys, the admin key) are stored as sha256. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && timingSafeEqual(x, y)
}

/** A new random key with a recognisable prefix (`rk-` client keys, `rsk-admin-` the admin key). */
export function generateKey(prefix: string): string {
  return prefix + randomBytes(24).toString('base64url')
}

/** At most the first 4 and the last 4 characters: `sk-a…wxyz`. */
export function maskSecret(key: string): string {
  if (key.length <= 8) return '…' + key.slice(-2)
  if (key.length <= 12) return key.slice(0, 2) + '…' + key.slice(-2)
  return key.slice(0, 4) + '…' + key.slice(-4)
}
