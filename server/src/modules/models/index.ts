export { ModelRegistry, type ModelRegistryDeps } from './registry.js'
export { toOpenAiModel, parseModels, BOOTSTRAP_MODELS, type ModelInfo } from './model-info.js'
