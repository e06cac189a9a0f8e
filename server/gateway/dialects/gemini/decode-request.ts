import type { DecodeRequestContext } from '../../codec'
import type { IRRequest, IRWarning } from '../../ir'
import { invalidRequest } from '../../errors'
import { decodeMessages, decodeSystem } from './decode-messages'
import { decodeGenerationConfig, decodeToolConfig, decodeTools } from './decode-config'
import { isRecord, type Json } from './wire'

const HANDLED = new Set(['model', 'contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig'])

/**
 * A Gemini generateContent body → IR. Model and streaming come from the URL path
 * (`models/{model}:generateContent` / `:streamGenerateContent`), passed in `ctx`; `body.model` is ignored.
 *
 * `extras.gemini` is always set (possibly empty): besides carrying safetySettings, cachedContent,
 * labels, non-function tools and generationConfig leftovers, it tells the encoder the request came from
 * a Gemini client, so defaults the client did not ask for (e.g. includeThoughts) are not added.
 */
export function decodeRequest(body: unknown, ctx: DecodeRequestContext = {}): IRRequest {
  if (!isRecord(body)) throw invalidRequest('request body must be a JSON object')
  const warnings: IRWarning[] = []
  const model = (ctx.model ?? '').replace(/^models\//, '')
  const req: IRRequest = {
    model,
    stream: ctx.stream ?? false,
    system: decodeSystem(body.systemInstruction, warnings),
    messages: decodeMessages(body.contents, warnings),
  }

  const extras: Json = {}
  for (const [k, v] of Object.entries(body)) if (!HANDLED.has(k)) extras[k] = v

  const tools = decodeTools(body.tools, warnings)
  if (tools.tools) req.tools = tools.tools
  if (tools.otherTools.length > 0) extras.tools = tools.otherTools
  if (tools.jsonSchemaTools.length > 0) extras.$jsonSchemaTools = tools.jsonSchemaTools
  if (Object.keys(tools.declarationExtras).length > 0) extras.$declarationExtras = tools.declarationExtras

  const tc = decodeToolConfig(body.toolConfig)
  if (tc.toolChoice) req.toolChoice = tc.toolChoice
  if (tc.leftovers) extras.toolConfig = tc.leftovers

  const gc = decodeGenerationConfig(body.generationConfig)
  Object.assign(req, gc.fields)
  if (gc.leftovers) extras.generationConfig = gc.leftovers
  if (gc.useResponseJsonSchema) extras.$useResponseJsonSchema = true

  req.extras = { gemini: extras }
  if (warnings.length > 0) req.warnings = warnings
  return req
}
