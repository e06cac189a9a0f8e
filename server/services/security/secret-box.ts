import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

/**
 * AES-256-GCM for upstream keys at rest. Stored as base64(iv[12] | tag[16] | ciphertext); the
 * plaintext exists only in memory, in the configuration snapshot.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('The master key must be 32 bytes')
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

/** Parses NUXT_MASTER_KEY: 32 bytes as 64 hex characters or as base64. */
export function parseMasterKey(text: string): Buffer {
  const t = text.trim()
  const buf = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64')
  if (buf.length !== 32) throw new Error('NUXT_MASTER_KEY must be 32 bytes, written as 64 hex characters or base64')
  return buf
}
