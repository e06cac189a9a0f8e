/** OpenAI's endpoints beside chat as the mock upstream plays them (`/openai/v1/models`, `/openai/v1/embeddings`). */
import type { ServerResponse } from 'node:http'
import type { DialectName } from '../../../server/gateway/ir'
import { endpointFault, mockVector, sendJson } from './mock-answers'

/** What OpenAI's model list offers (the gateway lists only what routing would reach). */
export const OPENAI_MODELS = ['oa-gpt-listed', 'an-misrouted', 'unrouted-model', 'oa-text-embedding']

/** Answers `GET …/models` and `POST …/embeddings`; false for any other request. */
export function openaiEndpoint(d: DialectName, method: string, path: string, body: any, key: string, res: ServerResponse): boolean {
  if (method === 'GET' && path.endsWith('/models')) {
    return sendJson(res, 200, { object: 'list', data: OPENAI_MODELS.map((id) => ({ id, object: 'model', created: 1_712_000_000, owned_by: 'mock' })) })
  }
  if (!path.endsWith('/embeddings')) return false
  if (endpointFault(d, String(body?.model), key, res)) return true
  const inputs: unknown[] = Array.isArray(body.input) && typeof body.input[0] !== 'number' ? body.input : [body.input]
  const data = inputs.map((x, index) => ({ object: 'embedding', index, embedding: mockVector(typeof x === 'string' ? x : JSON.stringify(x), body.dimensions) }))
  return sendJson(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: inputs.length * 3, total_tokens: inputs.length * 3 } })
}
