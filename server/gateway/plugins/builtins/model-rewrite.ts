import { defineRosettaPlugin } from '../api'
import { compiledOnce } from './options'

const compile = compiledOnce((o) => {
  const map = o.map ?? (typeof o.to === 'string' ? { '*': o.to } : undefined)
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new Error('model-rewrite needs with.to (one model) or with.map ({ asked: served, "*": default })')
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== 'string' || !v) throw new Error(`with.map.${k} must be a model name`)
    out.set(k, v)
  }
  return out
})

/**
 * `model-rewrite`: serves the request as another model (`to:`, or per asked model with `map:`; `*`
 * matches any). The new name is routed again; the log row keeps the name the client asked for.
 */
export default defineRosettaPlugin({
  name: 'model-rewrite',
  onRequest(req, ctx) {
    const m = compile(ctx.options)
    const to = m.get(req.model) ?? m.get('*')
    if (to) req.model = to
    return req
  },
})
