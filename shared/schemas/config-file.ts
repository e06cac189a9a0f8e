import { z } from 'zod'
import { fillFromPreset, MAX_TOKENS_FIELDS, PRESET_IDS, presetById, REASONING_FIELDS, THINKING_SWITCHES, TOOL_CHOICE_SUPPORT } from '../presets'

/**
 * The `rosetta.yaml` schema (contract: docs/contract.md). Shared by the boot loader, the tRPC inputs,
 * the admin forms and the CLI. Unknown keys are rejected so a typo fails loudly with its path.
 */

export const PROVIDER_TYPES = ['openai', 'openai-responses', 'anthropic', 'gemini', 'azure-openai', 'vertex', 'bedrock'] as const
export type ProviderType = (typeof PROVIDER_TYPES)[number]

/** The provider settings beyond `base_url` and keys that some types read (issue 18). */
export const PROVIDER_OPTIONS = ['api_version', 'project', 'location', 'region'] as const
export type ProviderOption = (typeof PROVIDER_OPTIONS)[number]

/**
 * Which of those settings each type needs and reads (an option a type does not read is refused, so a
 * misplaced `project` is not silently ignored), and whether it needs a `base_url`. Data for the
 * config check, the admin form and the CLI; the wire facts live in server/gateway/providers/.
 */
export const PROVIDER_TYPE_OPTIONS: Record<ProviderType, { requires: readonly ProviderOption[]; accepts: readonly ProviderOption[]; needsBaseUrl?: boolean }> = {
  openai: { requires: [], accepts: [] },
  'openai-responses': { requires: [], accepts: [] },
  anthropic: { requires: [], accepts: [] },
  gemini: { requires: [], accepts: [] },
  // `https://<resource>.openai.azure.com`; with api_version the deployment URLs, without it /openai/v1/.
  'azure-openai': { requires: [], accepts: ['api_version'], needsBaseUrl: true },
  // base_url is the origin, by default https://{location}-aiplatform.googleapis.com.
  vertex: { requires: ['project', 'location'], accepts: ['project', 'location'] },
  // base_url by default https://bedrock-runtime.{region}.amazonaws.com; region is the SigV4 scope either way.
  bedrock: { requires: ['region'], accepts: ['region'] },
}
export const KEY_STRATEGIES = ['round-robin', 'weighted', 'random', 'least-used', 'fill-first'] as const

/** What a target can take; a request needing more skips it (e.g. images to a text-only model). */
export const CAPABILITIES = ['tools', 'images', 'thinking', 'json'] as const
const capabilities = z.array(z.enum(CAPABILITIES)).optional()

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes')

/** A masked rendering of a secret (`sk-a…wxyz`), as exports and lists show it: never a usable key. */
export function isMaskedSecret(key: string): boolean {
  return key.includes('…')
}

/**
 * Text that is obviously a placeholder, not a secret (`replace-me`, `changeme`, `<your key>`, `rk-live-...`):
 * a copied example must not leave a working, publicly known key behind.
 */
export function isPlaceholderSecret(key: string): boolean {
  return /replace[-_ ]?me|change[-_ ]?me|placeholder|your[-_ ]?(api[-_ ]?)?key|^<.*>$|\.\.\./i.test(key)
}

/** A key's fingerprint as `config export` writes it: a short keyed hash of the secret, safe to show. */
export const keyFingerprintSchema = z.string().regex(/^[0-9a-f]{12}$/, 'must be a key fingerprint as config export writes it (12 hex characters)')

/**
 * A Google service-account key written as a YAML mapping (the fields of its JSON file): stored as
 * that JSON text, like a key given as a string. Only the fields the token exchange reads are
 * required; the rest are kept as they are.
 */
const serviceAccountKeySchema = z
  .looseObject({
    type: z.literal('service_account').optional(),
    client_email: z.string().min(1),
    private_key: z.string().min(1),
    private_key_id: z.string().min(1).optional(),
    token_uri: z.url().optional(),
  })
  .transform((sa) => JSON.stringify(sa))

/**
 * An AWS credential written as a mapping (Bedrock): stored as its JSON text, like a key given as a
 * string (`AKID:SECRET` is the short form).
 */
const awsCredentialKeySchema = z
  .strictObject({
    access_key_id: z.string().min(1),
    secret_access_key: z.string().min(1),
    session_token: z.string().min(1).optional(),
  })
  .transform((c) => JSON.stringify(c))

export const providerKeySchema = z.union([
  z.string().min(1, 'a key cannot be empty'),
  serviceAccountKeySchema,
  awsCredentialKeySchema,
  z.strictObject({
    /** The key, or its mask (`sk-a…wxyz`) meaning "keep the stored key with this fingerprint (or name)". */
    key: z.string().min(1, 'a key cannot be empty'),
    fingerprint: keyFingerprintSchema.optional(),
    weight: z.number().int().positive().default(1),
    max_concurrency: z.number().int().positive().optional(),
    enabled: z.boolean().default(true),
    name: z.string().optional(),
  }),
])

