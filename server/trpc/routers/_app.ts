import { router } from '../init'
import { healthRouter } from './health'
import { opsRouter } from './ops'
import { keysRouter } from './keys'
import { routesRouter } from './routes'
import { embeddingsRouter } from './embeddings'

export const appRouter = router({
  health: healthRouter,
  ops: opsRouter,
  keys: keysRouter,
  routes: routesRouter,
  embeddings: embeddingsRouter,
})

export type AppRouter = typeof appRouter
