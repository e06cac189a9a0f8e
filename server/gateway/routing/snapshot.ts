import type { UpstreamDialect } from '../ir'
import type { StoredConfig, TargetRow } from '../../services/db/config-repo'
import { hashKey } from '../../services/security/hashing'
import type { KeyStrategy } from '../pool/select-key'
import type { ClientLimits } from '../limits/client-limits'
import { maxTokensFieldFor, type MaxTokensField } from '../upstream/max-tokens-field'
import { PROVIDER_TYPE_OPTIONS } from '../../../shared/schemas/config-file'
import { PROVIDER_TRANSPORTS, type ProviderTransport, type TransportOptions } from '../providers'
import { DEFAULT_CHAT_QUIRKS, presetById, quirksFromConfig, type ChatQuirks } from '../../../shared/presets'
import { compileExtensions, type RequestExtensions } from '../extensions'

/**
 * The in-memory configuration the hot path reads: built once per change, never a query per request.
 * A request keeps the snapshot it started with, so a reload never changes a request mid-flight.
 */

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
  /** The dialect it speaks when nothing more is known; a call's own is `transport.dialectFor`. */
  dialect: UpstreamDialect
  /** Its type's transport facts (providers/): URLs, credentials, model list. */
  transport: ProviderTransport
  /** The type's own settings (`api_version`, `project`, `location`, `region`). */
  options: TransportOptions
  /** Always ends with '/', so endpoint paths append directly. */
  baseUrl: string
  /** baseUrl split once, so no URL is parsed per request: `https://host:port` and `/v1/`. */
  origin: string
  basePath: string
  timeoutMs: number
  enabled: boolean
  keys: ProviderKey[]
  /** The static auth header (the provider's `auth`, else its type's); undefined when the type makes credentials per key. */
  auth?: { header: string; template: string }
  /** Extra headers sent on every call, lower-cased names. */
  headers: Record<string, string>
  keyStrategy: KeyStrategy
  /** What this provider's models can take; undefined = everything. */
  capabilities?: string[]
  /** Chat Completions upstreams: the output-token limit's field (the quirks', else from the host). */
  maxTokensField?: MaxTokensField
  /** Chat Completions upstreams: the quirk switches of its preset, with the provider's own overrides. */
  quirks?: ChatQuirks
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
  /** Its response cache and plugins (issue 19); absent when it declares neither. */
  ext?: RequestExtensions
}

export interface ModelEntry {
  name: string
  targets: TargetRow[]
  fallbacks: TargetRow[]
  /** Its response cache and plugins (issue 19); absent when it declares neither. */
  ext?: RequestExtensions
}

export interface ClientKeyInfo {
  name: string
  /** Allow-list globs compiled once; undefined = every model. */
  allow?: RegExp[]
  /** Expiry, rate limits and budgets; undefined = none (the admission check is then free). */
  limits?: ClientLimits
  /** Its response cache and plugins (issue 19); absent when it declares neither. */
  ext?: RequestExtensions
}

export type Identity = { kind: 'admin' | 'client'; name: string; allow?: RegExp[]; limits?: ClientLimits; ext?: RequestExtensions }

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
    const transport = PROVIDER_TRANSPORTS[p.type] as ProviderTransport | undefined
    if (!transport) throw new Error(`provider ${p.id}: unknown type '${p.type}'`)
    const options = p.options ?? {}
    for (const o of PROVIDER_TYPE_OPTIONS[p.type].requires) if (!options[o]) throw new Error(`provider ${p.id}: type '${p.type}' needs '${o}'`)
    const base = p.baseUrl ? (transport.baseUrl?.(p.baseUrl) ?? p.baseUrl) : transport.defaultBaseUrl(options)
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(p.headers)) headers[k.toLowerCase()] = v
    const baseUrl = base.endsWith('/') ? base : `${base}/`
    const parsed = new URL(baseUrl)
    // Without a preset the output-limit field is the transport's (Azure) or follows the host, as before presets existed.
    const quirks: ChatQuirks = { ...DEFAULT_CHAT_QUIRKS, maxTokensField: transport.maxTokensField ?? maxTokensFieldFor(parsed.origin), ...(p.preset ? presetById(p.preset)?.quirks : undefined), ...quirksFromConfig(p.quirks) }
    providers.set(p.id, {
      id: p.id,
      dialect: transport.dialect,
      transport,
      options,
      baseUrl,
      origin: parsed.origin,
      basePath: parsed.pathname,
      maxTokensField: quirks.maxTokensField,
      quirks,
      timeoutMs: p.timeoutMs,
      enabled: p.enabled,
      keys: p.keys
        .filter((k) => k.enabled)
        .map((k) => ({ id: k.id, key: k.key, hash: k.hash, hint: k.hint, fingerprint: k.fingerprint, weight: k.weight, maxConcurrency: k.maxConcurrency })),
      keyStrategy: p.keyStrategy as KeyStrategy,
      capabilities: p.capabilities ?? undefined,
      auth:
        p.authHeader || p.authTemplate
          ? { header: (p.authHeader ?? transport.auth?.header ?? 'authorization').toLowerCase(), template: p.authTemplate ?? transport.auth?.template ?? 'Bearer {key}' }
          : transport.auth,
      headers,
      cursor: 0,
    })
  }
  const models = new Map<string, ModelEntry>()
  for (const m of cfg.models) if (m.enabled) models.set(m.name, { name: m.name, targets: m.targets, fallbacks: m.fallbacks, ext: compileExtensions(m) })
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
      ext: compileExtensions(r),
    }))
    // Higher priority first; ties keep the order they were defined in.
    .sort((a, b) => b.priority - a.priority || a.order - b.order)
  const clientKeys = new Map<string, ClientKeyInfo>()
  for (const c of cfg.clientKeys) {
    if (!c.enabled) continue
    clientKeys.set(c.keyHash, {
      name: c.name,
      allow: c.models ? c.models.map(globToRegExp) : undefined,
      limits: c.limits,
      ext: compileExtensions(c),
    })
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
    if (c) who = { kind: 'client', name: c.name, allow: c.allow, limits: c.limits, ext: c.ext }
  }
  // Only known keys are cached: unknown ones must not let a caller fill memory.
  if (who && snap.authCache.size < 10_000) snap.authCache.set(key, who)
  return who ?? undefined
}
