// The OpenAI-compatible fixture speaks OpenAI Chat on the wire: its encode-response role is Chat's.
export { encodeResponse } from '../../../../../server/gateway/dialects/openai-chat/encode-response'
