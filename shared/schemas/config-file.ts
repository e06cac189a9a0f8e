import { z } from 'zod'

/**
 * The `rosetta.yaml` schema (contract: docs/contract.md). Shared by the boot loader, the tRPC inputs,
 * the admin forms and the CLI. Unknown keys are rejected so a typo fails loudly with its path.
 */

export const PROVIDER_TYPES = ['openai', 'openai-responses', 'anthropic', 'gemini'] as const
export const KEY_STRATEGIES = ['round-robin', 'weighted', 'random', 'least-used', 'fill-first'] as const

/** What a target can take; a request needing more skips it (e.g. images to a text-only model). */
export const CAPABILITIES = ['tools', 'images', 'thinking', 'json'] as const
const capabilities = z.array(z.enum(CAPABILITIES)).optional()

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes')

export const providerKeySchema = z.union([
  z.string().min(1, 'a key cannot be empty'),
  z.strictObject({
    key: z.string().min(1, 'a key cannot be empty'),
    weight: z.number().int().positive().default(1),
    max_concurrency: z.number().int().positive().optional(),
    enabled: z.boolean().default(true),
    name: z.string().optional(),
  }),
])

export const providerSchema = z.strictObject({
  id,
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
})

export const targetSchema = z.strictObject({
  provider: id,
  model: z.string().min(1),
  weight: z.number().int().positive().default(1),
  capabilities,
})

export const modelEntrySchema = z.strictObject({
  name: z.string().min(1),
  targets: z.array(targetSchema).min(1, 'a model needs at least one target'),
  fallbacks: z.array(targetSchema).default([]),
  enabled: z.boolean().default(true),
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
})

export const clientKeySchema = z.strictObject({
  name: z.string().min(1),
  key: z.string().min(16, 'must be at least 16 characters').optional(),
  models: z.array(z.string().min(1)).optional(),
  rpm: z.number().int().positive().optional(),
  enabled: z.boolean().default(true),
})

export const configFileSchema = z
  .strictObject({
    providers: z.array(providerSchema).default([]),
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
    const names = new Set<string>()
    cfg.client_keys.forEach((k, i) => {
      if (names.has(k.name)) ctx.addIssue({ code: 'custom', path: ['client_keys', i, 'name'], message: `duplicate client key name '${k.name}'` })
      names.add(k.name)
    })
  })

export type ConfigFile = z.infer<typeof configFileSchema>
export type ProviderConfig = z.infer<typeof providerSchema>
export type ModelEntryConfig = z.infer<typeof modelEntrySchema>
export type RouteConfig = z.infer<typeof routeSchema>
export type RouteMatch = z.infer<typeof routeMatchSchema>
export type TargetConfig = z.infer<typeof targetSchema>
export type ClientKeyConfig = z.infer<typeof clientKeySchema>

/** One line per problem: `providers[0].base_url: Invalid URL`. */
export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`)).join('')
      return `${path || '(root)'}: ${i.message}`
    })
    .join('\n')
}
