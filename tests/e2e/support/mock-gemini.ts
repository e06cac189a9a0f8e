/**
 * Gemini's wire facts the mock upstream needs (also behind Vertex AI's Google publisher): the model
 * and streaming read from the path, and the endpoints beside chat (`/gemini/v1beta/models`,
 * `:batchEmbedContents`, `:countTokens`).
 */
import type { ServerResponse } from 'node:http'
import type { DialectName } from '../../../server/gateway/ir'
import { endpointFault, mockVector, sendJson } from './mock-answers'

/** What Gemini's model list offers. */
export const GEMINI_MODELS = ['gm-gemini-listed', 'gm-embedding-listed']

/** `…/models/{model}:{method}`: the model is one path segment, decoded once (an encoded %2F or %3A belongs to the name). */
export function modelFromPath(pathname: string): { model: string; stream: boolean } {
  const m = /models\/([^/:]+):(\w+)$/.exec(pathname)
  return { model: m ? decodeURIComponent(m[1]!) : '', stream: m?.[2] === 'streamGenerateContent' || m?.[2] === 'streamRawPredict' }
}

/** Answers `GET …/models`, `:batchEmbedContents` and `:countTokens`; false for any other request. */
export function geminiEndpoint(d: DialectName, method: string, path: string, body: any, key: string, res: ServerResponse): boolean {
  if (method === 'GET' && path.endsWith('/models')) {
    const models = GEMINI_MODELS.map((id) => ({
      name: `models/${id}`,
      displayName: `Gemini ${id}`,
      supportedGenerationMethods: id.includes('embedding') ? ['embedContent'] : ['generateContent', 'countTokens'],
    }))
    return sendJson(res, 200, { models })
  }
  const gm = /models\/([^/:]+):(batchEmbedContents|countTokens)$/.exec(path)
  if (!gm) return false
  if (endpointFault(d, decodeURIComponent(gm[1]!), key, res)) return true
  if (gm[2] === 'countTokens') return sendJson(res, 200, { totalTokens: 23, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 23 }] })
  const embeddings = body.requests.map((r: any) => ({ values: mockVector(r.content.parts.map((p: any) => p.text).join('\n'), r.outputDimensionality) }))
  return sendJson(res, 200, { embeddings })
}
