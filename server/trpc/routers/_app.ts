import { router } from '../init'
import { healthRouter } from './health'
import { opsRouter } from './ops'
import { keysRouter } from './keys'
import { routesRouter } from './routes'
import { providersRouter } from './providers'
import { modelsRouter } from './models'
import { configRouter } from './config'
import { embeddingsRouter } from './embeddings'
import { logsRouter } from './logs'
import { statsRouter } from './stats'
import { pricesRouter } from './prices'
import { authRouter } from './auth'
import { securityRouter } from './security'
import { auditRouter } from './audit'
import { clientKeysRouter } from './client-keys'
import { providerTestRouter } from './provider-test'
import { responseCacheRouter } from './response-cache'

export const appRouter = router({
  health: healthRouter,
  ops: opsRouter,
  keys: keysRouter,
  routes: routesRouter,
  providers: router({ ...providersRouter._def.record, ...providerTestRouter._def.record }),
  models: modelsRouter,
  config: configRouter,
  embeddings: embeddingsRouter,
  logs: logsRouter,
  stats: statsRouter,
  prices: pricesRouter,
  auth: authRouter,
  security: securityRouter,
  audit: auditRouter,
  clientKeys: clientKeysRouter,
  responseCache: responseCacheRouter,
})

export type AppRouter = typeof appRouter
