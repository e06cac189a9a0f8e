import type { UpstreamDialect } from '../../ir'
import type { ProviderTransport } from '../provider-transport'
import { GatewayError } from '../../errors'
import { transport as converse } from '../../dialects/bedrock-converse/transport'
import { awsSecretParts, parseAwsCredentials } from './credentials'
import { signRequest } from './sign'

/**
 * AWS Bedrock (`type: bedrock`, `region`; `base_url` by default
 * `https://bedrock-runtime.{region}.amazonaws.com`). Every client's request goes out as a Converse
 * call (dialects/bedrock-converse/), signed with SigV4 per key (sign.ts). Bedrock has no model list
 * on the runtime endpoint and nothing cheaper than a real call to probe, so it is checked passively.
 */
export const bedrock: ProviderTransport = {
  dialect: 'bedrock-converse',
  dialectFor: (): UpstreamDialect => 'bedrock-converse',
  defaultBaseUrl: (o) => {
    if (!o.region) throw new Error("type 'bedrock' needs region (e.g. us-east-1)")
    return converse.defaultBaseUrl(o.region)
  },
  path: (call) => converse.path(call),
  sign: async (call, key, o) => {
    const creds = parseAwsCredentials(key.key)
    // The key's content never appears in the message: only which key (its hint) and what is wrong.
    if (typeof creds === 'string') throw new GatewayError('authentication', `Bedrock key ${key.hint} ${creds}`)
    if (!o.region) throw new GatewayError('internal', "type 'bedrock' needs region")
    return signRequest(call, creds, o.region)
  },
  secrets: awsSecretParts,
  // anthropic-version / anthropic-beta mean nothing to Converse.
  forwardsClientHeaders: false,
}