/** Quirk switches of an OpenAI-compatible upstream (shared/presets/types.ts): each one overrides the preset's. */
export const quirksSchema = z.strictObject({
  max_tokens_field: z.enum(MAX_TOKENS_FIELDS).optional(),
  thinking: z.enum(THINKING_SWITCHES).optional(),
  reasoning_field: z.enum(REASONING_FIELDS).optional(),
  stream_usage: z.boolean().optional(),
  tool_choice: z.enum(TOOL_CHOICE_SUPPORT).optional(),
})

export const providerSchema = z.strictObject({
  id,
  /** The vendor preset this entry was made from (shared/presets): it supplies type, base URL, auth and quirks. */
  preset: z
    .string()
    .refine((v) => presetById(v) !== undefined, { message: `is not a known preset (known: ${PRESET_IDS.join(', ')})` })
    .optional(),
  quirks: quirksSchema.optional(),
  type: z.enum(PROVIDER_TYPES),
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  keys: z.array(providerKeySchema).default([]),
  key_strategy: z.enum(KEY_STRATEGIES).default('round-robin'),
  auth: z
    .strictObject({
      header: z.string().min(1),
      template: z.string().includes('{key}', { message: 'must contain {key}' }),
    })
    .optional(),
  headers: z.record(z.string(), z.string()).default({}),
  timeout_ms: z.number().int().positive().default(600_000),
  enabled: z.boolean().default(true),
  capabilities,
  /** azure-openai: the `api-version` query parameter (deployment URLs); without it, Azure's /openai/v1/ paths. */
  api_version: z.string().regex(/^[0-9A-Za-z.-]+$/, 'must be an API version such as 2024-10-21').optional(),
  /** vertex: the Google Cloud project id. */
  project: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a Google Cloud project id').optional(),
  /** vertex: the region (`us-central1`, `europe-west1`, `global`). */
  location: z.string().regex(/^[a-z0-9-]+$/, 'must be a region such as us-central1').optional(),
  /** bedrock: the AWS region. */
  region: z.string().regex(/^[a-z0-9-]+$/, 'must be a region such as us-east-1').optional(),
}).superRefine((p, ctx) => {
  const facts = PROVIDER_TYPE_OPTIONS[p.type]
  for (const o of facts.requires) if (p[o] === undefined) ctx.addIssue({ code: 'custom', path: [o], message: `is required for type '${p.type}'` })
  for (const o of PROVIDER_OPTIONS) if (p[o] !== undefined && !facts.accepts.includes(o)) ctx.addIssue({ code: 'custom', path: [o], message: `is not a setting of type '${p.type}'` })
  if (facts.needsBaseUrl && !p.base_url) ctx.addIssue({ code: 'custom', path: ['base_url'], message: `is required for type '${p.type}'` })
})

export const targetSchema = z.strictObject({
  provider: id,
  model: z.string().min(1),
  weight: z.number().int().positive().default(1),
  capabilities,
})

// --- response cache and plugins (issue 19): declared on model entries, routes and client keys ---

/** The exact response cache for what this entry serves (off unless declared with enabled: true). */
export const cacheSettingSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** How long an answer is served from the cache. */
  ttl_s: z.number().int().positive().max(31_536_000).default(3600),
  /** Cache requests that set a non-zero temperature too (their answers are meant to vary: off by default). */
  any_temperature: z.boolean().default(false),
})

export const PLUGIN_FAILURE_MODES = ['open', 'closed'] as const

/** One plugin switched on: a built-in or one from NUXT_PLUGINS_DIR, by name, with its options. */
export const pluginUseSchema = z.strictObject({
  use: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a plugin name (lowercase letters, digits, dots, dashes)'),
  with: z.record(z.string(), z.unknown()).optional(),
  /** A plugin that throws or overruns its budget: 'open' goes on without it (the default), 'closed' refuses the request. */
  on_error: z.enum(PLUGIN_FAILURE_MODES).optional(),
  /** Its time budget per hook call (ms). */
  timeout_ms: z.number().int().positive().max(60_000).optional(),
})

const extensionFields = {
  cache: cacheSettingSchema.optional(),
  plugins: z.array(pluginUseSchema).optional(),
}
// --- end response cache and plugins ---

export const modelEntrySchema = z.strictObject({
  name: z.string().min(1),
  targets: z.array(targetSchema).min(1, 'a model needs at least one target'),
  fallbacks: z.array(targetSchema).default([]),
  enabled: z.boolean().default(true),
  ...extensionFields,
})

const regexString = z.string().refine(
  (s) => {
    try {
      new RegExp(s)
      return true
    } catch {
      return false
    }
  },
  { message: 'is not a valid regular expression' },
)

