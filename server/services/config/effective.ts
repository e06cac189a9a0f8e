import { isMaskedSecret, type ConfigFile, type ExtensionConfig } from '../../../shared/schemas/config-file'
import type { StoredConfig, StoredExtensions } from '../db/config-repo'
import { maskSecret } from '../security/hashing'
import { presetById, type Preset } from '../../../shared/presets'

type Key = ConfigFile['providers'][number]['keys'][number]
type ClientKey = ConfigFile['client_keys'][number]

/**
 * The whole effective configuration (file-owned and UI/CLI-made entries) in rosetta.yaml's shape.
 * Upstream keys are masked unless `reveal`. With `lossless` (what `config export` writes) every key
 * carries its fingerprint, so a masked key names exactly one stored key even when two share a mask.
 * Client keys always carry everything the database holds, the secret only as its sha256 (`key_hash`):
 * importing the file restores them working.
 */
export function effectiveConfig(cfg: StoredConfig, reveal: boolean, lossless = false): ConfigFile & { _sources: Record<string, string> } {
  const sources: Record<string, string> = {}
  const providers = cfg.providers.map((p) => {
    sources[`provider:${p.id}`] = p.source
    const keys: Key[] = p.keys.map((k) => {
      const key = reveal ? k.key : maskSecret(k.key)
      const extras = { weight: k.weight, enabled: k.enabled, ...(k.maxConcurrency !== null ? { max_concurrency: k.maxConcurrency } : {}), ...(k.name ? { name: k.name } : {}) }
      if (lossless) return { key, fingerprint: k.fingerprint, ...extras }
      const plain = k.weight === 1 && k.maxConcurrency === null && k.enabled && !k.name
      return plain ? key : { key, ...extras }
    })
    const full = {
      id: p.id,
      ...(p.preset ? { preset: p.preset } : {}),
      type: p.type,
      ...(p.baseUrl ? { base_url: p.baseUrl } : {}),
      keys,
      key_strategy: p.keyStrategy as ConfigFile['providers'][number]['key_strategy'],
      ...(p.authHeader && p.authTemplate ? { auth: { header: p.authHeader, template: p.authTemplate } } : {}),
      headers: p.headers,
      timeout_ms: p.timeoutMs,
      enabled: p.enabled,
      ...(p.capabilities ? { capabilities: p.capabilities as ('tools' | 'images' | 'thinking' | 'json')[] } : {}),
      ...p.options,
      ...(p.quirks ? { quirks: p.quirks } : {}),
    }
    // The export writes a preset entry as it is meant to be written: the preset and only what differs from it.
    const preset = lossless && p.preset ? presetById(p.preset) : undefined
    return preset ? presetShaped(full, preset) : full
  })
  const models = cfg.models.map((m) => {
    sources[`model:${m.name}`] = m.source
    return { name: m.name, targets: m.targets, fallbacks: m.fallbacks, enabled: m.enabled, ...declaredExtensions(m) } as ConfigFile['models'][number]
  })
  const routes = cfg.routes.map((r) => {
    sources[`route:${r.name}`] = r.source
    return {
      name: r.name,
      match: { [r.matchType]: r.pattern } as ConfigFile['routes'][number]['match'],
      provider: r.providerId,
      model: r.modelTemplate,
      priority: r.priority,
      enabled: r.enabled,
      ...declaredExtensions(r),
    }
  })
  const client_keys = cfg.clientKeys.map((c): ClientKey => {
    sources[`client_key:${c.name}`] = c.source
    const opt = <T>(k: string, v: T | null) => (v === null ? {} : { [k]: v })
    return {
      name: c.name,
      key: c.hint,
      key_hash: c.keyHash,
      ...opt('owner', c.owner),
      ...opt('models', c.models),
      enabled: c.enabled,
      ...opt('expires_at', c.expiresAt),
      ...opt('rpm', c.rpm),
      ...opt('tpm', c.tpm),
      ...opt('day_tokens', c.dayTokens),
      ...opt('month_tokens', c.monthTokens),
      ...opt('day_usd', c.dayUsd),
      ...opt('month_usd', c.monthUsd),
      ...declaredExtensions(c),
    }
  })
  return { providers, models, routes, ...(cfg.defaultProvider ? { default_provider: cfg.defaultProvider } : {}), client_keys, _sources: sources }
}

type ProviderEntry = ConfigFile['providers'][number]

/**
 * A preset provider as `rosetta.yaml` writes it: `id`, `preset`, its keys, and only the fields that
 * differ from what the preset and the schema's defaults supply. Importing it (or reading it from
 * the file) fills the rest from the same preset, so it round-trips exactly.
 */
function presetShaped(full: ProviderEntry, preset: Preset): ProviderEntry {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
  // What `preset: <id>` and the schema's defaults already say; every other field (including ones
  // other provider types add) is kept as it is.
  const implied: Record<string, (v: unknown) => boolean> = {
    type: (v) => v === preset.type,
    base_url: (v) => v === preset.baseUrl,
    auth: (v) => same(v, preset.auth),
    key_strategy: (v) => v === 'round-robin',
    headers: (v) => same(v, {}),
    timeout_ms: (v) => v === 600_000,
    enabled: (v) => v === true,
  }
  const out: Record<string, unknown> = { id: full.id, preset: preset.id }
  for (const [k, v] of Object.entries(full)) {
    if (k === 'id' || k === 'preset' || v === undefined) continue
    if (implied[k]?.(v)) continue
    out[k] = v
  }
  return out as unknown as ProviderEntry
}

/** `cache:` and `plugins:` as declared (issue 19); absent when not declared, so older files round-trip unchanged. */
function declaredExtensions(e: StoredExtensions): ExtensionConfig {
  return { ...(e.cache ? { cache: e.cache } : {}), ...(e.plugins?.length ? { plugins: e.plugins } : {}) }
}

/** Is this key one of our masked renderings (`sk-a…wxyz`) rather than a real key? */
export const isMasked = isMaskedSecret
