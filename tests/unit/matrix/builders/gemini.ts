/** Request bodies a Gemini generateContent client would send, one per case (model/stream in the path). */
import { wrapSignature } from '../../../../server/gateway/ir'
import * as S from './shared'

const req = (body: Record<string, unknown>, stream = false): S.ClientRequest => ({ body, ctx: { model: `models/${S.MODEL}`, stream } })
const user = (...parts: unknown[]) => ({ role: 'user', parts })
const model = (...parts: unknown[]) => ({ role: 'model', parts })
const weatherDecl = { name: 'get_weather', description: 'Current weather', parameters: S.WEATHER_SCHEMA_GEMINI }
const timeDecl = { name: 'get_time', parameters: S.TIME_SCHEMA_GEMINI }

export const geminiRequests: S.RequestBuilders = {
  text: () =>
    req({
      systemInstruction: { parts: [{ text: S.SYSTEM }] },
      contents: [user({ text: S.USER })],
      generationConfig: { temperature: 0.5, maxOutputTokens: 256, stopSequences: S.STOP },
    }),
  stream: () => req({ contents: [user({ text: S.USER })] }, true),
  tools: () =>
    req({
      contents: [user({ text: S.USER })],
      tools: [{ functionDeclarations: [weatherDecl] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
    }),
  'tool-result': () =>
    req({
      contents: [
        user({ text: S.USER }),
        model({ functionCall: { name: 'get_weather', args: S.WEATHER_ARGS } }),
        user({ functionResponse: { name: 'get_weather', response: JSON.parse(S.WEATHER_RESULT) } }),
      ],
      tools: [{ functionDeclarations: [weatherDecl] }],
    }),
  'parallel-tool-results': () =>
    req({
      contents: [
        user({ text: S.USER }),
        model({ text: 'Checking both.' }, { functionCall: { name: 'get_weather', args: S.WEATHER_ARGS } }, { functionCall: { name: 'get_time', args: S.TIME_ARGS } }),
        user(
          { functionResponse: { name: 'get_weather', response: JSON.parse(S.WEATHER_RESULT) } },
          { functionResponse: { name: 'get_time', response: { result: S.TIME_RESULT } } },
          { text: S.FOLLOW_UP },
        ),
      ],
      tools: [{ functionDeclarations: [weatherDecl, timeDecl] }],
    }),
  images: () =>
    req({
      contents: [
        user(
          { text: 'Describe these.' },
          { inlineData: { mimeType: 'image/png', data: S.PNG_B64 } },
          { fileData: { mimeType: 'image/jpeg', fileUri: S.IMAGE_URL } },
        ),
      ],
    }),
  thinking: (upstream) =>
    req({
      contents: [
        user({ text: S.USER }),
        model(
          { text: S.REASONING_OWN, thought: true, thoughtSignature: wrapSignature(S.ownSignature(upstream), 'gemini') },
          { text: S.REASONING_FOREIGN, thought: true, thoughtSignature: wrapSignature(S.foreignSignature(upstream), 'gemini') },
          { text: S.ANSWER },
        ),
        user({ text: S.FOLLOW_UP }),
      ],
      generationConfig: { thinkingConfig: { thinkingBudget: S.THINKING_BUDGET, includeThoughts: true } },
    }),
  structured: () =>
    req({
      contents: [user({ text: 'Extract: Ann is 31.' })],
      generationConfig: { responseMimeType: 'application/json', responseSchema: S.PERSON_SCHEMA_GEMINI },
    }),
}