export const routeMatchSchema = z.union([
  z.strictObject({ exact: z.string().min(1) }),
  z.strictObject({ prefix: z.string().min(1) }),
  z.strictObject({ keyword: z.string().min(1) }),
  z.strictObject({ regex: regexString }),
])

export const routeSchema = z.strictObject({
  name: z.string().min(1),
  match: routeMatchSchema,
  provider: id,
  model: z.string().min(1).default('{model}'),
  priority: z.number().int().default(0),
  enabled: z.boolean().default(true),
  ...extensionFields,
})

const positiveInt = z.number().int().positive()

/**
 * A client key. The secret is given as `key`, or as `key_hash` (its sha256, which `config export`
 * writes: the key then works again without the secret ever being in the file). A masked `key`
 * (`rk-a…wxyz`) with no `key_hash` means "keep the stored key of this name".
 */
export const clientKeySchema = z.strictObject({
  name: z.string().min(1),
  key: z
    .string()
    .refine((k) => isMaskedSecret(k) || k.length >= 16, 'must be at least 16 characters')
    .optional(),
  key_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be the sha256 of the key in hex (64 characters), as config export writes it')
    .optional(),
  owner: z.string().min(1).max(200).optional(),
  models: z.array(z.string().min(1)).optional(),
  enabled: z.boolean().default(true),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  rpm: positiveInt.optional(),
  tpm: positiveInt.optional(),
  day_tokens: positiveInt.optional(),
  month_tokens: positiveInt.optional(),
  day_usd: z.number().positive().max(1e9).optional(),
  month_usd: z.number().positive().max(1e9).optional(),
  ...extensionFields,
})

export const configFileSchema = z
  .strictObject({
    // `preset: deepseek` stands for the preset's fields; what the entry writes itself wins.
    providers: z.array(z.preprocess(fillFromPreset, providerSchema)).default([]),
    models: z.array(modelEntrySchema).default([]),
    routes: z.array(routeSchema).default([]),
    default_provider: id.optional(),
    client_keys: z.array(clientKeySchema).default([]),
  })
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>()
    cfg.providers.forEach((p, i) => {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: ['providers', i, 'id'], message: `duplicate provider id '${p.id}'` })
      ids.add(p.id)
    })
    const known = (pid: string) => ids.has(pid)
    cfg.models.forEach((m, i) => {
      ;(['targets', 'fallbacks'] as const).forEach((k) =>
        m[k].forEach((t, j) => {
          if (!known(t.provider))
            ctx.addIssue({ code: 'custom', path: ['models', i, k, j, 'provider'], message: `unknown provider '${t.provider}'` })
        }),
      )
    })
    cfg.routes.forEach((r, i) => {
      if (!known(r.provider)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'provider'], message: `unknown provider '${r.provider}'` })
    })
    if (cfg.default_provider && !known(cfg.default_provider))
      ctx.addIssue({ code: 'custom', path: ['default_provider'], message: `unknown provider '${cfg.default_provider}'` })
    cfg.providers.forEach((p, i) =>
      p.keys.forEach((k, j) => {
        const key = typeof k === 'string' ? k : k.key
        if (isPlaceholderSecret(key))
          ctx.addIssue({
            code: 'custom',
            path: ['providers', i, 'keys', j, ...(typeof k === 'string' ? [] : ['key'])],
            message: 'is a placeholder, not a key: put the real upstream key here, or remove it',
          })
      }),
    )
    const names = new Set<string>()
    cfg.client_keys.forEach((k, i) => {
      if (names.has(k.name)) ctx.addIssue({ code: 'custom', path: ['client_keys', i, 'name'], message: `duplicate client key name '${k.name}'` })
      names.add(k.name)
      if (k.key && isPlaceholderSecret(k.key))
        ctx.addIssue({
          code: 'custom',
          path: ['client_keys', i, 'key'],
          message: `is a placeholder, not a key: put a long random secret here (e.g. from \`openssl rand -hex 24\`), or remove the line and create the key with \`rosetta client-keys add ${k.name}\``,
        })
    })
  })

export type ConfigFile = z.infer<typeof configFileSchema>
export type ProviderConfig = z.infer<typeof providerSchema>
export type ModelEntryConfig = z.infer<typeof modelEntrySchema>
export type RouteConfig = z.infer<typeof routeSchema>
export type RouteMatch = z.infer<typeof routeMatchSchema>
export type TargetConfig = z.infer<typeof targetSchema>
export type ClientKeyConfig = z.infer<typeof clientKeySchema>
export type CacheSettingConfig = z.infer<typeof cacheSettingSchema>
export type PluginUseConfig = z.infer<typeof pluginUseSchema>
/** What a model entry, route or client key may add to the requests it serves (issue 19). */
export interface ExtensionConfig {
  cache?: CacheSettingConfig
  plugins?: PluginUseConfig[]
}

/** One line per problem: `providers[0].base_url: Invalid URL`. */
export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`)).join('')
      return `${path || '(root)'}: ${i.message}`
    })
    .join('\n')
}
