import type { UpstreamDialect } from '../../ir'
import type { UpstreamCall } from '../../transport'
import type { ProviderTransport, TransportOptions } from '../provider-transport'
import { geminiMethod } from '../../dialects/gemini/transport'
import { pathSegment } from '../../upstream/path-segment'
import { AccessTokens } from './access-token'

/** What Vertex AI's Anthropic publisher wants in the body instead of `model`. */
export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16'

/** The publisher follows the model id: Claude models are Anthropic's, everything else Google's. */
export function publisherOf(model: string): 'anthropic' | 'google' {
  return model.startsWith('claude-') ? 'anthropic' : 'google'
}

/** A model id as one path segment; `@` (Claude's version separator, `claude-…@20250929`) stays literal as Google writes it. */
const modelSegment = (model: string) => pathSegment(model).replaceAll('%40', '@')

/**
 * `v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:{method}`:
 * Anthropic's `rawPredict` / `streamRawPredict`, Google's `generateContent` /
 * `streamGenerateContent?alt=sse`. Token counting and embeddings have other body shapes on Vertex
 * (`countTokens` takes no `generateContentRequest`, embeddings are `:predict` instances): those calls
 * have no endpoint here, so counting is the local estimate and embeddings are refused.
 */
function path(c: UpstreamCall, o: TransportOptions): string | undefined {
  const publisher = publisherOf(c.model)
  const base = `v1/projects/${pathSegment(o.project ?? '')}/locations/${pathSegment(o.location ?? '')}/publishers/${publisher}/models/${modelSegment(c.model)}`
  if (c.op !== 'generate') return undefined
  return `${base}:${publisher === 'anthropic' ? (c.stream ? 'streamRawPredict' : 'rawPredict') : geminiMethod(c)}`
}

/** Anthropic on Vertex: the Messages body without `model` (it is in the URL), with Vertex's `anthropic_version`. */
function body(c: UpstreamCall, b: Record<string, unknown>): Record<string, unknown> | undefined {
  if (c.dialect !== 'anthropic') return undefined
  const out: Record<string, unknown> = { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...b }
  delete out.model
  out.anthropic_version = VERTEX_ANTHROPIC_VERSION
  return out
}

const tokens = new AccessTokens()

/**
 * Google Vertex AI (`type: vertex`, `project`, `location`; `base_url` the origin). Each key is a
 * service-account key, exchanged for an OAuth access token (vertex/access-token.ts) sent as
 * `Authorization: Bearer`. Vertex has no model list a service account can read cheaply: the active
 * probe and "test connection" make a token instead.
 */
export const vertex: ProviderTransport = {
  dialect: 'gemini',
  dialectFor: (model): UpstreamDialect => (publisherOf(model) === 'anthropic' ? 'anthropic' : 'gemini'),
  defaultBaseUrl: (o) => (o.location === 'global' ? 'https://aiplatform.googleapis.com' : `https://${o.location}-aiplatform.googleapis.com`),
  authorize: async (key, providerId) => ({ authorization: `Bearer ${await tokens.get(key, providerId)}` }),
  path,
  body,
  // The client's anthropic-version / anthropic-beta are Anthropic's API's, not Vertex's.
  forwardsClientHeaders: false,
  probe: 'authorize',
}
