import { router } from '../init'
import { healthRouter } from './health'
import { opsRouter } from './ops'
import { keysRouter } from './keys'
import { routesRouter } from './routes'
import { authRouter } from './auth'
import { securityRouter } from './security'
import { auditRouter } from './audit'
import { clientKeysRouter } from './client-keys'

export const appRouter = router({
  health: healthRouter,
  ops: opsRouter,
  keys: keysRouter,
  routes: routesRouter,
  auth: authRouter,
  security: securityRouter,
  audit: auditRouter,
  clientKeys: clientKeysRouter,
})

export type AppRouter = typeof appRouter
