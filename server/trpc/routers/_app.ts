import { router } from '../init'
import { healthRouter } from './health'
import { opsRouter } from './ops'
import { keysRouter } from './keys'
import { routesRouter } from './routes'
import { logsRouter } from './logs'
import { statsRouter } from './stats'
import { pricesRouter } from './prices'

export const appRouter = router({
  health: healthRouter,
  ops: opsRouter,
  keys: keysRouter,
  routes: routesRouter,
  logs: logsRouter,
  stats: statsRouter,
  prices: pricesRouter,
})

export type AppRouter = typeof appRouter
