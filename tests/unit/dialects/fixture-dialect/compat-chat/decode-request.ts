// The OpenAI-compatible fixture speaks OpenAI Chat on the wire: its decode-request role is Chat's.
export { decodeRequest } from '../../../../../server/gateway/dialects/openai-chat/decode-request'
