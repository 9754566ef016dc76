export { TokenCipher, DecryptionError } from './token-cipher.js'
export { loadOrCreateKey, KeyFileError } from './key-file.js'
