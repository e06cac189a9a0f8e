import { parseSettings } from '../utils/settings'
import { logger, setLogLevel } from '../utils/logger'
import { weakAdminKeyReason } from '../services/security/weak-admin-key'
import { startApp, stopApp } from '../services/app-state'
import { closeUpstreams } from '../gateway/upstream/client'
import { markBooted } from '../services/boot-gate'
import { announceAdminKey } from '../services/security/admin-key-file'
import { setMaxResponseBytes } from '../gateway/upstream/response-limit'
import { redactUrl } from '../services/db/postgres/pg-database'

/**
 * Boot: validate settings, open DuckDB (migrations), load the master and admin keys, apply
 * rosetta.yaml, build the routing snapshot. Any failure stops the process with a clear message; the
 * server entry listens only after this succeeded (services/boot-gate.ts). Every line is a JSON line.
 */
export default defineNitroPlugin((nitroApp) => {
  let settings
  try {
    settings = parseSettings(useRuntimeConfig())
    setLogLevel(settings.logLevel)
    setMaxResponseBytes(Math.round(settings.maxResponseMb * 1024 * 1024))
    const weak = settings.adminKey ? weakAdminKeyReason(settings.adminKey) : undefined
    if (weak) logger.warn(`NUXT_ADMIN_KEY is weak (${weak}); booting only because NUXT_ALLOW_WEAK_ADMIN_KEY=true`)
  } catch (e) {
    logger.error(`Rosetta could not start: ${(e as Error).message}`)
    process.exit(1)
  }
  const adminKeyFile = settings.adminKeyFile
  startApp(settings).then(
    (s) => {
      if (s.configFile && !s.configError) logger.info('configuration applied', { file: s.configFile })
      if (s.configError) logger.error('configuration file not applied', { error: s.configError.message })
      if (s.snapshot.clientKeys.size === 0)
        logger.info('no client keys yet: apps need one to call /v1. Create one with `rosetta client-keys add <name>`, in the admin UI (Client keys), or under client_keys in rosetta.yaml')
      if (s.adminKey.generated) announceAdminKey(s.adminKey.generated, adminKeyFile)
      markBooted({ database: s.duck?.path ?? redactUrl(settings.databaseUrl) })
    },
    (e) => {
      logger.error(`Rosetta could not start: ${(e as Error).message}`)
      process.exit(1)
    },
  )
  nitroApp.hooks.hook('close', async () => {
    await stopApp()
    await closeUpstreams()
  })
})
