export { MODEL_REGISTRY_TICK_MS, ModelRegistry, type ModelRegistryDeps } from './registry.js'
export { toOpenAiModel, parseModels, BOOTSTRAP_MODELS, type ModelInfo } from './model-info.js'
export { isPublicModel, modelInAllowList, type ListedModel } from './public-model.js'
