// https://nuxt.com/docs/api/configuration/nuxt-config
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Baked in at build time so /health/detailed and /metrics report the version that was built.
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  // Pages, components and composables live at the project root, not in Nuxt 4's default app/.
  srcDir: '.',
  // Build into the project (not node_modules/.cache), so worktrees sharing node_modules never collide.
  buildDir: '.nuxt',
  serverDir: 'server',
  devtools: { enabled: false },
  telemetry: false,
  // @nuxt/eslint generates the flat config eslint.config.mjs extends (at `nuxt prepare`); lint only, nothing at run time.
  modules: ['@element-plus/nuxt', '@nuxt/eslint', '~~/modules/log-encoder-worker'],
  // No stylistic rules: formatting is not linted (a mass reformat would make parallel branches unmergeable).
  eslint: { config: { stylistic: false } },
  elementPlus: { importStyle: 'css' },
  // Site-wide admin styles kept in their own files (one concern each).
  css: ['~/assets/responsive-tables.css', '~/assets/a11y-contrast.css', 'element-plus/theme-chalk/dark/css-vars.css', '~/assets/dark-mode.css'],
  build: { transpile: ['trpc-nuxt'] },
  // The admin is a client-rendered SPA; the public API is plain Nitro routes.
  routeRules: {
    '/': { redirect: '/admin' },
    '/admin/**': { ssr: false },
  },
  // Every key here can be set by its NUXT_* variable; validated once at boot (server/utils/settings.ts).
  runtimeConfig: {
    dbPath: './data/rosetta.duckdb',
    // NUXT_DATABASE_URL=postgres://user:pass@host:5432/db: every table in PostgreSQL instead (cluster mode; needs NUXT_MASTER_KEY).
    databaseUrl: '',
    // NUXT_REDIS_URL=redis://host:6379: shared state between instances (Redis 7.0+); NUXT_INSTANCE_ID names this one (default hostname:pid).
    redisUrl: '',
    instanceId: '',
    adminKey: '',
    // NUXT_ADMIN_KEY_FILE: the admin key generated at first boot goes to this file (0600), not the log.
    adminKeyFile: '',
    // NUXT_ALLOW_WEAK_ADMIN_KEY=true boots with a short/common/low-entropy NUXT_ADMIN_KEY (a warning, not a refusal).
    allowWeakAdminKey: 'false',
    masterKey: '',
    configFile: '',
    logBodies: 'true',
    maxBodyMb: 32,
    // Largest non-streamed upstream answer (MB): larger ones are a 502, the upstream connection dropped unread.
    maxResponseMb: 64,
    metricsToken: '',
    // Structured stdout log level: debug | info | warn | error.
    logLevel: 'info',
    version,
    // Upstream calls one request may make (other keys, other targets) and the time it may spend trying.
    maxAttempts: 4,
    // Seconds between active provider probes (each provider's model list endpoint); 0 turns them off.
    probeIntervalS: 60,
    deliveryDeadlineMs: 120_000,
    // The longest a request waits for an upstream's retry-after before answering the 429 (ms).
    retryWaitMaxMs: 10_000,
    // The longest silence inside an upstream stream before it counts as a failure (ms; 0: none).
    streamIdleTimeoutMs: 300_000,
    // The embedding cache in DuckDB (NUXT_EMBED_CACHE=false turns it off).
    embedCache: 'true',
    embedCacheTtlH: 168,
    embedCacheMaxRows: 200_000,
    // The exact response cache (used only where rosetta.yaml turns it on) and its size bound; plugin modules (issue 19).
    responseCache: 'true',
    responseCacheMaxMb: 256,
    pluginsDir: '',
    // Request log: per-body cap (KB), retention (days) for metadata and bodies, database size cap (MB, 0: none), queue bound.
    logBodyMaxKb: 64,
    logRetentionDays: 90,
    logBodyRetentionDays: 7,
    logMaxDbMb: 4096,
    logQueueMax: 50_000,
    // NUXT_LOG_ENCODER_THREAD=false encodes log rows on the event loop instead of a worker thread (issue 22).
    logEncoderThread: 'true',
    // Free MB the data folder must keep: below it the log pauses and configuration is read-only (issue 21).
    dbMinFreeMb: 64,
    // Security (issue 5): NUXT_OLD_MASTER_KEY re-encrypts stored keys at boot; NUXT_CORS_ORIGINS opens /v1 to browsers.
    oldMasterKey: '',
    corsOrigins: '',
  },
  nitro: {
    // DuckDB's native binding must stay external; Nitro traces it into .output/server/node_modules.
    externals: { external: ['@duckdb/node-api', '@duckdb/node-bindings'] },
  },
  typescript: { strict: true },
  hooks: {
    // Production builds for Node use our entry: Nitro's node-server one, except that it listens only
    // once the boot succeeded (see the file). `nuxt dev` and other presets keep their own.
    'nitro:config'(config) {
      const preset = process.env.NITRO_PRESET || config.preset
      if (!config.dev && (!preset || preset === 'node-server' || preset === 'node')) config.entry = fileURLToPath(new URL('./server/entry/index.ts', import.meta.url))
    },
  },
})
