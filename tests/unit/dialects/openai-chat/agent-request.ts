/** The request fixture the Chat decodeRequest and encodeRequest tests share. */
export const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk'

/** A realistic agent turn: system + developer, images, reasoning carried back, parallel tool calls and results. */
export function agentRequest(): Record<string, unknown> {
  return {
    model: 'gpt-4.1',
    messages: [
      { role: 'system', content: 'You are a weather assistant.' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in metric.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture, and what is the weather there?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'low' } },
          { type: 'image_url', image_url: { url: 'https://example.com/paris.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'The picture shows the Eiffel Tower, so Paris.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{"tz":"Europe/Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '18°C, cloudy' },
      { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '14:05' }] },
      { role: 'assistant', content: 'It is 18°C and cloudy in Paris at 14:05.' },
      { role: 'user', content: 'And tomorrow?' },
    ],
    tools: [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          strict: true,
        },
      },
      { type: 'function', function: { name: 'get_time' } },
    ],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    max_completion_tokens: 1024,
    temperature: 0.2,
    top_p: 0.9,
    stop: ['\n\nUser:'],
    presence_penalty: 0.1,
    frequency_penalty: 0.3,
    seed: 42,
    n: 1,
    response_format: {
      type: 'json_schema',
      json_schema: { name: 'forecast', description: 'A forecast', schema: { type: 'object', properties: { temp: { type: 'number' } } }, strict: true },
    },
    reasoning_effort: 'low',
    stream: true,
    stream_options: { include_usage: true },
    user: 'user-1234',
    logprobs: true,
    top_logprobs: 2,
    metadata: { session: 'abc' },
    store: false,
    service_tier: 'flex',
  }
}
