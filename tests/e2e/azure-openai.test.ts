import { describe, expect, it } from 'vitest'
import { CLIENT_KEY } from './support/server'
import { mockVector } from './support/mock-upstream'
import { sdkClients } from './support/sdk-clients'
import { useGateway } from './support/setup'

/**
 * Issue 18 item 2: `type: azure-openai` as rosetta.yaml describes it, reached by the official SDKs.
 * The mock plays the Azure resource under `/azure` and records URL, query and headers; its streams
 * open with Azure's prompt-filter-only chunk (`choices: []`).
 */
const gw = useGateway('', {
  config: (_url, mock) => {
    return `
providers:
  - id: azure
    type: azure-openai
    base_url: ${mock.url}/azure
    api_version: 2024-10-21
    keys: [azure-key-0123456789abcdef]
  - id: azure-v1
    type: azure-openai
    base_url: ${mock.url}/azure
    keys: [azure-v1-key-0123456789abcdef]
routes:
  - { name: azure, match: { prefix: "az-" }, provider: azure }
  - { name: azure-v1, match: { prefix: "azv1-" }, provider: azure-v1 }
client_keys:
  - { name: test, key: ${CLIENT_KEY} }
`
  },
})

const { openai, anthropic, gemini } = sdkClients(() => gw.server.url)

describe('Azure OpenAI with api_version: deployment URLs', () => {
  it('OpenAI SDK chat: the deployment in the path, api-version the only query parameter, the key as api-key', async () => {
    const r = await openai().chat.completions.create({ model: 'az-text', messages: [{ role: 'user', content: 'Hi' }] })
    expect(r.choices[0]!.message.content).toBe('Hello from openai-chat!')
    const got = gw.mock.last()
    expect(got.path).toBe('/azure/openai/deployments/az-text/chat/completions?api-version=2024-10-21')
    expect(got.headers['api-key']).toBe('azure-key-0123456789abcdef')
    expect(got.headers.authorization).toBeUndefined()
  })

  it('OpenAI SDK chat, streamed: the prompt-filter-only first chunk does not break the stream', async () => {
    const stream = await openai().chat.completions.create({ model: 'az-text', messages: [{ role: 'user', content: 'Hi' }], stream: true })
    let text = ''
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? ''
    expect(text).toBe('Hello from openai-chat!')
    expect(gw.mock.last().path).toBe('/azure/openai/deployments/az-text/chat/completions?api-version=2024-10-21')
  })

  it('Anthropic SDK, streamed and converted: the filter chunk is skipped, the answer starts with the real one', async () => {
    const stream = anthropic().messages.stream({ model: 'az-text', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] })
    const m = await stream.finalMessage()
    expect(m.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hello from openai-chat!' })])
    const got = gw.mock.last()
    expect(got.path).toBe('/azure/openai/deployments/az-text/chat/completions?api-version=2024-10-21')
    // Azure follows OpenAI: the output limit goes as max_completion_tokens.
    expect(got.body).toMatchObject({ max_completion_tokens: 64, stream: true })
  })

  it('Gemini SDK, streamed and converted', async () => {
    let text = ''
    for await (const c of await gemini().models.generateContentStream({ model: 'az-text', contents: 'Hi' })) text += c.text ?? ''
    expect(text).toBe('Hello from openai-chat!')
  })

  it('OpenAI SDK embeddings: the deployment URL', async () => {
    const r = await openai().embeddings.create({ model: 'az-embed', input: ['alpha'], encoding_format: 'float' })
    expect(r.data[0]!.embedding).toEqual(mockVector('alpha'))
    const got = gw.mock.last()
    expect(got.path).toBe('/azure/openai/deployments/az-embed/embeddings?api-version=2024-10-21')
    expect(got.headers['api-key']).toBe('azure-key-0123456789abcdef')
  })

  it("OpenAI SDK Responses: Azure's Responses API, the deployment in the body", async () => {
    const r = await openai().responses.create({ model: 'az-text', input: 'Hi', store: false })
    expect(r.output_text).toBe('Hello from openai-responses!')
    const got = gw.mock.last()
    expect(got.path).toBe('/azure/openai/responses?api-version=2024-10-21')
    expect(got.body).toMatchObject({ model: 'az-text', input: 'Hi' })
  })
})

describe('Azure OpenAI without api_version: the /openai/v1/ paths', () => {
  it('chat, Responses and embeddings', async () => {
    await openai().chat.completions.create({ model: 'azv1-text', messages: [{ role: 'user', content: 'Hi' }] })
    expect(gw.mock.last().path).toBe('/azure/openai/v1/chat/completions')
    expect(gw.mock.last().body.model).toBe('azv1-text')
    expect(gw.mock.last().headers['api-key']).toBe('azure-v1-key-0123456789abcdef')
    const stream = await openai().responses.create({ model: 'azv1-text', input: 'Hi', stream: true })
    let text = ''
    for await (const e of stream) if (e.type === 'response.output_text.delta') text += e.delta
    expect(text).toBe('Hello from openai-responses!')
    expect(gw.mock.last().path).toBe('/azure/openai/v1/responses')
    await openai().embeddings.create({ model: 'azv1-embed', input: 'beta' })
    expect(gw.mock.last().path).toBe('/azure/openai/v1/embeddings')
  })
})
