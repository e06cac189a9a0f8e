import { defineRosettaPlugin } from '../api'
import { compiledOnce, optionalNumber } from './options'

const compile = compiledOnce((o) => {
  const max = optionalNumber(o.max, 'max')
  const dflt = optionalNumber(o.default, 'default')
  if (max === undefined && dflt === undefined) throw new Error('max-tokens needs with.max (a cap) and/or with.default (when the client sets none)')
  return { max, dflt }
})

/** `max-tokens`: caps the output-token limit (`max`) and/or sets one when the client gave none (`default`). */
export default defineRosettaPlugin({
  name: 'max-tokens',
  onRequest(req, ctx) {
    const c = compile(ctx.options)
    if (req.maxTokens === undefined && c.dflt !== undefined) req.maxTokens = c.dflt
    if (c.max !== undefined && (req.maxTokens === undefined || req.maxTokens > c.max)) req.maxTokens = c.max
    return req
  },
})
