import type { SSEMessage } from '../codec'
import type { DialectName } from '../ir'

/**
 * Did the upstream send its own terminal event? Decoders close every stream cleanly at end() (a
 * `finish` is synthesized when none came), so only the raw frames tell a complete stream from a
 * truncated one: OpenAI Chat `[DONE]` or a `finish_reason`, Anthropic `message_stop`, Responses
 * `response.completed` / `incomplete` / `failed`, Gemini a `finishReason`. Checked on each frame only
 * until the first match.
 */
const CHAT_FINISH = /"finish_reason"\s*:\s*"/
const ANTHROPIC_STOP = /"type"\s*:\s*"message_stop"/
const RESPONSES_DONE = /"type"\s*:\s*"response\.(?:completed|incomplete|failed)"/
const GEMINI_FINISH = /"finishReason"\s*:\s*"/

export function isTerminal(dialect: DialectName, msg: SSEMessage): boolean {
  switch (dialect) {
    case 'openai-chat':
      return msg.data === '[DONE]' || CHAT_FINISH.test(msg.data)
    case 'anthropic':
      return msg.event === 'message_stop' || ANTHROPIC_STOP.test(msg.data)
    case 'openai-responses':
      return msg.event === 'response.completed' || msg.event === 'response.incomplete' || msg.event === 'response.failed' || RESPONSES_DONE.test(msg.data)
    case 'gemini':
      return GEMINI_FINISH.test(msg.data)
  }
}
