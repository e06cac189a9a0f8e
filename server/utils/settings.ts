import { z } from 'zod'
import { LOG_LEVELS } from './logger'
import { isPlaceholderSecret } from '../../shared/schemas/config-file'
import { weakAdminKeyReason } from '../services/security/weak-admin-key'

/**
 * The validated runtime settings. Defaults live in nuxt.config.ts `runtimeConfig`; every key can be
 * set by its NUXT_* variable. Validated once at boot: a bad value stops the server with its name.
 */
/** A secret setting: unset is fine (generated or off), an obvious placeholder copied from an example is not. */
const secret = z.string().refine((k) => !isPlaceholderSecret(k), 'is a placeholder, not a secret: set a long random value (e.g. `openssl rand -hex 24`) or leave it unset')

const boolish = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1')

export const settingsSchema = z.object({
  dbPath: z.string().min(1),
  /**
   * NUXT_DATABASE_URL: `postgres://…` puts every table in PostgreSQL (15+) instead of the DuckDB file
   * at dbPath, and nothing is written to a local data folder (cluster mode: NUXT_MASTER_KEY required).
   */
  databaseUrl: z
    .string()
    .default('')
    .refine((u) => u === '' || /^postgres(ql)?:\/\//.test(u), 'must be a postgres://user:password@host:port/database URL (or unset for the embedded DuckDB)'),
  /**
   * NUXT_REDIS_URL: `redis://…` (Redis 7.0+) shares key rests, circuits, client-key limits, the login
   * guard, sessions and configuration changes between instances (docs/cluster.md). Empty: in memory.
   */
  redisUrl: z
    .string()
    .default('')
    .refine((u) => u === '' || /^rediss?:\/\//.test(u), 'must be a redis://[:password@]host:port[/db] URL (or unset for in-memory state)'),
  /** NUXT_INSTANCE_ID: this instance's name on its log lines, metrics and /health/detailed; empty: hostname:pid. */
  instanceId: z.string().max(100).default(''),
  adminKey: secret,
  /** Where the admin key generated at first boot is written (mode 0600) instead of the log; empty: the log. */
  adminKeyFile: z.string().default(''),
  /** Boot with a weak NUXT_ADMIN_KEY anyway (a warning instead of a refusal): test boxes only. */
  allowWeakAdminKey: boolish.default(false),
  masterKey: z.string(),
  configFile: z.string(),
  logBodies: boolish,
  maxBodyMb: z.coerce.number().positive().max(1024),
  /** Largest non-streamed upstream answer held in memory (and largest single stream event), MB. */
  maxResponseMb: z.coerce.number().positive().max(4096).default(64),
  metricsToken: secret,
  logLevel: z.enum(LOG_LEVELS).default('info'),
  /** package.json's version, put into runtimeConfig at build time by nuxt.config.ts. */
  version: z.string().default('dev'),
  maxAttempts: z.coerce.number().int().min(1).max(20),
  /** Seconds between active provider probes (model list endpoints); 0 turns them off. */
  probeIntervalS: z.coerce.number().int().min(0).default(60),
  deliveryDeadlineMs: z.coerce.number().int().min(1000),
  /** The longest a request waits for an upstream's retry-after (then sends again) before answering the 429. */
  retryWaitMaxMs: z.coerce.number().int().min(0).default(10_000),
  /** The longest silence inside an upstream stream before it counts as a failure (0: none). */
  streamIdleTimeoutMs: z.coerce.number().int().min(0).default(300_000),
  /** The embedding cache: on by default; entries live this many hours, at most this many rows. */
  embedCache: boolish.default(true),
  embedCacheTtlH: z.coerce.number().positive().default(168),
  embedCacheMaxRows: z.coerce.number().int().min(1).default(200_000),
  // The exact response cache and plugins (issue 19): the cache is used only where rosetta.yaml turns it on.
  responseCache: boolish.default(true),
  responseCacheMaxMb: z.coerce.number().positive().max(1_048_576).default(256),
  /** A folder of plugin modules (*.mjs) loaded at boot and on config reload; empty: built-ins only. */
  pluginsDir: z.string().default(''),
  // The request log (issue 4): body cap, retention by age and by database size, queue bound.
  logBodyMaxKb: z.coerce.number().int().min(1).max(10_240).default(64),
  logRetentionDays: z.coerce.number().positive().max(3650).default(90),
  logBodyRetentionDays: z.coerce.number().positive().max(3650).default(7),
  logMaxDbMb: z.coerce.number().int().min(0).default(4096),
  logQueueMax: z.coerce.number().int().min(1).default(50_000),
  /** Encode log rows on a worker thread (the built server); false: on the event loop, at each flush. */
  logEncoderThread: boolish.default(true),
  /** Below this many free MB in the data folder the request log pauses and configuration is read-only. */
  dbMinFreeMb: z.coerce.number().min(0).default(64),
  /** The previous master key, for one boot: stored upstream keys are re-encrypted under the new one. */
  oldMasterKey: z.string().default(''),
  /** Origins allowed to call the /v1 API from a browser: comma-separated, or `*`. Empty: none. */
  corsOrigins: z.string().default(''),
})

export type Settings = z.infer<typeof settingsSchema>

export function parseSettings(raw: unknown): Settings {
  const r = settingsSchema.safeParse(raw)
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  NUXT_${String(i.path[0]).replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}: ${i.message}`)
    throw new Error(`Invalid settings:\n${lines.join('\n')}`)
  }
  if (r.data.databaseUrl && !r.data.masterKey)
    throw new Error(
      'Invalid settings:\n  NUXT_MASTER_KEY: required with NUXT_DATABASE_URL: every instance must encrypt upstream keys with the same key, and nothing is written to a local data folder (e.g. `openssl rand -base64 32`)',
    )
  const weak = r.data.adminKey ? weakAdminKeyReason(r.data.adminKey) : undefined
  if (weak && !r.data.allowWeakAdminKey)
    throw new Error(
      `Invalid settings:\n  NUXT_ADMIN_KEY: too weak: ${weak}. Use a long random key (e.g. \`openssl rand -base64 32\`), ` +
        'or leave it unset to have one generated; NUXT_ALLOW_WEAK_ADMIN_KEY=true boots anyway (test boxes only)',
    )
  return r.data
}
