// Jest test environment for code that runs onnxruntime-node (e.g. @vigil/embeddings'
// SentenceEmbedder). Jest runs each test file in its own vm realm, whose Float32Array etc. are
// not the ones the native addon creates, so onnxruntime-common's `instanceof` checks fail with
// "A float32 tensor's data must be type of function Float32Array()". This environment is the
// standard node environment with the host realm's typed-array constructors (jest-environment-node
// already does the same for ArrayBuffer and Uint8Array).
//
// Use per file with the docblock
//   /** @jest-environment <rootDir>/libs/embeddings/testing/onnx-jest-environment.js */
// or set it as `testEnvironment` of a jest project.
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OnnxTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) {
      if (typeof globalThis[name] === 'function') this.global[name] = globalThis[name];
    }
  }
}

module.exports = OnnxTestEnvironment;
