// The OpenAI-compatible fixture speaks OpenAI Chat on the wire: its encode-request role is Chat's.
export { encodeRequest } from '../../../../../server/gateway/dialects/openai-chat/encode-request'
