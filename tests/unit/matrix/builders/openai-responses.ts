/** Request bodies an OpenAI Responses client (openai SDK `responses.create`, Codex) would send, one per case. */
import { wrapSignature } from '../../../../server/gateway/ir'
import * as S from './shared'

const req = (body: Record<string, unknown>, stream = false): S.ClientRequest => ({
  body: { model: S.MODEL, store: false, ...body, ...(stream ? { stream: true } : {}) },
  ctx: { model: S.MODEL, stream },
})
const weatherTool = { type: 'function', name: 'get_weather', description: 'Current weather', parameters: S.WEATHER_SCHEMA }
const timeTool = { type: 'function', name: 'get_time', parameters: S.TIME_SCHEMA }
const user = (content: unknown) => ({ type: 'message', role: 'user', content })
const call = (id: string, name: string, a: unknown) => ({ type: 'function_call', call_id: id, name, arguments: JSON.stringify(a) })
const output = (id: string, out: string) => ({ type: 'function_call_output', call_id: id, output: out })
const said = (text: string) => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] })

export const openaiResponsesRequests: S.RequestBuilders = {
  // The Responses API has no stop sequences: the text case carries everything else.
  text: () => req({ instructions: S.SYSTEM, input: [user(S.USER)], temperature: 0.5, max_output_tokens: 256 }),
  stream: () => req({ input: [user([{ type: 'input_text', text: S.USER }])] }, true),
  tools: () => req({ input: S.USER, tools: [weatherTool], tool_choice: { type: 'function', name: 'get_weather' } }),
  'tool-result': () =>
    req({
      input: [user(S.USER), call('call_w1', 'get_weather', S.WEATHER_ARGS), output('call_w1', S.WEATHER_RESULT)],
      tools: [weatherTool],
    }),
  'parallel-tool-results': () =>
    req({
      input: [
        user(S.USER),
        said('Checking both.'),
        call('call_w1', 'get_weather', S.WEATHER_ARGS),
        call('call_t2', 'get_time', S.TIME_ARGS),
        output('call_w1', S.WEATHER_RESULT),
        output('call_t2', S.TIME_RESULT),
        user(S.FOLLOW_UP),
      ],
      tools: [weatherTool, timeTool],
    }),
  images: () =>
    req({
      input: [
        user([
          { type: 'input_text', text: 'Describe these.' },
          { type: 'input_image', image_url: `data:image/png;base64,${S.PNG_B64}` },
          { type: 'input_image', image_url: S.IMAGE_URL },
        ]),
      ],
    }),
  // Codex style: reasoning items echoed back without ids, encrypted_content carrying the signature.
  thinking: (upstream) =>
    req({
      input: [
        user(S.USER),
        {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: S.REASONING_OWN }],
          encrypted_content: wrapSignature(S.ownSignature(upstream), 'openai-responses'),
        },
        {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: S.REASONING_FOREIGN }],
          encrypted_content: wrapSignature(S.foreignSignature(upstream), 'openai-responses'),
        },
        said(S.ANSWER),
        user(S.FOLLOW_UP),
      ],
      reasoning: { effort: 'high' },
      include: ['reasoning.encrypted_content'],
    }),
  structured: () =>
    req({
      input: 'Extract: Ann is 31.',
      text: { format: { type: 'json_schema', name: 'person', schema: S.PERSON_SCHEMA, strict: true } },
    }),
}
