import { geminiGenerate } from '../../../utils/gemini-route'

export default defineEventHandler((event) => geminiGenerate(event))
