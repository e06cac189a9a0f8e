import type { Preset } from '../types'

// The three cloud provider types (issue 18 items 2-4) are built on other branches; these presets
// only name the type and the settings it reads. Models are deployments / model ids of the account.

export const azureOpenai: Preset = {
  id: 'azure-openai',
  label: 'Azure OpenAI',
  type: 'azure-openai',
  baseUrlTemplate: 'https://{resource}.openai.azure.com',
  settings: ['api_version'],
  // Azure follows OpenAI: max_completion_tokens for reasoning deployments, no foreign message fields.
  quirks: { maxTokensField: 'max_completion_tokens', reasoningField: 'omit' },
  models: [],
  docs: 'https://learn.microsoft.com/azure/ai-foundry/openai/reference',
}

export const bedrock: Preset = {
  id: 'bedrock',
  label: 'AWS Bedrock',
  type: 'bedrock',
  baseUrlTemplate: 'https://bedrock-runtime.{region}.amazonaws.com',
  settings: ['region'],
  models: [],
  docs: 'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html',
}

export const vertex: Preset = {
  id: 'vertex',
  label: 'Google Vertex AI',
  type: 'vertex',
  baseUrlTemplate: 'https://{location}-aiplatform.googleapis.com',
  settings: ['project', 'location'],
  models: [],
  docs: 'https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference',
}
