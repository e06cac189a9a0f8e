import { z } from 'zod'
import { TRPCError } from '@trpc/server'
import { request } from 'undici'
import { operatorProcedure, router } from '../init'
import { requireState } from '../errors'
import { upstreamHeaders } from '../../gateway/upstream/auth-headers'

/** How long "test connection" waits: a person is watching a spinner. */
const TEST_TIMEOUT_MS = 10_000

/**
 * "Test connection": one GET of the provider's model list (its transport's first page) with one of
 * its keys, in the provider's own auth format; a type with no list a key can read (Vertex AI) makes
 * its credentials instead (the token exchange). It never touches the key pool's state (a person
 * testing is not traffic).
 */
export const providerTestRouter = router({
  test: operatorProcedure.input(z.object({ id: z.string(), keyId: z.number().int().optional() })).mutation(async ({ input }) => {
    const s = requireState()
    const p = s.snapshot.providers.get(input.id)
    if (!p) throw new TRPCError({ code: 'NOT_FOUND', message: `provider '${input.id}' does not exist` })
    const key = input.keyId === undefined ? p.keys[0] : p.keys.find((k) => k.id === input.keyId)
    if (!key) throw new TRPCError({ code: 'BAD_REQUEST', message: `provider '${input.id}' has no key to test with` })
    const list = p.transport.models?.(p.options)
    const t0 = performance.now()
    try {
      const headers = await upstreamHeaders(p, key, p.dialect, undefined)
      delete headers['content-type']
      if (!list) return { ok: true, status: 200, latencyMs: Math.round(performance.now() - t0), keyHint: key.hint, modelCount: 0, models: [], error: null }
      const url = new URL(list.page(undefined), p.baseUrl)
      const res = await request(url, { method: 'GET', headers, headersTimeout: TEST_TIMEOUT_MS, bodyTimeout: TEST_TIMEOUT_MS })
      const text = await res.body.text()
      const latencyMs = Math.round(performance.now() - t0)
      let json: unknown = null
      try {
        json = JSON.parse(text)
      } catch {
        /* not JSON: reported by status alone */
      }
      const ok = res.statusCode >= 200 && res.statusCode < 300
      const ids = ok ? list.read(json).models.map((m) => m.id) : []
      return {
        ok,
        status: res.statusCode,
        latencyMs,
        keyHint: key.hint,
        modelCount: ids.length,
        models: ids.slice(0, 50),
        // The vendor's own words on failure, capped: they say why (bad key, wrong base URL...).
        error: ok ? null : text.slice(0, 500),
      }
    } catch (e) {
      return { ok: false, status: 0, latencyMs: Math.round(performance.now() - t0), keyHint: key.hint, modelCount: 0, models: [], error: (e as Error).message }
    }
  }),
})
