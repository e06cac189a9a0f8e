// The OpenAI-compatible fixture speaks OpenAI Chat on the wire: its decode-response role is Chat's.
export { decodeResponse } from '../../../../../server/gateway/dialects/openai-chat/decode-response'
