import { isMaskedSecret, type ProviderConfig } from '../../../shared/schemas/config-file'
import type { StoredConfig } from '../db/config-repo'
import type { SecretBox } from '../security/secret-box'
import { hashKey, maskSecret } from '../security/hashing'

type KeyInput = ProviderConfig['keys'][number]
export type StoredKey = StoredConfig['providers'][number]['keys'][number]

/** An upstream key from a file or an API call, tied to its secret (new, or the stored one it names). */
export interface ResolvedKey {
  key: string
  hash: string
  fingerprint: string
  mask: string
  weight: number
  max_concurrency?: number
  enabled: boolean
  name?: string
}

/** How a key is named in diffs and messages: never the secret, always unambiguous. */
export const keyLabel = (k: { mask: string; fingerprint: string }) => `${k.mask} ${k.fingerprint}`

/**
 * Ties each listed key to a secret. A key in clear is itself (any fingerprint beside it is ignored); a masked key (`sk-a…wxyz`, as exports
 * write it) stands for a key the pool already holds, found by its fingerprint, else its name, else
 * its mask when exactly one stored key has it. Never the first of several keys sharing a mask:
 * that is a problem to report, as is a fingerprint that belongs to no stored key or to another key.
 */
export function resolveKeys(keys: readonly KeyInput[], pool: readonly StoredKey[], box: SecretBox): { keys: ResolvedKey[]; problems: string[] } {
  const out: ResolvedKey[] = []
  const problems: string[] = []
  const at = new Map<string, number>()
  keys.forEach((k, i) => {
    const o = typeof k === 'string' ? { key: k, weight: 1, enabled: true } : k
    const fp = 'fingerprint' in o ? o.fingerprint : undefined
    const name = 'name' in o ? o.name : undefined
    let secret: string
    let fingerprint: string
    if (!isMaskedSecret(o.key)) {
      // A key in clear is its own identity; a fingerprint beside it is ignored (an export from
      // another instance carries that instance's fingerprints).
      secret = o.key
      const h = hashKey(secret)
      fingerprint = pool.find((s) => s.hash === h)?.fingerprint ?? box.keyFingerprint(secret)
    } else {
      let found: StoredKey | undefined
      if (fp) {
        found = pool.find((s) => s.fingerprint === fp)
        if (!found) {
          problems.push(`keys[${i}]: no stored key has fingerprint ${fp}; a masked key can only keep a key the pool holds: give the full key`)
          return
        }
      } else {
        const byName = name ? pool.filter((s) => s.name === name) : []
        const candidates = byName.length === 1 ? byName : pool.filter((s) => maskSecret(s.key) === o.key)
        if (candidates.length !== 1) {
          problems.push(
            candidates.length === 0
              ? `keys[${i}]: '${o.key}' is masked and matches no key in the pool: give the full key (config export --reveal)`
              : `keys[${i}]: ${candidates.length} keys in the pool share the mask '${o.key}': add the fingerprint (config export writes it) or a name`,
          )
          return
        }
        found = candidates[0]
      }
      if (maskSecret(found!.key) !== o.key) {
        problems.push(`keys[${i}]: the stored key ${fp ? `with fingerprint ${fp}` : `named '${name}'`} is '${maskSecret(found!.key)}', not '${o.key}'`)
        return
      }
      secret = found!.key
      fingerprint = found!.fingerprint
    }
    const hash = hashKey(secret)
    const before = at.get(hash)
    if (before !== undefined) {
      problems.push(`keys[${i}]: the same key as keys[${before}]`)
      return
    }
    at.set(hash, i)
    out.push({
      key: secret,
      hash,
      fingerprint,
      mask: maskSecret(secret),
      weight: o.weight,
      ...('max_concurrency' in o && o.max_concurrency !== undefined ? { max_concurrency: o.max_concurrency } : {}),
      enabled: o.enabled,
      ...(name ? { name } : {}),
    })
  })
  return { keys: out, problems }
}

/** Back to the shape the writes take (the secret in clear, for encryption). */
export const asKeyInput = (k: ResolvedKey) => ({
  key: k.key,
  weight: k.weight,
  enabled: k.enabled,
  ...(k.max_concurrency !== undefined ? { max_concurrency: k.max_concurrency } : {}),
  ...(k.name ? { name: k.name } : {}),
})
