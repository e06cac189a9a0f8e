// The OpenAI-compatible fixture speaks OpenAI Chat on the wire: its encode-messages role is Chat's.
export { encodeMessages } from '../../../../../server/gateway/dialects/openai-chat/encode-messages'
