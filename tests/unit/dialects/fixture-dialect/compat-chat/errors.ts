// The OpenAI-compatible fixture speaks OpenAI Chat on the wire: its errors role is Chat's.
export { decodeError, encodeError } from '../../../../../server/gateway/dialects/openai-chat/errors'
