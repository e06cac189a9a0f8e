// The OpenAI-compatible fixture speaks OpenAI Chat on the wire: its usage role is Chat's.
export { decodeUsage, encodeUsage, decodeResponseUsage } from '../../../../../server/gateway/dialects/openai-chat/usage'
