import { parseSettings } from '../utils/settings'
import { logger, setLogLevel } from '../utils/logger'
import { weakAdminKeyReason } from '../services/security/weak-admin-key'
import { startApp, stopApp } from '../services/app-state'
import { closeUpstreams } from '../gateway/upstream/client'

/**
 * Boot: validate settings, open DuckDB (migrations), load the master and admin keys, apply
 * rosetta.yaml, build the routing snapshot. Any failure stops the process with a clear message.
 */
export default defineNitroPlugin((nitroApp) => {
  let settings
  try {
    settings = parseSettings(useRuntimeConfig())
    setLogLevel(settings.logLevel)
    const weak = settings.adminKey ? weakAdminKeyReason(settings.adminKey) : undefined
    if (weak) logger.warn(`NUXT_ADMIN_KEY is weak (${weak}); booting only because NUXT_ALLOW_WEAK_ADMIN_KEY=true`)
  } catch (e) {
    console.error((e as Error).message)
    process.exit(1)
  }
  startApp(settings).then(
    (s) => {
      const host = process.env.HOST || process.env.NITRO_HOST || '0.0.0.0'
      const port = process.env.PORT || process.env.NITRO_PORT || '3000'
      const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host
      console.log(`Rosetta is ready: admin UI at http://${shown}:${port}/admin (database ${s.db.path})`)
      if (s.configFile) console.log(`Configuration applied from ${s.configFile}`)
      if (s.adminKey.generated) {
        console.log(`\nA new admin key was generated. It is shown only this once; store it safely:\n\n  ${s.adminKey.generated}\n`)
      }
    },
    (e) => {
      console.error(`Rosetta could not start: ${(e as Error).message}`)
      process.exit(1)
    },
  )
  nitroApp.hooks.hook('close', async () => {
    await stopApp()
    await closeUpstreams()
  })
})
