import { defineRosettaPlugin } from '../api'
import { compiledOnce, strings } from './options'

const compile = compiledOnce((o) => {
  const set: Record<string, string> = {}
  if (o.set !== undefined) {
    if (typeof o.set !== 'object' || o.set === null || Array.isArray(o.set)) throw new Error('with.set must be a map of header name to value')
    for (const [k, v] of Object.entries(o.set)) {
      if (typeof v !== 'string') throw new Error(`with.set.${k} must be a string`)
      set[k.toLowerCase()] = v
    }
  }
  return { set, remove: strings(o.remove, 'remove').map((h) => h.toLowerCase()) }
})

/** `headers`: adds or replaces (`set: {name: value}`) and removes (`remove: [name]`) headers on the upstream call. */
export default defineRosettaPlugin({
  name: 'headers',
  onRequest(_req, ctx) {
    const c = compile(ctx.options)
    for (const h of c.remove) ctx.upstreamHeaders[h] = null
    Object.assign(ctx.upstreamHeaders, c.set)
  },
})
