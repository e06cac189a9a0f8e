import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto'

/**
 * AES-256-GCM for upstream keys at rest. Stored as base64(iv[12] | tag[16] | ciphertext); the
 * plaintext exists only in memory, in the configuration snapshot.
 */
export class SecretBox {
  private fingerprintKey?: Buffer

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('The master key must be 32 bytes')
  }

  /**
   * A short keyed hash of an upstream key, safe to show and export: the stable identity a masked key
   * in an exported file is matched by (two keys can share a mask, never a fingerprint). Keyed with a
   * sub-key derived from the master key, so someone who only sees fingerprints cannot test guesses.
   * Stored with the key when it is written; a later master-key change does not alter stored ones.
   */
  keyFingerprint(secret: string): string {
    this.fingerprintKey ??= Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), 'rosetta upstream key fingerprint v1', 32))
    return createHmac('sha256', this.fingerprintKey).update(secret, 'utf8').digest('hex').slice(0, FINGERPRINT_HEX)
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
  }

  decrypt(stored: string): string {
    const raw = Buffer.from(stored, 'base64')
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12))
    decipher.setAuthTag(raw.subarray(12, 28))
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
  }

  /** A fingerprint of the master key itself, stored so a changed key is refused with a clear error. */
  fingerprint(): string {
    return createHash('sha256').update('rosetta-master-key-check').update(this.key).digest('hex').slice(0, 16)
  }
}

/** Hex characters in a key fingerprint: 48 bits, no collision within any real pool. */
export const FINGERPRINT_HEX = 12

/** Parses NUXT_MASTER_KEY: 32 bytes as 64 hex characters or as base64. */
export function parseMasterKey(text: string): Buffer {
  const t = text.trim()
  const buf = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64')
  if (buf.length !== 32) throw new Error('NUXT_MASTER_KEY must be 32 bytes, written as 64 hex characters or base64')
  return buf
}
