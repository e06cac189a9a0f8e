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

export const appRouter = router({
  health: healthRouter,
  ops: opsRouter,
  keys: keysRouter,
  routes: routesRouter,
  providers: providersRouter,
  models: modelsRouter,
  config: configRouter,
  embeddings: embeddingsRouter,
  logs: logsRouter,
  stats: statsRouter,
  prices: pricesRouter,
})

export type AppRouter = typeof appRouter
