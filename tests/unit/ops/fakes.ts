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
