/** Anthropic's endpoints beside chat as the mock upstream plays them (`/anthropic/v1/models`, `messages/count_tokens`). */
import type { ServerResponse } from 'node:http'
import type { DialectName } from '../../../server/gateway/ir'
import { endpointFault, sendJson } from './mock-answers'

/** What Anthropic's model list offers. */
export const ANTHROPIC_MODELS = ['an-claude-listed']

/** Answers `GET …/models` and `POST …/messages/count_tokens`; false for any other request. */
export function anthropicEndpoint(d: DialectName, method: string, path: string, body: any, key: string, res: ServerResponse): boolean {
  if (method === 'GET' && path.endsWith('/models')) {
    const data = ANTHROPIC_MODELS.map((id) => ({ type: 'model', id, display_name: `Claude ${id}`, created_at: '2025-05-14T00:00:00Z' }))
    return sendJson(res, 200, { data, has_more: false })
  }
  if (!path.endsWith('/messages/count_tokens')) return false
  return endpointFault(d, String(body?.model), key, res) || sendJson(res, 200, { input_tokens: 17 })
}
