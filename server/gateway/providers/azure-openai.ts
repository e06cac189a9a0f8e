import type { UpstreamDialect } from '../ir'
import type { UpstreamCall } from '../transport'
import type { ProviderTransport, TransportOptions } from './provider-transport'
import { readOpenAIModels } from '../dialects/openai-chat/transport'
import { pathSegment } from '../upstream/path-segment'

/**
 * Azure OpenAI (`type: azure-openai`, `base_url: https://<resource>.openai.azure.com`). With
 * `api_version`, the deployment URLs: `openai/deployments/{deployment}/chat/completions` and
 * `…/embeddings` (the deployment is the target's model name), Responses at `openai/responses` (the
 * deployment in the body's `model`), each with `?api-version=…` as the only query parameter. Without
 * it, Azure's OpenAI-compatible `openai/v1/` paths (the deployment in `model`). Auth: `api-key`.
 * A Responses client reaches Azure's Responses API; every other client Chat Completions.
 */
function path(c: UpstreamCall, o: TransportOptions): string | undefined {
  const v = o.api_version
  const endpoint = c.op === 'embeddings' ? 'embeddings' : c.op === 'generate' ? (c.dialect === 'openai-responses' ? 'responses' : 'chat/completions') : undefined
  if (!endpoint) return undefined
  if (!v) return `openai/v1/${endpoint}`
  const q = `?api-version=${encodeURIComponent(v)}`
  if (endpoint === 'responses') return `openai/responses${q}`
  return `openai/deployments/${pathSegment(c.model)}/${endpoint}${q}`
}

export const azureOpenAI: ProviderTransport = {
  dialect: 'openai-chat',
  dialectFor: (_model, client): UpstreamDialect => (client === 'openai-responses' ? 'openai-responses' : 'openai-chat'),
  defaultBaseUrl() {
    throw new Error("type 'azure-openai' needs base_url: https://<resource>.openai.azure.com")
  },
  // The portal shows the endpoint as `https://<resource>.openai.azure.com/openai/v1/`: the paths add that part.
  baseUrl: (url) => url.replace(/\/openai(?:\/v1)?\/?$/, ''),
  auth: { header: 'api-key', template: '{key}' },
  path,
  // Azure follows OpenAI: its reasoning models refuse `max_tokens`.
  maxTokensField: 'max_completion_tokens',
  forwardsClientHeaders: true,
  // Azure's list is of base models, which a key can read; the probe asks for it.
  models: (o) => {
    const page = o.api_version ? `openai/models?api-version=${encodeURIComponent(o.api_version)}` : 'openai/v1/models'
    return { page: () => page, read: readOpenAIModels, probe: page }
  },
}
