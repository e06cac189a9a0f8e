import { z } from 'zod'
import { TRPCError } from '@trpc/server'
import { operatorProcedure, router, viewerProcedure } from '../init'
import { appState, type AppState } from '../../services/app-state'
import { DEFAULT_DEBUG_MINUTES } from '../../services/ops/run-mode'
import { detailedHealth } from '../../services/ops/detailed-health'

function state(): AppState {
  const s = appState()
  if (!s) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the server is still starting' })
  return s
}

const modeInput = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('normal') }),
  z.object({
    mode: z.literal('debug'),
    /** How long debug mode lasts before it switches itself back to normal. */
    minutes: z.number().positive().max(24 * 60).default(DEFAULT_DEBUG_MINUTES),
  }),
  z.object({
    mode: z.literal('maintenance'),
    retryAfterSeconds: z.number().int().min(1).max(86_400).default(60),
    message: z.string().max(200).optional(),
  }),
])

/** Operations: the monitor page's numbers and the run mode switch (UI and CLI). */
export const opsRouter = router({
  monitor: viewerProcedure.query(() => state().ops.monitor.snapshot()),
  /** GET /health/detailed's document, for the monitor page. */
  detailed: viewerProcedure.query(() => detailedHealth(state())),
  mode: router({
    get: viewerProcedure.query(() => state().ops.mode.get()),
    set: operatorProcedure.input(modeInput).mutation(({ input }) => {
      const mode = state().ops.mode
      if (input.mode === 'debug') return mode.set('debug', { minutes: input.minutes })
      if (input.mode === 'maintenance') return mode.set('maintenance', { retryAfter: input.retryAfterSeconds, message: input.message })
      return mode.set('normal')
    }),
  }),
})
