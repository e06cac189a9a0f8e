import { z } from 'zod'
import { TRPCError } from '@trpc/server'
import { request } from 'undici'
import { operatorProcedure, router } from '../init'
import { requireState } from '../errors'
import { upstreamHeaders } from '../../gateway/upstream/auth-headers'

/** How long "test connection" waits: a person is watching a spinner. */
const TEST_TIMEOUT_MS = 10_000

/** Model ids from any vendor's list shape: OpenAI/Anthropic `data[].id`, Gemini `models[].name`. */
function modelIds(body: unknown): string[] {
  const b = body as { data?: Array<{ id?: string }>; models?: Array<{ name?: string }> } | null
  if (Array.isArray(b?.data)) return b.data.map((m) => String(m.id ?? '')).filter(Boolean)
  if (Array.isArray(b?.models)) return b.models.map((m) => String(m.name ?? '').replace(/^models\//, '')).filter(Boolean)
  return []
}

/**
 * "Test connection": one GET of the provider's model list with one of its keys, in the provider's own
 * auth format. It never touches the key pool's state (a person testing is not traffic).
 */
export const providerTestRouter = router({
  test: operatorProcedure.input(z.object({ id: z.string(), keyId: z.number().int().optional() })).mutation(async ({ input }) => {
    const s = requireState()
    const p = s.snapshot.providers.get(input.id)
    if (!p) throw new TRPCError({ code: 'NOT_FOUND', message: `provider '${input.id}' does not exist` })
    const key = input.keyId === undefined ? p.keys[0] : p.keys.find((k) => k.id === input.keyId)
    if (!key) throw new TRPCError({ code: 'BAD_REQUEST', message: `provider '${input.id}' has no key to test with` })
    const url = `${p.baseUrl}models`
    const headers = upstreamHeaders(p, key, undefined)
    delete headers['content-type']
    const t0 = performance.now()
    try {
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
      const ids = ok ? modelIds(json) : []
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
