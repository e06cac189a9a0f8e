import type { DialectName } from '../ir'
import type { StoredConfig, TargetRow } from '../../services/db/config-repo'
import { hashKey } from '../../services/security/hashing'
import type { KeyStrategy } from '../pool/select-key'
import type { ClientLimits } from '../limits/client-limits'
import { maxTokensFieldFor, type MaxTokensField } from '../upstream/max-tokens-field'

/**
 * The in-memory configuration the hot path reads: built once per change, never a query per request.
 * A request keeps the snapshot it started with, so a reload never changes a request mid-flight.
 */

export const PROVIDER_DIALECT: Record<string, DialectName> = {
  openai: 'openai-chat',
  'openai-responses': 'openai-responses',
  anthropic: 'anthropic',
  gemini: 'gemini',
}

const DEFAULT_BASE_URL: Record<DialectName, string> = {
  'openai-chat': 'https://api.openai.com/v1',
  'openai-responses': 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
}

export interface ProviderKey {
  id: number
  key: string
  /** sha256 of the key: its identity in the state store (stable across reloads). */
  hash: string
  hint: string
  /** A keyed hash of the key, safe to show: its identity in exports and imports. */
  fingerprint: string
  weight: number
  maxConcurrency: number | null
}

export interface ProviderRuntime {
  id: string
  dialect: DialectName
  /** Always ends with '/', so endpoint paths append directly. */
  baseUrl: string
  /** baseUrl split once, so no URL is parsed per request: `https://host:port` and `/v1/`. */
  origin: string
  basePath: string
  timeoutMs: number
  enabled: boolean
  keys: ProviderKey[]
  authHeader: string
  authTemplate: string
  /** Extra headers sent on every call, lower-cased names. */
  headers: Record<string, string>
  keyStrategy: KeyStrategy
  /** What this provider's models can take; undefined = everything. */
  capabilities?: string[]
  /** Chat Completions upstreams: the output-token limit's field, from the host. */
  maxTokensField?: MaxTokensField
  /** Round-robin cursor. */
  cursor: number
}

export interface CompiledRoute {
  name: string
  test: (model: string) => boolean
  /** `prefix "gpt-"`, for explanations. */
  describe: string
  /** The match kind and pattern apart, for explanations the admin UI words in its own language. */
  matchType: string
  pattern: string
  providerId: string
  modelTemplate: string
  priority: number
  order: number
}

export interface ModelEntry {
  name: string
  targets: TargetRow[]
  fallbacks: TargetRow[]
}

export interface ClientKeyInfo {
  name: string
  /** Allow-list globs compiled once; undefined = every model. */
  allow?: RegExp[]
  /** Expiry, rate limits and budgets; undefined = none (the admission check is then free). */
  limits?: ClientLimits
}

export type Identity = { kind: 'admin' | 'client'; name: string; allow?: RegExp[]; limits?: ClientLimits }

export interface Snapshot {
  version: number
  /** Presented key → identity (or null), so a repeat caller costs a map lookup, not a sha256. */
  authCache: Map<string, Identity | null>
  providers: Map<string, ProviderRuntime>
  models: Map<string, ModelEntry>
  routes: CompiledRoute[]
  defaultProvider: string | null
  clientKeys: Map<string, ClientKeyInfo>
  adminKeyHash: string
}

const AUTH_DEFAULTS: Record<DialectName, [string, string]> = {
  'openai-chat': ['authorization', 'Bearer {key}'],
  'openai-responses': ['authorization', 'Bearer {key}'],
  anthropic: ['x-api-key', '{key}'],
  gemini: ['x-goog-api-key', '{key}'],
}

export function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${esc}$`)
}

function compileMatch(type: string, pattern: string): (m: string) => boolean {
  switch (type) {
    case 'exact':
      return (m) => m === pattern
    case 'prefix':
      return (m) => m.startsWith(pattern)
    case 'keyword': {
      const k = pattern.toLowerCase()
      return (m) => m.toLowerCase().includes(k)
    }
    case 'regex': {
      const re = new RegExp(pattern)
      return (m) => re.test(m)
    }
    default:
      throw new Error(`unknown route match type '${type}'`)
  }
}

let versions = 0

export function buildSnapshot(cfg: StoredConfig, adminKeyHash: string): Snapshot {
  const providers = new Map<string, ProviderRuntime>()
  for (const p of cfg.providers) {
    const dialect = PROVIDER_DIALECT[p.type]
    if (!dialect) throw new Error(`provider ${p.id}: unknown type '${p.type}'`)
    const [hName, hTpl] = AUTH_DEFAULTS[dialect]
    const base = p.baseUrl ?? DEFAULT_BASE_URL[dialect]
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(p.headers)) headers[k.toLowerCase()] = v
    const baseUrl = base.endsWith('/') ? base : `${base}/`
    const parsed = new URL(baseUrl)
    providers.set(p.id, {
      id: p.id,
      dialect,
      baseUrl,
      origin: parsed.origin,
      basePath: parsed.pathname,
      maxTokensField: maxTokensFieldFor(parsed.origin),
      timeoutMs: p.timeoutMs,
      enabled: p.enabled,
      keys: p.keys
        .filter((k) => k.enabled)
        .map((k) => ({ id: k.id, key: k.key, hash: k.hash, hint: k.hint, fingerprint: k.fingerprint, weight: k.weight, maxConcurrency: k.maxConcurrency })),
      keyStrategy: p.keyStrategy as KeyStrategy,
      capabilities: p.capabilities ?? undefined,
      authHeader: (p.authHeader ?? hName).toLowerCase(),
      authTemplate: p.authTemplate ?? hTpl,
      headers,
      cursor: 0,
    })
  }
  const models = new Map<string, ModelEntry>()
  for (const m of cfg.models) if (m.enabled) models.set(m.name, { name: m.name, targets: m.targets, fallbacks: m.fallbacks })
  const routes: CompiledRoute[] = cfg.routes
    .filter((r) => r.enabled)
    .map((r, order) => ({
      name: r.name,
      test: compileMatch(r.matchType, r.pattern),
      describe: `${r.matchType} ${JSON.stringify(r.pattern)}`,
      matchType: r.matchType,
      pattern: r.pattern,
      providerId: r.providerId,
      modelTemplate: r.modelTemplate,
      priority: r.priority,
      order,
    }))
    // Higher priority first; ties keep the order they were defined in.
    .sort((a, b) => b.priority - a.priority || a.order - b.order)
  const clientKeys = new Map<string, ClientKeyInfo>()
  for (const c of cfg.clientKeys) {
    if (!c.enabled) continue
    clientKeys.set(c.keyHash, { name: c.name, allow: c.models ? c.models.map(globToRegExp) : undefined, limits: c.limits })
  }
  return { version: ++versions, authCache: new Map(), providers, models, routes, defaultProvider: cfg.defaultProvider, clientKeys, adminKeyHash }
}

/** The caller's identity from its key, or undefined. Cached per snapshot (bounded). */
export function authenticate(snap: Snapshot, key: string): Identity | undefined {
  const hit = snap.authCache.get(key)
  if (hit !== undefined) return hit ?? undefined
  const h = hashKey(key)
  let who: Identity | null = null
  if (h === snap.adminKeyHash) who = { kind: 'admin', name: 'admin' }
  else {
    const c = snap.clientKeys.get(h)
    if (c) who = { kind: 'client', name: c.name, allow: c.allow, limits: c.limits }
  }
  // Only known keys are cached: unknown ones must not let a caller fill memory.
  if (who && snap.authCache.size < 10_000) snap.authCache.set(key, who)
  return who ?? undefined
}
