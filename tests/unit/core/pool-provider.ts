import type { KeyStrategy } from '../../../server/gateway/pool/select-key'
import type { ProviderRuntime } from '../../../server/gateway/routing/snapshot'
import { PROVIDER_TRANSPORTS } from '../../../server/gateway/providers'

/**
 * A provider for the pool tests (key selection, next candidate): keys numbered 1..n, each named
 * `<keyPrefix>k<n>` and hashed `<keyPrefix>h<n>` (the state store keys by hash), with the given weight
 * and concurrency cap. Nothing here is reached over the network.
 */
export function poolProvider(id: string, keys: Array<{ weight?: number; maxConcurrency?: number | null }>, opts: { keyStrategy?: KeyStrategy; keyPrefix?: string } = {}): ProviderRuntime {
  const prefix = opts.keyPrefix ?? ''
  return {
    id,
    dialect: 'openai-chat',
    baseUrl: 'http://x/',
    origin: 'http://x',
    basePath: '/',
    timeoutMs: 1000,
    enabled: true,
    keys: keys.map((k, i) => ({ id: i + 1, key: `${prefix}k${i + 1}`, hash: `${prefix}h${i + 1}`, hint: '', fingerprint: '', weight: k.weight ?? 1, maxConcurrency: k.maxConcurrency ?? null })),
    transport: PROVIDER_TRANSPORTS.openai,
    options: {},
    auth: { header: 'authorization', template: 'Bearer {key}' },
    headers: {},
    keyStrategy: opts.keyStrategy ?? 'fill-first',
    cursor: 0,
  }
}
