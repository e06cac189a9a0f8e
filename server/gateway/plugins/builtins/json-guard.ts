import { z } from 'zod'
import { defineRosettaPlugin } from '../api'
import { partsText } from '../../ir'

/** How a request asked for JSON: its schema compiled (zod's JSON Schema reader), or any JSON. */
type Wanted = { schema?: z.ZodType; describe: string }

/** The answer's JSON: the text itself, or inside a ```json fence (models add one now and then). */
function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text)
  try {
    return { ok: true, value: JSON.parse(fenced ? fenced[1]! : text) }
  } catch {
    return { ok: false }
  }
}

/**
 * `json-guard`: when a request asks for JSON (`response_format` json_object / json_schema, Anthropic or
 * Gemini structured output), checks the unstreamed answer: it must parse, and match the request's schema
 * when there is one. A failing answer is asked for once more (one more upstream call); if that one fails
 * too it goes to the client as it is and the log row says so. Streamed answers are not checked (their
 * bytes are out before the end is known). `with: { retry: false }` only reports.
 */
export default defineRosettaPlugin({
  name: 'json-guard',
  onRequest(req, ctx) {
    const f = req.responseFormat
    if (!f || f.type === 'text' || req.stream) return
    let wanted: Wanted = { describe: 'JSON' }
    if (f.type === 'json-schema') {
      try {
        wanted = { schema: z.fromJSONSchema(f.schema as Parameters<typeof z.fromJSONSchema>[0]), describe: `JSON matching the schema${f.name ? ` '${f.name}'` : ''}` }
      } catch (e) {
        ctx.warn(`the request's schema could not be read (${(e as Error).message}); only checking that the answer parses`)
      }
    }
    ctx.state.wanted = wanted
  },
  onResponse(res, ctx) {
    const wanted = ctx.state.wanted as Wanted | undefined
    if (!wanted || res.finish.unified === 'tool-calls') return
    const parsed = parseJson(partsText(res.parts))
    let problem: string | undefined
    if (!parsed.ok) problem = 'the answer is not JSON'
    else if (wanted.schema) {
      const r = wanted.schema.safeParse(parsed.value)
      if (!r.success) problem = `the answer does not match the schema: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`.slice(0, 300)
    }
    if (!problem) return
    if (ctx.options.retry !== false && !ctx.state.retried) {
      ctx.state.retried = true
      return { retry: problem }
    }
    ctx.warn(`${problem}; sent as it is (wanted ${wanted.describe})`)
  },
})
