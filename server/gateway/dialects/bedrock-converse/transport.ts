import type { DialectTransport, UpstreamCall } from '../../transport'
import { conversePath } from './encode-request'

/**
 * Bedrock Runtime's wire facts for the Converse API. The base URL depends on the region
 * (`https://bedrock-runtime.{region}.amazonaws.com`), so it is a function here; authentication is
 * SigV4 over the whole request (providers/bedrock/), not a header template. Converse has no model list
 * on the runtime endpoint (that is the control plane's ListFoundationModels) and no client doors.
 */
export const transport = {
  defaultBaseUrl: (region: string): string => `https://bedrock-runtime.${region}.amazonaws.com`,
  /** `model/{modelId}/converse` or `/converse-stream`; Converse has no embeddings or token counting endpoint of this shape. */
  path: (call: UpstreamCall): string | undefined => (call.op === 'generate' ? conversePath(call.model, call.stream) : undefined),
  /** What its eventstream answers are labelled. */
  streamContentType: 'application/vnd.amazon.eventstream',
} satisfies Pick<DialectTransport, 'path'> & { defaultBaseUrl(region: string): string; streamContentType: string }
