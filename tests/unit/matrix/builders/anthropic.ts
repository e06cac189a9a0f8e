/** Request bodies an Anthropic Messages client would send, one per case. */
import { wrapSignature } from '../../../../server/gateway/ir'
import * as S from './shared'

const req = (body: Record<string, unknown>, stream = false): S.ClientRequest => ({
  body: { model: S.MODEL, max_tokens: 1024, ...body, ...(stream ? { stream: true } : {}) },
  ctx: { model: S.MODEL, stream },
})
const weatherTool = { name: 'get_weather', description: 'Current weather', input_schema: S.WEATHER_SCHEMA }
const timeTool = { name: 'get_time', input_schema: S.TIME_SCHEMA }
const use = (id: string, name: string, input: unknown) => ({ type: 'tool_use', id, name, input })
const result = (id: string, content: string) => ({ type: 'tool_result', tool_use_id: id, content })

export const anthropicRequests: S.RequestBuilders = {
  text: () =>
    req({ system: S.SYSTEM, messages: [{ role: 'user', content: S.USER }], temperature: 0.5, max_tokens: 256, stop_sequences: S.STOP }),
  stream: () => req({ messages: [{ role: 'user', content: S.USER }] }, true),
  tools: () =>
    req({ messages: [{ role: 'user', content: S.USER }], tools: [weatherTool], tool_choice: { type: 'tool', name: 'get_weather' } }),
  'tool-result': () =>
    req({
      messages: [
        { role: 'user', content: S.USER },
        { role: 'assistant', content: [use('toolu_w1', 'get_weather', S.WEATHER_ARGS)] },
        { role: 'user', content: [result('toolu_w1', S.WEATHER_RESULT)] },
      ],
      tools: [weatherTool],
    }),
  'parallel-tool-results': () =>
    req({
      messages: [
        { role: 'user', content: S.USER },
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'Checking both.' }, use('toolu_w1', 'get_weather', S.WEATHER_ARGS), use('toolu_t2', 'get_time', S.TIME_ARGS)],
        },
        {
          role: 'user',
          content: [result('toolu_w1', S.WEATHER_RESULT), result('toolu_t2', S.TIME_RESULT), { type: 'text', text: S.FOLLOW_UP }],
        },
      ],
      tools: [weatherTool, timeTool],
    }),
  images: () =>
    req({
      messages: S.userTurn([
        { type: 'text', text: 'Describe these.' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: S.PNG_B64 } },
      { type: 'image', source: { type: 'url', url: S.IMAGE_URL } },
      ]),
    }),
  thinking: (upstream) =>
    req({
      max_tokens: 32000,
      thinking: { type: 'enabled', budget_tokens: S.THINKING_BUDGET },
      messages: [
        { role: 'user', content: S.USER },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: S.REASONING_OWN, signature: wrapSignature(S.ownSignature(upstream), 'anthropic') },
            { type: 'thinking', thinking: S.REASONING_FOREIGN, signature: wrapSignature(S.foreignSignature(upstream), 'anthropic') },
            { type: 'text', text: S.ANSWER },
          ],
        },
        { role: 'user', content: S.FOLLOW_UP },
      ],
    }),
  structured: () =>
    req({
      messages: [{ role: 'user', content: 'Extract: Ann is 31.' }],
      output_config: { format: { type: 'json_schema', schema: S.PERSON_SCHEMA } },
    }),
}
