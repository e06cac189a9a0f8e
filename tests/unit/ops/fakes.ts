import type { RequestLogEntry } from '../../../server/gateway/log-entry'
import type { ProviderRuntime, Snapshot } from '../../../server/gateway/routing/snapshot'
import { PROVIDER_TRANSPORTS } from '../../../server/gateway/providers'

export function entry(over: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    ts: new Date(),
    requestId: 'req_x',
    clientKey: 'test',
    dialect: 'openai-chat',
    upstreamDialect: 'openai-chat',
    model: 'smart',
    providerId: 'p1',
    upstreamModel: 'gpt-x',
    route: null,
    keyId: 1,
    stream: false,
    status: 200,
    errorKind: null,
    errorMessage: null,
    latencyMs: 120,
    ttfbMs: 40,
    usage: { inputTokens: 10, outputTokens: 5 },
    bytesIn: 10,
    bytesOut: 10,
    clientIp: null,
    userAgent: null,
    ...over,
  }
}

/** A request p2 answered after p1 failed with a 500: one hidden upstream failure, one retry. */
export function answeredByFallback(): RequestLogEntry {
  return entry({
    providerId: 'p2',
    attempts: [
      { provider: 'p1', model: 'a', keyId: 1, status: 500, errorKind: 'upstream_error', latencyMs: 5 },
      { provider: 'p2', model: 'b', keyId: 2, status: 200, errorKind: null, latencyMs: 50 },
    ],
  })
}

export function provider(id: string, over: Partial<ProviderRuntime> = {}): ProviderRuntime {
  return {
    id,
    dialect: 'openai-chat',
    baseUrl: 'http://127.0.0.1:1/v1/',
    timeoutMs: 1000,
    enabled: true,
    keys: [{ id: 1, key: 'k', hint: 'k', weight: 1 }],
    transport: PROVIDER_TRANSPORTS.openai,
    options: {},
    auth: { header: 'authorization', template: 'Bearer {key}' },
    headers: {},
    cursor: 0,
    ...over,
  } as ProviderRuntime
}

export function snapshot(providers: ProviderRuntime[], models: string[] = ['smart']): Snapshot {
  return {
    version: 1,
    providers: new Map(providers.map((p) => [p.id, p])),
    models: new Map(models.map((m) => [m, { name: m, targets: [], fallbacks: [] }])),
    routes: [],
    defaultProvider: null,
    clientKeys: new Map(),
    adminKeyHash: '',
  } as unknown as Snapshot
}
