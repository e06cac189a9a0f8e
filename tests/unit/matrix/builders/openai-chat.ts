/** Request bodies an OpenAI Chat Completions client would send, one per case. */
import { wrapSignature } from '../../../../server/gateway/ir'
import * as S from './shared'

const req = (body: Record<string, unknown>, stream = false): S.ClientRequest => ({
  body: { model: S.MODEL, ...body, ...(stream ? { stream: true } : {}) },
  ctx: { model: S.MODEL, stream },
})
const weatherTool = { type: 'function', function: { name: 'get_weather', description: 'Current weather', parameters: S.WEATHER_SCHEMA } }
const timeTool = { type: 'function', function: { name: 'get_time', parameters: S.TIME_SCHEMA } }
const call = (id: string, name: string, a: unknown) => ({ id, type: 'function', function: { name, arguments: JSON.stringify(a) } })

export const openaiChatRequests: S.RequestBuilders = {
  text: () =>
    req({
      messages: [{ role: 'system', content: S.SYSTEM }, { role: 'user', content: S.USER }],
      temperature: 0.5,
      max_tokens: 256,
      stop: S.STOP,
    }),
  stream: () => req({ messages: [{ role: 'user', content: S.USER }], stream_options: { include_usage: true } }, true),
  tools: () =>
    req({
      messages: [{ role: 'user', content: S.USER }],
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    }),
  'tool-result': () =>
    req({
      messages: [
        { role: 'user', content: S.USER },
        { role: 'assistant', content: null, tool_calls: [call('call_w1', 'get_weather', S.WEATHER_ARGS)] },
        { role: 'tool', tool_call_id: 'call_w1', content: S.WEATHER_RESULT },
      ],
      tools: [weatherTool],
    }),
  'parallel-tool-results': () =>
    req({
      messages: [
        { role: 'user', content: S.USER },
        {
          role: 'assistant',
          content: 'Checking both.',
          tool_calls: [call('call_w1', 'get_weather', S.WEATHER_ARGS), call('call_t2', 'get_time', S.TIME_ARGS)],
        },
        { role: 'tool', tool_call_id: 'call_w1', content: S.WEATHER_RESULT },
        { role: 'tool', tool_call_id: 'call_t2', content: S.TIME_RESULT },
        { role: 'user', content: S.FOLLOW_UP },
      ],
      tools: [weatherTool, timeTool],
    }),
  images: () =>
    req({
      messages: S.userTurn([
        { type: 'text', text: 'Describe these.' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${S.PNG_B64}` } },
      { type: 'image_url', image_url: { url: S.IMAGE_URL } },
      ]),
    }),
  thinking: (upstream) =>
    req({
      messages: [
        { role: 'user', content: S.USER },
        {
          role: 'assistant',
          content: S.ANSWER,
          reasoning_content: S.REASONING_OWN + S.REASONING_FOREIGN,
          reasoning_details: [
            { type: 'reasoning.text', text: S.REASONING_OWN, signature: wrapSignature(S.ownSignature(upstream), 'openai-chat'), format: 'unknown' },
            { type: 'reasoning.text', text: S.REASONING_FOREIGN, signature: wrapSignature(S.foreignSignature(upstream), 'openai-chat'), format: 'unknown' },
          ],
        },
        { role: 'user', content: S.FOLLOW_UP },
      ],
      reasoning_effort: 'high',
    }),
  structured: () =>
    req({
      messages: [{ role: 'user', content: 'Extract: Ann is 31.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'person', schema: S.PERSON_SCHEMA, strict: true } },
    }),
}
